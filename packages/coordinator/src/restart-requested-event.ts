import { EventBase, type Framework, type Handle, type JsonObject } from '@charmkit/ops';

/** What {@link RestartRequestedEvent.restart} talks to (an `OpsCoordinator`). */
export interface RestartCoordinator {
  /** The restart generation now: it grows with every restart that succeeded. */
  currentGeneration(): number;
  /** Runs the restart protocol for `event`; see {@link RestartRequestedEvent.restart}. */
  restartFor(event: RestartRequestedEvent): Promise<boolean>;
}

const coordinators = new WeakMap<Framework, RestartCoordinator>();

/** @internal Records the coordinator restart events of this framework use by default. */
export function registerRestartCoordinator(framework: Framework, coordinator: RestartCoordinator): void {
  coordinators.set(framework, coordinator);
}

/**
 * "These services need a restart": emit it with the context of the change and the services,
 * `this.on.restartRequested.emit({ rendered }, ['web.service'])`, and in its handler:
 *
 * ```ts
 * async onRestartRequested(event: RestartRequestedEvent): Promise<void> {
 *   if (!(await event.restart())) return event.defer();   // not our turn yet, or not healthy yet
 *   this.stored.applied = event.ctx.rendered;
 * }
 * ```
 *
 * Several requests made before one restart collapse into it: once the services restarted, every
 * request emitted before that restart returns true without restarting again.
 */
export class RestartRequestedEvent extends EventBase {
  /** The charm's context for this restart (JSON). */
  ctx: JsonObject;
  /** The services to restart. */
  services: string[];
  /** The restart generation when the request was made (set when first emitted). */
  generation: number | null = null;

  constructor(handle: Handle, ctx: JsonObject, services: readonly string[]) {
    super(handle);
    this.ctx = ctx;
    this.services = [...services];
  }

  override snapshot(): JsonObject {
    // The first snapshot is taken as the event is emitted: that is the moment that counts.
    this.generation ??= coordinators.get(this.framework)?.currentGeneration() ?? 0;
    return { ctx: this.ctx, services: this.services, generation: this.generation };
  }

  override restore(snapshot: JsonObject): void {
    this.ctx = (snapshot.ctx ?? {}) as JsonObject;
    this.services = Array.isArray(snapshot.services) ? snapshot.services.map(String) : [];
    this.generation = typeof snapshot.generation === 'number' ? snapshot.generation : 0;
  }

  /**
   * Restarts the services under the lock. True when they restarted (or a restart since this
   * request already covered them) and passed the health check: the lock is then released. False
   * while the lock is not held yet (the request is recorded; defer the event) or the health check
   * failed (the lock stays held, so no other unit restarts meanwhile; defer and it is retried).
   */
  restart(coordinator?: RestartCoordinator): Promise<boolean> {
    const target = coordinator ?? coordinators.get(this.framework);
    if (!target) {
      return Promise.reject(
        new Error('restart(): no OpsCoordinator was created for this charm; pass one or create one'),
      );
    }
    return target.restartFor(this);
  }
}
