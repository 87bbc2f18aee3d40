import { CharmEvents } from './charm-events.js';
import type { CharmMeta } from './charm-meta.js';
import type { CharmTypes, UntypedCharm } from './charm-types.js';
import type { Framework } from './framework.js';
import type { Application } from './model/application.js';
import type { Model } from './model/model.js';
import type { Unit } from './model/unit.js';
import { OpsObject } from './ops-object.js';

/**
 * The base of every charm. Subclass it, give it a `static override readonly handleKind`, and
 * observe events in the constructor:
 *
 * ```ts
 * export class MyCharm extends CharmBase {
 *   static override readonly handleKind = 'MyCharm';
 *   constructor(framework: Framework) {
 *     super(framework);
 *     framework.observe(this.on.configChanged, this.onConfigChanged);
 *   }
 *   onConfigChanged(): void {
 *     this.unit.status = new ActiveStatus();
 *   }
 * }
 * ```
 *
 * Give it the types `charmkit typegen` writes (`class MyCharm extends CharmBase<MyTypes>`) and
 * `this.config`, `this.on.relation()`, `.container()`, `.storage()` and `.action()` are checked
 * against the charm's metadata at compile time too. Without a type argument nothing changes:
 * names are checked when the charm starts.
 *
 * @typeParam T - The charm's {@link CharmTypes} (default {@link UntypedCharm}).
 */
export class CharmBase<T extends CharmTypes = UntypedCharm> extends OpsObject {
  /** The charm's events. Override with a subclass of {@link CharmEvents} to add custom events. */
  readonly on: CharmEvents<T> = new CharmEvents<T>(this);

  constructor(framework: Framework) {
    super(framework, null);
  }

  /** The charm's view of Juju. */
  get model(): Model {
    return this.framework.model;
  }

  /** This unit. */
  get unit(): Unit {
    return this.framework.model.unit;
  }

  /** This application. */
  get app(): Application {
    return this.framework.model.app;
  }

  /**
   * The charm's configuration, checked against config.yaml with defaults filled in. Typed by
   * `T['config']` (the runtime check guarantees what the generated types promise, as long as they
   * were generated from the same metadata).
   */
  get config(): Readonly<T['config']> {
    return this.framework.model.config as Readonly<T['config']>;
  }

  /** The charm's metadata. */
  get meta(): CharmMeta {
    return this.framework.meta;
  }
}

/** A charm class `main()` can construct. */
/** A charm class `main()` can construct (typed charms are assignable to the default). */
export type CharmClass<C extends CharmBase<CharmTypes> = CharmBase> = new (framework: Framework) => C;
