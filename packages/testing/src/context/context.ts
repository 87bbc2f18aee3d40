import { resolve } from 'node:path';
import type { UntypedCharm } from '@charmkit/ops';
import {
  type CharmBase,
  type CharmClass,
  type CharmMeta,
  type CharmMetaSources,
  type CharmTypes,
  type EventBase,
  type JsonObject,
  type LogLevel,
  loadCharmMeta,
  parseCharmMeta,
} from '@charmkit/ops';
import {
  canonicalJson,
  dispatch,
  encodeFrameworkState,
  eventNumberOf,
  FRAMEWORK_STATE_PATH,
  type InspectedNotice,
  MemoryLogger,
  MemoryStorage,
  parseJujuContext,
  StorageInspector,
  storedStatePath,
} from '@charmkit/ops/internal';
import { checkConsistency } from './consistency.js';
import type { Container } from './container.js';
import { UncaughtCharmError } from './errors.js';
import { ContextEvents, type EventSpec } from './event-spec.js';
import type { DeferredEvent, State, StatusValue, StoredStateEntry } from './state.js';
import { StateBackend } from './state-backend.js';

/** Options for {@link Context}. */
export interface ContextOptions {
  /** The charm's metadata: parsed, or the YAML documents; default: read from `charmDir`. */
  readonly meta?: CharmMeta | CharmMetaSources;
  /**
   * The charm's directory: where `metadata.yaml` (or `charmcraft.yaml`) is read from when `meta`
   * is not given, and the charm's `charmDir` (`JUJU_CHARM_DIR`) during a run, so a charm that reads
   * its own files (templates, `files/`) reads them here. Default: the current directory.
   */
  readonly charmDir?: string;
  /** The application name (default: the charm's name). */
  readonly appName?: string;
  /** The unit number (default 0). */
  readonly unitId?: number;
  /** See the framework's `deferredFailureLimit`. */
  readonly deferredFailureLimit?: number;
  /** Clock for queue ages. */
  readonly now?: () => number;
  /**
   * The Juju version the charm runs under (`JUJU_VERSION`; default {@link DEFAULT_JUJU_VERSION}).
   * It decides version defaults, e.g. from `'4.0.0'` on an action that does not set
   * `additionalProperties` fails on unknown parameters, as on Juju 4.
   */
  readonly jujuVersion?: string;
}

/**
 * The Juju version a {@link Context} runs under unless told: 4, today's Juju, as the simulator
 * defaults to (a test that passes under 4 uses no removed tool). Pass `jujuVersion: '3.6.12'` to
 * test as on the 3.6 long-term-support line.
 */
export const DEFAULT_JUJU_VERSION = '4.0.0';

/** What `runAction()` returns. */
export interface ActionOutput {
  readonly state: State;
  /** `action-set` results, flattened as Juju stores them (`a.b`). */
  readonly results: Readonly<Record<string, string>>;
  /** The `action-fail` message, or null when the action did not fail. */
  readonly failure: string | null;
  /** `action-log` messages. */
  readonly logs: readonly string[];
}

/** The {@link CharmTypes} a charm class was declared with (`CharmBase<WebTypes>` → `WebTypes`). */
export type TypesOf<C> =
  C extends CharmBase<infer T>
    ? // Inference falls back to the bare constraint for an untyped charm with its own events class.
      CharmTypes extends T
      ? UntypedCharm
      : T
    : UntypedCharm;

type Quoted<S> = S extends string ? `"${S}"` : never;

/** The names in a state that charm types `T` do not declare, as messages (never when none). */
export type StateProblems<T extends CharmTypes, Cfg, R extends string, K extends string> =
  | (string extends keyof Cfg
      ? never
      : `config option ${Quoted<Exclude<keyof Cfg, keyof T['config']>>} is not declared`)
  | (string extends keyof Cfg
      ? never
      : {
          [P in keyof Cfg & keyof T['config']]: Cfg[P] extends T['config'][P]
            ? never
            : `config option ${Quoted<P>} has the wrong type`;
        }[keyof Cfg & keyof T['config']])
  | (string extends R ? never : `relation endpoint ${Quoted<Exclude<R, T['relations']>>} is not declared`)
  | (string extends K ? never : `container ${Quoted<Exclude<K, T['containers']>>} is not declared`);

/**
 * What `run()` requires of a state beyond being one: nothing when its names are the charm's,
 * else a property no state has, whose type names the problem (so the compiler shows it).
 */
