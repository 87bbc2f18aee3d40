import type { EventBase } from './event-base.js';

/**
 * Hooks Juju runs in a restricted context, where most hook tools (`is-leader`, `relation-*`,
 * `config-get`, `leader-get`…) are unavailable. As in ops, they only get their own event and the
 * commit: no deferred events, no status collection, and only the participants that ask to run
 * there (`DispatchParticipant.inRestrictedHooks`).
 */
export const RESTRICTED_KINDS: ReadonlySet<string> = new Set(['collect_metrics', 'meter_status_changed']);

/**
 * Where a dispatch is, in the order it goes through them. `reemitting` and `collecting-status`
 * are passed over in the restricted hooks (`collect-metrics`, `meter-status-changed`); `ended`
 * follows the commit, or the rollback when the hook failed or was aborted.
 */
export type DispatchPhase =
  | 'constructing'
  | 'starting'
  | 'reemitting'
  | 'emitting'
  | 'ending'
  | 'collecting-status'
  | 'committing'
  | 'ended';

/**
 * The dispatch a framework is running, read-only: `framework.currentDispatch`, and the second
 * argument of every {@link DispatchParticipant} callback. The framework alone moves it on.
 */
export interface DispatchView {
  /** The event kind from the dispatch path (`config_changed`, `backup_action`…). */
  readonly kind: string;
  /**
   * The hook's own event (not a re-emitted deferred one) from the moment it is handed to its
   * observers; null before, and for a kind the charm does not define. Observers that deferred
   * it were given copies; this is the instance the framework emitted.
   */
  readonly event: EventBase | null;
  /**
   * True in the restricted hooks (`collect-metrics`, `meter-status-changed`), where most hook
   * tools are unavailable and only participants with `inRestrictedHooks` run.
   */
  readonly restricted: boolean;
  /** Where the dispatch is now. */
  readonly phase: DispatchPhase;
}
