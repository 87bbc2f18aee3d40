import type { EventBase } from './event-base.js';
import type { Handle } from './handle.js';
import type { OpsObject } from './ops-object.js';

/** What `observe()` accepts: an event kind on an emitter, with the event class it carries. */
export interface ObservableEvent<E extends EventBase> {
  /** The event collection (`something.on`) that declares the event. */
  readonly emitter: OpsObject;
  /** The persisted kind, e.g. `config_changed`. */
  readonly kind: string;
  /** The event class. */
  readonly type: abstract new (
    handle: Handle,
    ...args: never[]
  ) => E;
}

/**
 * An event kind bound to its emitter: `this.on.configChanged`. Observe it with
 * `framework.observe(...)`; emit it with {@link BoundEvent.emit}, whose arguments are those of the
 * event class's constructor after the handle.
 */
export class BoundEvent<E extends EventBase, A extends unknown[]> {
  constructor(
    readonly emitter: OpsObject,
    readonly kind: string,
    readonly type: new (handle: Handle, ...args: A) => E,
  ) {}

  /**
   * Emits a new event of this kind to every observer, in the order they were registered. The
   * returned promise settles when every observer (and anything they emitted) has finished; the
   * framework also waits for it before the dispatch commits, so forgetting `await` loses nothing.
   */
  emit(...args: A): Promise<void> {
    return this.emitter.framework.emit(this, args);
  }

  toString(): string {
    return `${this.emitter.handle.path}/${this.kind}`;
  }
}
