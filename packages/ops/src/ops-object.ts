import type { ObservableEvent } from './bound-event.js';
import { MissingHandleKindError } from './errors.js';
import type { EventBase } from './event-base.js';
import type { Framework } from './framework.js';
import { Handle } from './handle.js';
import type { JsonObject } from './json.js';
import type { Model } from './model/model.js';
import { createStoredState, type StoredShape, type StoredStateOptions } from './stored-state.js';

/**
 * The base of every persistent object: the charm, its event collections, libraries, stored state.
 * Each instance has a {@link Handle} `parent-path/<handleKind>[key]`, and two live objects with the
 * same path are an error.
 *
 * Subclasses name their kind with an explicit `static handleKind`, because bundlers and minifiers
 * rename classes and the kind is part of every persisted path.
 */
export abstract class OpsObject {
  /** The kind part of this class's handle path. Every object class must set or inherit one. */
  static readonly handleKind: string = '';

  /** The framework this object belongs to. */
  readonly framework: Framework;
  /** This object's persistent name. */
  readonly handle: Handle;

  constructor(parent: OpsObject | Framework, key: string | null = null) {
    const kind = (new.target as typeof OpsObject).handleKind;
    if (!kind) {
      throw new MissingHandleKindError(
        `class ${new.target.name} has no handle kind: add \`static override readonly handleKind = '${new.target.name}'\` (bundlers rename classes, so the kind must be written out)`,
      );
    }
    if (parent instanceof OpsObject) {
      this.framework = parent.framework;
      this.handle = parent.handle.nest(kind, key);
    } else {
      this.framework = parent;
      this.handle = new Handle(null, kind, key);
    }
    this.framework.registerObject(this);
  }

  /** The framework's {@link Model}: the charm's view of Juju (ops' `Object.model`). */
  get model(): Model {
    return this.framework.model;
  }

  /**
   * Observes `event` with one of this object's methods: `this.observe(this.on.start, this.onStart)`.
   * Equivalent to `this.framework.observe(event, this, handler)`.
   */
  protected observe<E extends EventBase>(
    event: ObservableEvent<E>,
    handler: (event: NoInfer<E>) => unknown,
  ): void {
    this.framework.observe(event, this, handler);
  }

  /**
   * State that survives between hooks, saved with the dispatch: `private readonly stored =
   * this.storedState('stored', { appliedConfig: '' })`. Keys missing from storage take the
   * defaults; values must be JSON; changes (nested ones too) are saved at commit.
   */
  protected storedState<T extends JsonObject>(
    name: string,
    defaults: T,
    options?: StoredStateOptions<StoredShape<T>>,
  ): StoredShape<T> {
    return createStoredState(this.framework, this.handle.path, name, defaults, options);
  }
}
