import { CharmEvents } from './charm-events.js';
import type { CharmMeta } from './charm-meta.js';
import type { Framework } from './framework.js';
import type { Application } from './model/application.js';
import type { Model } from './model/model.js';
import type { ConfigValue } from './model/model-backend.js';
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
 */
export class CharmBase extends OpsObject {
  /** The charm's events. Override with a subclass of {@link CharmEvents} to add custom events. */
  readonly on: CharmEvents = new CharmEvents(this);

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

  /** The charm's configuration. */
  get config(): Readonly<Record<string, ConfigValue>> {
    return this.framework.model.config;
  }

  /** The charm's metadata. */
  get meta(): CharmMeta {
    return this.framework.meta;
  }
}

/** A charm class `main()` can construct. */
export type CharmClass<C extends CharmBase = CharmBase> = new (framework: Framework) => C;
