import { NonDeferrableEvent } from './event-base.js';
import { InvalidStatusError } from './model/model-errors.js';
import type { StatusBase } from './model/status.js';
import { ObjectEvents } from './object-events.js';

/** An event the framework itself emits at a fixed point of every dispatch. It cannot be deferred. */
export class LifecycleEvent extends NonDeferrableEvent {}

/** Emitted before the dispatch commits: the last moment to change state that will be saved. */
export class PreCommitEvent extends LifecycleEvent {
  declare protected readonly brandPreCommit: undefined;
}

/** Emitted as the dispatch commits, after `preCommit`. */
export class CommitEvent extends LifecycleEvent {
  declare protected readonly brandCommit: undefined;
}

/**
 * Emitted after the dispatch's event so the charm can say what its status is; the highest
 * priority status added wins (error > blocked > maintenance > waiting > active) and is set once.
 * `collectAppStatus` is emitted on the leader only.
 */
export class CollectStatusEvent extends LifecycleEvent {
  /** @internal The statuses added so far, in order. */
  declare statuses: StatusBase[];

  /**
   * Adds a candidate status.
   *
   * @throws {InvalidStatusError} the status is `error` or `unknown`, which only Juju sets.
   */
  addStatus(status: StatusBase): void {
    if (status.name === 'error' || status.name === 'unknown') {
      throw new InvalidStatusError(
        `addStatus(): ${status.name} status cannot be set by a charm (use active, blocked, maintenance or waiting)`,
      );
    }
    this.statuses ??= [];
    this.statuses.push(status);
  }
}

/** The framework's lifecycle events, reached as `framework.on`. */
export class FrameworkEvents extends ObjectEvents {
  readonly preCommit = this.event('pre_commit', PreCommitEvent);
  readonly commit = this.event('commit', CommitEvent);
}
