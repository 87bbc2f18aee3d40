import {
  EventBase,
  EventNotDeferrableError,
  type Handle,
  type JsonObject,
  ObjectEvents,
} from '@charmkit/ops';

/** The base of lock events: `lock` is the lock's name. */
export class LockEvent extends EventBase {
  lock: string;

  constructor(handle: Handle, lock: string) {
    super(handle);
    this.lock = lock;
  }

  override snapshot(): JsonObject {
    return { lock: this.lock };
  }

  override restore(snapshot: JsonObject): void {
    this.lock = String(snapshot.lock);
  }
}

/** This unit asked for a lock (its request goes out with the hook). */
export class LockRequestedEvent extends LockEvent {
  declare protected readonly brandRequested: undefined;
}

/**
 * This unit holds a lock in this hook. It cannot be deferred: the lock may be gone by the next
 * hook. To keep it for another hook, call `coordinator.hold(lock)`.
 */
export class LockGrantedEvent extends LockEvent {
  declare protected readonly brandGranted: undefined;
  override get deferrable(): boolean {
    return false;
  }
  override defer(): void {
    throw new EventNotDeferrableError(
      `${this.handle.path}: a lock grant cannot be deferred (the lock may be gone by the next hook); call coordinator.hold('${this.lock}') to keep the lock for another hook`,
    );
  }
}

/** This unit released a lock (the release goes out with the hook). */
export class LockReleasedEvent extends LockEvent {
  declare protected readonly brandReleased: undefined;
}

/** A coordinator's events. */
export class CoordinatorEvents extends ObjectEvents {
  readonly lockRequested = this.event('lock_requested', LockRequestedEvent);
  readonly lockGranted = this.event('lock_granted', LockGrantedEvent);
  readonly lockReleased = this.event('lock_released', LockReleasedEvent);
}
