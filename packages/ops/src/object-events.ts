import { BoundEvent } from './bound-event.js';
import { EventDefinitionError } from './errors.js';
import type { AnyEventType, EventArgs, EventBase } from './event-base.js';
import type { Handle } from './handle.js';
import { OpsObject } from './ops-object.js';

const KIND = /^[a-z][a-z0-9_]*$/;

/**
 * A collection of events an object emits, reached as `obj.on`. Declare events as fields:
 *
 * ```ts
 * class WebEvents extends CharmEvents {
 *   readonly restartRequested = this.event('restart_requested', RestartRequestedEvent);
 * }
 * ```
 *
 * The kind (`restart_requested`) is what handle paths and the deferred queue record; the field
 * name is how code reaches it. The handle of the collection is `<emitter path>/on`.
 */
export class ObjectEvents extends OpsObject {
  static override readonly handleKind: string = 'on';

  // Initialised before subclass field initialisers run, which is where `event()` is called.
  readonly #declared = new Map<string, BoundEvent<EventBase, never[]>>();

  /** The object whose events these are. */
  readonly owner: OpsObject;

  constructor(owner: OpsObject) {
    super(owner, null);
    this.owner = owner;
  }

  /**
   * Declares an event kind and returns it bound to this collection's emitter. `emit()` on the
   * result takes the event class's constructor arguments after the handle.
   */
  protected event<C extends AnyEventType>(kind: string, type: C): BoundEvent<InstanceType<C>, EventArgs<C>> {
    return this.defineEvent(kind, type);
  }

  /**
   * Declares an event kind at run time (the framework uses it for relation, storage, container
   * and action events, which come from the charm's metadata).
   */
  defineEvent<C extends AnyEventType>(kind: string, type: C): BoundEvent<InstanceType<C>, EventArgs<C>> {
    if (!KIND.test(kind)) {
      throw new EventDefinitionError(
        `event kind ${JSON.stringify(kind)} on ${this.handle.path} must be lowercase letters, digits and underscores, starting with a letter`,
      );
    }
    const existing = this.#declared.get(kind);
    if (existing) {
      // Even with the same class: two declarations mean two fields (or two metadata names, such as
      // actions `a-b` and `a_b`) fighting over one persisted kind, as ops refuses too.
      throw new EventDefinitionError(
        `event kind ${JSON.stringify(kind)} on ${this.handle.path} is already declared (with ${existing.type.name}); declare each kind once`,
      );
    }
    const bound = new BoundEvent(
      this,
      kind,
      type as unknown as new (
        handle: Handle,
        ...args: never[]
      ) => InstanceType<C>,
    );
    this.#declared.set(kind, bound as unknown as BoundEvent<EventBase, never[]>);
    this.framework.registerType(this.handle.path, kind, type);
    return bound as unknown as BoundEvent<InstanceType<C>, EventArgs<C>>;
  }

  /** The event declared under `kind`, if any. */
  byKind(kind: string): BoundEvent<EventBase, never[]> | undefined {
    return this.#declared.get(kind);
  }

  /** Every declared event kind, in declaration order. */
  kinds(): string[] {
    return [...this.#declared.keys()];
  }
}
