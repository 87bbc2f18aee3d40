import type { DispatchView } from './dispatch-view.js';
import type { EventBase } from './event-base.js';

/**
 * A library that runs at fixed points of every dispatch, whatever the charm's constructor order
 * (leader settings, the coordinator, the reactive loop): register it with
 * `framework.addParticipant()`, in the constructor. This is the only way a library takes part in
 * the dispatch lifecycle; the framework's bus is for tracing and tests, never for logic.
 *
 * Each callback gets the read-only {@link DispatchView} of the dispatch. In a restricted hook
 * (`collect-metrics`, `meter-status-changed`) none of them runs unless `inRestrictedHooks` is set.
 */
export interface DispatchParticipant {
  /** Name for logs (and the build's reasons not to skip hooks). */
  readonly name: string;
  /** Runs after the charm is constructed, before deferred events are re-emitted. */
  start?(view: DispatchView): void | Promise<void>;
  /**
   * Called with the hook's own event when it has been created and before any observer sees it
   * (re-emitted deferred events never come here). Synchronous on purpose: it runs in the middle
   * of the emit, so it should only note the event; do the work in `end`. Not called when the
   * charm does not define the dispatch's event kind.
   */
  onHookEvent?(event: EventBase, view: DispatchView): void;
  /** Runs after the dispatch's own event, before statuses are collected and the commit. */
  end?(view: DispatchView): void | Promise<void>;
  /**
   * Also run in the restricted hooks (`collect-metrics`, `meter-status-changed`), where most hook
   * tools (`is-leader`, `leader-get`, `relation-*`…) are unavailable. Default false: skipped there.
   */
  readonly inRestrictedHooks?: boolean;
}