export type CheckedState<T extends CharmTypes, Cfg, R extends string, K extends string> = [
  StateProblems<T, Cfg, R, K>,
] extends [never]
  ? unknown
  : { readonly 'not in the charm types': StateProblems<T, Cfg, R, K> };

/**
 * Runs a charm against an in-memory {@link State}, one event at a time, with no processes and no
 * disk: `const out = await ctx.run(ctx.on.configChanged(), new State({ config: { port: 80 } }))`.
 * The records of the last run (`jujuLog`, `emittedEvents`, status history) are kept for asserting.
 */
export class Context<C extends CharmBase<CharmTypes> = CharmBase> {
  readonly meta: CharmMeta;
  readonly appName: string;
  readonly unitName: string;
  /**
   * Builds the events `run()` takes. With a charm declared with generated types
   * (`CharmBase<WebTypes>`), relation endpoints, containers, storages, action names and their
   * parameters are checked at compile time.
   */
  readonly on: ContextEvents<TypesOf<C>>;
  /** Every log line of the last run (DEBUG included), as the charm's `juju-log` would have sent. */
  jujuLog: { level: LogLevel; message: string }[] = [];
  /** Every event emitted during the last run (deferred re-emissions included), in order. */
  emittedEvents: EventBase[] = [];
  /** Unit statuses set during the last run, in order. */
  unitStatusHistory: StatusValue[] = [];
  /** Application statuses set during the last run, in order. */
  appStatusHistory: StatusValue[] = [];
  /** Model calls of the last run (`is-leader`, `relation-set -r 3`…): what would have been a hook tool. */
  toolCalls: string[] = [];
  /** The charm instance of the last run. */
  charm: C | null = null;

  constructor(
    private readonly charmClass: CharmClass<C>,
    private readonly options: ContextOptions = {},
  ) {
    const meta = options.meta;
    this.meta =
      meta === undefined
        ? loadCharmMeta(options.charmDir ?? process.cwd())
        : 'relations' in meta
          ? (meta as CharmMeta)
          : parseCharmMeta(meta as CharmMetaSources);
    this.appName = options.appName ?? this.meta.name;
    this.unitName = `${this.appName}/${options.unitId ?? 0}`;
    this.on = new ContextEvents<TypesOf<C>>(this.appName);
  }

