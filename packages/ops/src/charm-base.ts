import { CharmEvents } from './charm-events.js';
import type { CharmMeta } from './charm-meta.js';
import type { CharmTypes, UntypedCharm } from './charm-types.js';
import type { Framework } from './framework.js';
import { HookAbort } from './hook-abort.js';
import type { StandardSchema } from './internal/standard-schema.js';
import { loadIntoSchema } from './load-schema.js';
import type { Application } from './model/application.js';
import type { Model } from './model/model.js';
import { ConfigError } from './model/model-errors.js';
import type { Unit } from './model/unit.js';
import { OpsObject } from './ops-object.js';

/** Options of {@link CharmBase.loadConfig}. */
export interface LoadConfigOptions {
  /**
   * What to do when the config does not fit the schema: `'blocked'` (default) sets blocked status
   * and ends the hook successfully; `'throw'` throws {@link ConfigError} for the charm to handle.
   */
  readonly onInvalid?: 'blocked' | 'throw';
}

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
 * `this.config`, `this.on.relation()`, `.container()`, `.storage()` and `.action()`, and
 * `this.model`'s `getRelation()`, `relations()`, `container()`, `storages()` and
 * `actionParams()`, are checked against the charm's metadata at compile time too. Without a
 * type argument nothing changes: names are checked when the charm starts.
 *
 * @typeParam T - The charm's {@link CharmTypes} (default {@link UntypedCharm}).
 */
export class CharmBase<T extends CharmTypes = UntypedCharm> extends OpsObject {
  /** The charm's events. Override with a subclass of {@link CharmEvents} to add custom events. */
  readonly on: CharmEvents<T> = new CharmEvents<T>(this);

  constructor(framework: Framework) {
    super(framework, null);
  }

  /**
   * The charm's view of Juju, typed by `T`: with generated types, relation endpoints, containers,
   * storages and actions must be declared names (see {@link Model}).
   */
  override get model(): Model<T> {
    // One model per dispatch, built from the metadata `T` was generated from.
    return this.framework.model as unknown as Model<T>;
  }

  /**
   * The charm's directory: where its metadata, `charmkit.yaml` and any files it ships live (ops'
   * `CharmBase.charm_dir`). Falls back to the working directory when the framework was built
   * without one, as the Juju context does.
   */
  get charmDir(): string {
    return this.framework.charmDir ?? process.cwd();
  }

  /** This unit (`unit.container()` takes `T`'s container names). */
  get unit(): Unit<T> {
    return this.model.unit;
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

  /**
   * The config loaded into `schema` (any Standard Schema: zod 4 or `zod/mini`, valibot…), with
   * Juju's kebab-case option names as camelCase fields (`log-level` → `logLevel`, as ops turns
   * `-` into `_`). Every option is passed, so use a schema that ignores unknown keys
   * (`z.object`, not `z.strictObject`). `secret` options hold the secret's id.
   *
   * If the config does not fit, by default the unit goes to blocked status
   * (`Invalid config: log-level: expected one of "debug", "info"`, naming each option and what
   * was expected, never its value) and the hook ends at once, successfully: a {@link HookAbort}
   * is thrown — let it propagate — the hook's other changes are rolled back, nothing else runs
   * (no further handlers, no collect-status, which would replace the status), and Juju does not
   * retry; the next config-changed runs the charm again. This is ops'
   * `load_config(errors='blocked')`; ops' default is to raise, charmkit's is the useful one.
   *
   * @example
   * ```ts
   * const Config = z.object({ port: z.int().check(z.gte(1)), logLevel: z.enum(['debug', 'info']) });
   * const config = this.loadConfig(Config); // { port: number; logLevel: 'debug' | 'info' }
   * ```
   * @throws {ConfigError} with `onInvalid: 'throw'`, when the config does not fit.
   * @throws {AsyncSchemaError} when the schema validates asynchronously.
   */
  loadConfig<Output>(schema: StandardSchema<unknown, Output>, options: LoadConfigOptions = {}): Output {
    let message: string;
    try {
      const loaded = loadIntoSchema(schema, this.framework.model.config, 'config');
      if ('value' in loaded) return loaded.value;
      message = `Invalid config: ${loaded.problems.join('; ')}`;
      if (options.onInvalid === 'throw') throw new ConfigError(loaded.first, message);
    } catch (error) {
      // Config that does not match config.yaml (Juju prevents it; tests may not) is blocked too.
      if (!(error instanceof ConfigError) || options.onInvalid === 'throw') throw error;
      message = `Invalid config: ${error.message.replace(/^invalid charm config[^:]*: /, '')}`;
    }
    // Sent at once: the dispatch rolls back buffered writes when the hook is aborted.
    this.framework.model.backend.statusSet('blocked', message, false);
    throw new HookAbort(message);
  }
}

/** A charm class `main()` can construct. */
/** A charm class `main()` can construct (typed charms are assignable to the default). */
export type CharmClass<C extends CharmBase<CharmTypes> = CharmBase> = new (framework: Framework) => C;
