import { EventNotDeferrableError } from './errors.js';
import type { Framework } from './framework.js';
import type { Handle } from './handle.js';
import type { JsonObject } from './json.js';

/**
 * The base of every event. An event is emitted on a {@link BoundEvent}, handed to each observer,
 * and, when an observer calls {@link EventBase.defer}, persisted and handed to that observer again
 * at the start of the next dispatch.
 *
 * Subclasses that carry data override {@link EventBase.snapshot} and {@link EventBase.restore}:
 * on re-emission the constructor does not run; the framework creates a bare instance and calls
 * `restore()` with what `snapshot()` returned.
 */
export class EventBase {
  /** This event's persistent name, e.g. `MyCharm/on/config_changed[7]`. */
  handle: Handle;
  /** The framework that emitted the event. Set before observers or `restore()` run. */
  declare framework: Framework;
  /** True once the current observer called {@link EventBase.defer}. */
  deferred = false;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  /** Whether {@link EventBase.defer} is allowed. Juju does not let some events be retried later. */
  get deferrable(): boolean {
    return true;
  }

  /**
   * Asks for this event to be handed to the current observer again at the start of the next
   * dispatch. It does not stop the handler. Deferred events keep their place in the queue.
   */
  defer(): void {
    if (!this.deferrable) {
      throw new EventNotDeferrableError(
        `${this.handle.path} cannot be deferred: ${this.constructor.name} events run once`,
      );
    }
    this.deferred = true;
  }

  /** The JSON data needed to rebuild this event on re-emission. */
  snapshot(): JsonObject {
    return {};
  }

  /** Rebuilds the event from {@link EventBase.snapshot}'s data. The constructor has not run. */
  restore(_snapshot: JsonObject): void {}

  toString(): string {
    return `<${this.constructor.name} via ${this.handle.path}>`;
  }
}

/** An event class: its constructor takes the handle and then the event's own arguments. */
export type EventType<E extends EventBase = EventBase, A extends unknown[] = never[]> = new (
  handle: Handle,
  ...args: A
) => E;

/** Any event class, whatever its constructor arguments. */
export type AnyEventType = new (handle: Handle, ...args: never[]) => EventBase;

/** The arguments an event class's constructor takes after the handle: what `emit()` accepts. */
export type EventArgs<C> = C extends new (handle: Handle, ...args: infer A) => EventBase ? A : never;

/**
 * An event that runs once and cannot be deferred: lifecycle events, actions, stop, remove,
 * secret-rotate, secret-expired.
 */
export class NonDeferrableEvent extends EventBase {
  override get deferrable(): boolean {
    return false;
  }
}
