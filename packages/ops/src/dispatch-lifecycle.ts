import type { BoundEvent } from './bound-event.js';
import type { CharmBase, CharmClass } from './charm-base.js';
import type { DispatchParticipant } from './dispatch-participant.js';
import { type DispatchPhase, type DispatchView, RESTRICTED_KINDS } from './dispatch-view.js';
import type { EventBase } from './event-base.js';
import type { Framework } from './framework.js';
import { HookAbort } from './hook-abort.js';
import type { CollectStatusEvent } from './lifecycle-events.js';
import type { StatusBase } from './model/status.js';

/** What a dispatch did. */
export interface DispatchResult {
  /** The event kind from the dispatch path, e.g. `config_changed`. */
  readonly kind: string;
  /** False when the charm does not define the kind (deferred events and status still ran). */
  readonly emitted: boolean;
}

/** What the caller of a dispatch (`dispatch()`) gives the lifecycle besides the charm class. */
export interface DispatchRunOptions {
  /**
   * The constructor arguments of the hook's event, built right before it is emitted (after the
   * re-emission, so a relation or action params are read then, as before).
   */
  readonly eventArgs: (bound: BoundEvent<EventBase, never[]>) => unknown[];
  /** Called with the charm and framework once the charm is constructed (for tests and tools). */
  readonly onCharm?: (charm: CharmBase, framework: Framework) => void;
}

/**
 * @internal The Framework's private side that the lifecycle drives. The Framework builds it from
 * closures over its own private members, so none of them becomes public.
 */
export interface DispatchHost {
  readonly framework: Framework;
  /** The registered participants (the live list: one added while the dispatch runs is seen). */
  participants(): readonly DispatchParticipant[];
  /** Runs `body` as a handler: emits it makes but does not await run when it returns. */
  inFrame(body: () => void | Promise<void>): Promise<void>;
  /** `bound.emit(...args)`, calling `created` with the event before any observer sees it. */
  emit<E extends EventBase>(
    bound: BoundEvent<E, never[]>,
    args: unknown[],
    created: (event: E) => void,
  ): Promise<void>;
  /** Reads the framework's own stored state (the event counter), inside the transaction. */
  loadState(): void;
}

/**
 * @internal One dispatch, owned by the Framework that runs it (`Framework.runDispatch`): its
 * sequence and its state, which the rest of the world sees only as the read-only `view`.
 */
export class DispatchLifecycle {
  readonly view: DispatchView;
  readonly #host: DispatchHost;
  readonly #kind: string;
  readonly #restricted: boolean;
  #phase: DispatchPhase = 'constructing';
  #event: EventBase | null = null;

  constructor(kind: string, host: DispatchHost) {
    this.#host = host;
    this.#kind = kind;
    this.#restricted = RESTRICTED_KINDS.has(kind);
    const self = this;
    this.view = Object.freeze({
      kind,
      restricted: this.#restricted,
      get event(): EventBase | null {
        return self.#event;
      },
      get phase(): DispatchPhase {
        return self.#phase;
      },
    });
  }

  /**
   * Runs the hook, in this order: open the storage transaction; construct the charm; the
   * participants' `start`; re-emit deferred events; emit the hook's own event (participants'
   * `onHookEvent` first); the participants' `end`; collect app status (leader) and unit status;
   * `preCommit`, `commit`; flush the model's buffered writes; commit storage. Anything thrown
   * rolls the storage back and is rethrown, except {@link HookAbort}, which ends the hook early
   * and successfully. In the restricted hooks deferred events and status collection are skipped,
   * and only the participants that ask to run there do.
   */
  async run(charmClass: CharmClass, options: DispatchRunOptions): Promise<DispatchResult> {
    const framework = this.#host.framework;
    const { storage, log } = framework;
    const kind = this.#kind;
    storage.begin();
    try {
      this.#host.loadState();
      const charm = new charmClass(framework);
      options.onCharm?.(charm, framework);

      this.#phase = 'starting';
      await this.#eachParticipant('start');
      if (this.#restricted) {
        log.debug(`${kind} runs in a restricted context: no deferred events and no status collection.`);
      } else {
        this.#phase = 'reemitting';
        await framework.reemit();
      }
      this.#phase = 'emitting';
      const bound = kind ? charm.on.byKind(kind) : undefined;
      if (bound) {
        log.debug(`Emitting Juju event ${kind}.`);
        await this.#host.emit(bound, options.eventArgs(bound), (event) => this.#noteHookEvent(event));
      } else {
        log.debug(
          `The charm defines no event ${JSON.stringify(kind)}; re-emitted deferred events and collected status only.`,
        );
      }
      this.#phase = 'ending';
      await this.#eachParticipant('end');
      if (!this.#restricted) {
        this.#phase = 'collecting-status';
        await this.#evaluateStatus(charm);
      }
      this.#phase = 'committing';
      await framework.commit();
      return { kind, emitted: bound !== undefined };
    } catch (error) {
      storage.rollback();
      // loadConfig / loadParams already reported (blocked status, action-fail): end cleanly, exit 0.
      if (error instanceof HookAbort) {
        log.warning(`Ended the hook early, rolling back its changes: ${error.message}`);
        return { kind, emitted: true };
      }
      throw error;
    } finally {
      this.#phase = 'ended';
    }
  }

  /** Runs the participants' `start` or `end` that run in this hook, each as a handler. */
  async #eachParticipant(method: 'start' | 'end'): Promise<void> {
    for (const participant of this.#host.participants()) {
      if (this.#restricted && !participant.inRestrictedHooks) continue;
      if (participant[method]) await this.#host.inFrame(() => participant[method]?.(this.view));
    }
  }

  /** The hook's event exists and no observer has seen it yet. */
  #noteHookEvent(event: EventBase): void {
    this.#event = event;
    for (const participant of this.#host.participants()) {
      if (this.#restricted && !participant.inRestrictedHooks) continue;
      participant.onHookEvent?.(event, this.view);
    }
  }

  /**
   * Emits collect-status events and sets the winning status once. The leader check (a hook-tool
   * call) only happens when something observes `collectAppStatus`.
   */
  async #evaluateStatus(charm: CharmBase): Promise<void> {
    const { framework } = this.#host;
    const model = framework.model;
    if (framework.hasObservers(charm.on.collectAppStatus) && model.unit.isLeader()) {
      const status = await this.#collect(charm.on.collectAppStatus);
      if (status) model.app.status = status as never;
    }
    if (framework.hasObservers(charm.on.collectUnitStatus)) {
      const status = await this.#collect(charm.on.collectUnitStatus);
      if (status) model.unit.status = status as never;
    }
  }

  async #collect(bound: BoundEvent<CollectStatusEvent, []>): Promise<StatusBase | null> {
    let emitted: CollectStatusEvent | null = null;
    await this.#host.emit(bound as BoundEvent<CollectStatusEvent, never[]>, [], (event) => {
      emitted = event;
    });
    let best: StatusBase | null = null;
    // Collect-status events are not deferrable, so every observer saw this one instance.
    for (const status of (emitted as CollectStatusEvent | null)?.statuses ?? []) {
      if (!best || status.priority > best.priority) best = status;
    }
    return best;
  }
}