  /**
   * Runs `event` on a unit in `state` and returns the unit's state afterwards. With a typed charm,
   * a config key, relation endpoint or container the charm does not declare does not compile.
   */
  async run<Cfg extends object, R extends string, K extends string>(
    event: EventSpec,
    state: State<Cfg, R, K> & CheckedState<TypesOf<C>, Cfg, R, K>,
  ): Promise<State> {
    return (await this.#run(event, state as State)).state;
  }

  /** Runs an action and returns its results, failure message and logs with the output state. */
  async runAction<Cfg extends object, R extends string, K extends string>(
    event: EventSpec,
    state: State<Cfg, R, K> & CheckedState<TypesOf<C>, Cfg, R, K>,
  ): Promise<ActionOutput> {
    const { state: out, backend } = await this.#run(event, state as State);
    return {
      state: out,
      results: { ...backend.actionResults },
      failure: backend.actionFailure,
      logs: [...backend.actionLogs],
    };
  }

  async #run(event: EventSpec, state: State): Promise<{ state: State; backend: StateBackend }> {
    checkConsistency(this.meta, state, event);
    const storage = seedStorage(state);
    // Outside an action `action-get` fails, as on a unit.
    const params = event.dispatchPath.startsWith('actions/') ? (event.params ?? {}) : null;
    const backend = new StateBackend(state, this.unitName, this.appName, params, {
      jujuVersion: this.options.jujuVersion ?? DEFAULT_JUJU_VERSION,
    });
    const logger = new MemoryLogger();
    const emitted: EventBase[] = [];
    this.jujuLog = logger.lines;
    this.emittedEvents = emitted;
    const context = parseJujuContext({
      JUJU_UNIT_NAME: this.unitName,
      JUJU_MODEL_NAME: state.model.name,
      JUJU_MODEL_UUID: state.model.uuid,
      JUJU_DISPATCH_PATH: event.dispatchPath,
      JUJU_VERSION: this.options.jujuVersion ?? DEFAULT_JUJU_VERSION,
      // The charm reads its own files from here (`this.charmDir`), as on a unit.
      ...(this.options.charmDir === undefined ? {} : { JUJU_CHARM_DIR: resolve(this.options.charmDir) }),
      ...event.env,
    });
    try {
      await dispatch(this.charmClass as CharmClass, {
        context,
        meta: this.meta,
        storage,
        backend,
        logger,
        ...(this.options.deferredFailureLimit === undefined
          ? {}
          : { deferredFailureLimit: this.options.deferredFailureLimit }),
        ...(this.options.now ? { now: this.options.now } : {}),
        onCharm: (charm, framework) => {
          this.charm = charm as C;
          framework.bus.on('emitted', (e) => emitted.push(e));
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new UncaughtCharmError(`the charm raised while handling ${event.dispatchPath}: ${message}`, {
        cause: error,
      });
    } finally {
      this.unitStatusHistory = backend.statusHistory.unit;
      this.appStatusHistory = backend.statusHistory.app;
      this.toolCalls = backend.calls;
    }
    return { state: outputState(state, storage, backend), backend };
  }
}

/**
 * Puts the state's stored states and deferred events where the framework will look for them,
 * through the Storage API and ops' handle-path layout (ops owns the layout).
 */
function seedStorage(state: State): MemoryStorage {
  const storage = new MemoryStorage();
  for (const entry of state.storedStates) {
    storage.saveSnapshot(storedStatePath(entry.ownerPath, entry.name), canonicalJson(entry.content));
  }
  let eventCount = 0;
  // Two observers of one event share its snapshot: the first one's is kept.
  const eventPaths = new Set<string>();
  state.deferred.forEach((deferred, index) => {
    if (!eventPaths.has(deferred.eventPath)) {
      eventPaths.add(deferred.eventPath);
      storage.saveSnapshot(deferred.eventPath, canonicalJson(deferred.snapshot));
    }
    storage.saveNotice({
      sequence: index + 1,
      eventPath: deferred.eventPath,
      observerPath: deferred.observerPath,
      methodName: deferred.methodName,
      deferredAt: deferred.deferredAt ?? 0,
      failures: deferred.failures ?? 0,
      lastError: deferred.lastError ?? null,
    });
    eventCount = Math.max(eventCount, eventNumberOf(deferred.eventPath) ?? 0);
  });
  if (eventCount) storage.saveSnapshot(FRAMEWORK_STATE_PATH, encodeFrameworkState(eventCount));
  return storage;
}

/** The unit's state after the run: storage is read only through ops' inspector. */
function outputState(input: State, storage: MemoryStorage, backend: StateBackend): State {
  const inspector = new StorageInspector(storage);
  const storedStates: StoredStateEntry[] = [];
  for (const entry of inspector.storedStates()) {
    // The framework's own state (its event counter) is not the charm's.
    if (entry.ownerPath !== null)
      storedStates.push({
        ownerPath: entry.ownerPath,
        name: entry.name,
        content: entry.content as JsonObject,
      });
  }
  const toDeferred = (notice: InspectedNotice): DeferredEvent => ({
    eventPath: notice.eventPath,
    kind: notice.eventKind,
    observerPath: notice.observerPath,
    methodName: notice.methodName,
    snapshot: (notice.snapshot ?? {}) as JsonObject,
    failures: notice.failures,
    lastError: notice.lastError,
    deferredAt: notice.deferredAt,
  });
  const deferred = inspector.notices().map(toDeferred);
  const parked = [...input.parked, ...inspector.parkedNotices().map(toDeferred)];
  const relations = input.relations.map((relation) => {
    const working = backend.relations.get(relation.id);
    return working
      ? relation.with({ localUnitData: working.localUnitData, localAppData: working.localAppData } as never)
      : relation;
  });
  const containers = input.containers.map((container) => {
    const pebble = backend.pebbles.get(container.name);
    // A container the charm never reached is as it was.
    if (pebble === undefined || !container.canConnect) return container;
    return container.with({
      layers: pebble.layers,
      serviceStatuses: pebble.serviceStatuses,
      files: pebble.filesystem.entries(),
      checks: pebble.checkInfos,
      notices: pebble.notices,
      identities: pebble.identities,
      execs: [...container.execs, ...pebble.execs],
      changes: [...container.changes, ...pebble.changes],
      signals: [...container.signals, ...pebble.signals],
    }) as Container;
  });
  return input.with({
    relations,
    containers,
    storedStates,
    deferred,
    parked,
    unitStatus: backend.unitStatus,
    leaderSettings: backend.leaderSettings,
    secrets: backend.secrets,
    openedPorts: backend.openedPortList,
    requestedStorage: backend.requestedStorage,
    rebootRequested: backend.rebootRequested,
    appStatus: backend.appStatus,
    workloadVersion: backend.workloadVersion,
  });
}
