import { delimiter } from 'node:path';
import {
  ActionEvent,
  type CharmBase,
  type EventBase,
  HookEvent,
  OpsObject,
  RelationEvent,
  StorageEvent,
  WorkloadEvent,
} from '@charmkit/ops';
import type { FlagConditions } from './conditions.js';
import { takeDecorated } from './decorators.js';
import { HandlerDefinitionError, ReactiveCycleError } from './errors.js';
import { discoverExternalHandlers } from './external/discover.js';
import { ExchangeDir } from './external/exchange-dir.js';
import { type ChildOptions, ExternalHandlerFile } from './external/external-handler.js';
import { fileHash } from './file-hash.js';
import type { FlagProvider, FlagProviderOptions } from './flag-provider.js';
import { Flags } from './flags.js';
import type {
  HandlerCall,
  HandlerOptions,
  HandlerPhase,
  ReactiveHandler,
  ReactiveTraceEntry,
} from './handler-spec.js';
import { type TestContext, TsHandler } from './internal/ts-handler.js';
import type { TriggerSpec } from './trigger.js';

/** Options of {@link Reactive}. */
export interface ReactiveOptions {
  /**
   * The charm directory: base of relative `whenFileChanged` paths and of `externalDir`, and the
   * working directory of external handlers. Default: `JUJU_CHARM_DIR`, else the current directory.
   */
  readonly charmDir?: string;
  /**
   * Where executables are discovered as external handlers, relative to the charm directory
   * (default `reactive`); null turns discovery off (files given to {@link Reactive.external} still run).
   */
  readonly externalDir?: string | null;
  /** Flag rounds before the loop gives up with {@link ReactiveCycleError} (default 100). */
  readonly maxRounds?: number;
  /** Extra environment for external handlers; a function is called before each one runs. */
  readonly env?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** Run the loop in action dispatches too (default false: actions change flags, hooks react). */
  readonly inActions?: boolean;
  /**
   * The level of the line logged for each handler run (default `DEBUG`: stdout, no process).
   * `INFO` sends each through `juju-log`, so `juju debug-log` shows the trace at its default level.
   */
  readonly traceLevel?: 'DEBUG' | 'INFO';
}

/** @internal What an endpoint gives the loop. */
export interface LoopEndpoint {
  /** Sets the automatic `endpoint.<name>.*` flags; called once, before the hook phase. */
  refreshFlags(): void;
}

interface ReactiveRecord {
  flags: string[];
  seen: string[];
  files: Record<string, Record<string, string>>;
  once: string[];
}

type Entry =
  | { readonly kind: 'ts'; readonly handler: TsHandler }
  | { readonly kind: 'external'; readonly file: ExternalHandlerFile };

type Candidate =
  | { readonly kind: 'ts'; readonly handler: TsHandler }
  | { readonly kind: 'external'; readonly file: ExternalHandlerFile; readonly functions: readonly string[] };

// Hooks where Juju allows only a few tools; charms.reactive ran only their hook handlers.
const RESTRICTED_HOOKS = new Set(['collect-metrics', 'meter-status-changed']);

/**
 * charms.reactive on the charmkit framework: persisted {@link Flags}, handlers that run when
 * combinations of flags hold, hook handlers, file-change handlers, endpoint flags and handlers in
 * any language. Create one per charm, first among its libraries:
 *
 * ```ts
 * readonly reactive = new Reactive(this);
 * constructor(framework: Framework) {
 *   super(framework);
 *   this.reactive.when(['db.database.available', '!app.configured'], this.configure);
 *   this.reactive.whenFileChanged('/etc/app.conf', this.restart);
 * }
 * ```
 *
 * The loop runs at the end of every dispatch (a dispatch participant's `end`), after the hook's
 * own event and its observers and before statuses are collected: first the hook phase (handlers
 * with a `hook` condition, once), then flag rounds. Round 0 tests every other handler; each later
 * round tests only handlers one of whose flags changed in the round before (and handlers with no
 * flag conditions); the loop ends at the first round where nothing matches. In a round, matching
 * handlers run in registration order (external files after the TypeScript handlers registered
 * before them), each tested again right before it runs. See `docs/how-to/reactive.md`.
 */
export class Reactive extends OpsObject {
  static override readonly handleKind = 'Reactive';

  /** The unit's flags. */
  readonly flags: Flags;
  /** The charm. */
  readonly charm: CharmBase;
  /** See {@link ReactiveOptions.charmDir}. */
  readonly charmDir: string;
  /** Every handler run in this dispatch, in order. */
  readonly trace: ReactiveTraceEntry[] = [];

  readonly #state: ReactiveRecord;
  readonly #options: ReactiveOptions;
  readonly #entries: Entry[] = [];
  readonly #names = new Set<string>();
  readonly #endpoints: LoopEndpoint[] = [];
  /** Flags changed since the current round started. */
  #changed = new Set<string>();
  #hookEvent: EventBase | null = null;
  #hookName: string | null = null;
  #exchange: ExchangeDir | null = null;
  #started = false;

  constructor(charm: CharmBase, options: ReactiveOptions = {}) {
    super(charm, null);
    this.charm = charm;
    this.#options = options;
    this.charmDir = options.charmDir ?? process.env.JUJU_CHARM_DIR ?? process.cwd();
    this.#state = this.storedState('state', {
      flags: [] as string[],
      seen: [] as string[],
      files: {} as Record<string, Record<string, string>>,
      once: [] as string[],
    });
    this.flags = new Flags(this.#state);
    this.flags.onChange((flag) => this.#changed.add(flag));
    // In restricted hooks it runs only the hook phase (see RESTRICTED_HOOKS).
    this.framework.addParticipant({
      name: this.handle.path,
      // The hook's own event, before any observer sees it (so its observers can read hookName).
      onHookEvent: (event) => this.#noteHookEvent(event),
      end: () => this.#run(),
      inRestrictedHooks: true,
    });
    this.adopt(charm);
  }

  /**
   * Registers the methods of `owner` marked with the optional decorators (`@when(…)` and friends),
   * with `this` bound to `owner`. The charm's are adopted when the Reactive is created; call it
   * for other objects.
   */
  adopt(owner: object): void {
    for (const { method, options } of takeDecorated(owner)) this.register({ ...options, owner }, method);
  }

  /** The hook being run (`config-changed`, `db-relation-joined`…), once its event was emitted. */
  get hookName(): string | null {
    return this.#hookName;
  }

  /** The hook's event (a `RelationEvent` in relation hooks), once emitted. */
  get hookEvent(): EventBase | null {
    return this.#hookEvent;
  }

  // ---- registration -------------------------------------------------------------------------

  /** Runs `handler` while every condition holds: `when(['db.ready', '!configured'], this.configure)`. */
  when(conditions: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, when: merge(options.when, conditions) }, handler);
  }

  /** Same as {@link Reactive.when}. */
  whenAll(conditions: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.when(conditions, handler, options);
  }

  /** Runs `handler` while at least one condition holds. */
  whenAny(conditions: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, whenAny: merge(options.whenAny, conditions) }, handler);
  }

  /** Runs `handler` while none of `flags` is set (charms.reactive's `when_not`). */
  whenNot(flags: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, whenNone: merge(options.whenNone, flags) }, handler);
  }

  /** Same as {@link Reactive.whenNot}. */
  whenNone(flags: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.whenNot(flags, handler, options);
  }

  /** Runs `handler` while at least one of `flags` is not set. */
  whenNotAll(flags: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, whenNotAll: merge(options.whenNotAll, flags) }, handler);
  }

  /**
   * Runs `handler` when one of `paths` changed since the handler last ran. The change is consumed
   * only when the handler runs and succeeds (charms.reactive consumed it when merely tested).
   */
  whenFileChanged(
    paths: string | readonly string[],
    handler: ReactiveHandler,
    options: HandlerOptions = {},
  ): void {
    this.register({ ...options, whenFileChanged: merge(options.whenFileChanged, paths) }, handler);
  }

  /** Runs `handler` in the hook phase when the hook matches: `hook('{install,upgrade-charm}', …)`. */
  hook(patterns: string | readonly string[], handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, hook: merge(options.hook, patterns) }, handler);
  }

  /** Runs `handler` once in the unit's life (in the first dispatch; again only if that one failed). */
  onlyOnce(handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.register({ ...options, onlyOnce: true }, handler);
  }

  /** Registers a handler with any combination of conditions (all must hold). */
  register(options: HandlerOptions, handler: ReactiveHandler): void {
    if (this.#started) {
      throw new HandlerDefinitionError('register reactive handlers in the constructor, before the loop runs');
    }
    if (typeof handler !== 'function') {
      throw new HandlerDefinitionError(`a reactive handler must be a function, got ${typeof handler}`);
    }
    const name = options.name ?? handler.name.replace(/^bound /, '');
    if (!name) {
      throw new HandlerDefinitionError(
        'this handler has no name: pass { name } (names key stored file hashes and only-once marks)',
      );
    }
    if (this.#names.has(name)) {
      throw new HandlerDefinitionError(`two reactive handlers are named ${name}: pass a distinct { name }`);
    }
    this.#names.add(name);
    const owner = options.owner ?? this.charm;
    this.#entries.push({
      kind: 'ts',
      handler: new TsHandler(name, handler, owner, options, this.framework.meta),
    });
  }

  /**
   * Places an external handler file (relative to the charm directory) at this point of the run
   * order. Discovered files not placed this way run after every other handler.
   */
  external(path: string): void {
    if (this.#started) throw new HandlerDefinitionError('register external handlers in the constructor');
    const file = new ExternalHandlerFile(path, this.charmDir);
    if (this.#entries.some((e) => e.kind === 'external' && e.file.file === file.file)) {
      throw new HandlerDefinitionError(`external handler ${path} is registered twice`);
    }
    this.#entries.push({ kind: 'external', file });
  }

  /** Registers a trigger; see {@link Flags.trigger}. */
  trigger(spec: TriggerSpec): void {
    this.flags.trigger(spec);
  }

  /** Makes a provider's flags visible; see {@link Flags.addProvider}. */
  addFlagProvider(provider: FlagProvider, options: FlagProviderOptions = {}): void {
    this.flags.addProvider(provider, options);
  }

  /** @internal Endpoints register themselves to have their automatic flags refreshed. */
  registerEndpoint(endpoint: LoopEndpoint): void {
    this.#endpoints.push(endpoint);
  }

  // ---- the loop -----------------------------------------------------------------------------

  #noteHookEvent(event: EventBase): void {
    if (this.#hookEvent !== null) return;
    if (!(event instanceof HookEvent) && !(event instanceof ActionEvent)) return;
    this.#hookEvent = event;
    this.#hookName = hookNameOf(event, this.framework.model.context.actionName ?? null);
  }

  async #run(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const log = this.framework.log;
    const actionName = this.framework.model.context.actionName ?? null;
    if (actionName !== null && !this.#options.inActions) {
      log.debug(`reactive: not run in action ${actionName}`);
      return;
    }
    this.#discover();
    try {
      for (const endpoint of this.#endpoints) endpoint.refreshFlags();
      const hook = this.#hookName;
      if (hook !== null) {
        const candidates = await this.#candidates('hook', 0, new Set());
        await this.#runAll(candidates, 'hook', 0);
      }
      if (hook !== null && RESTRICTED_HOOKS.has(hook)) return;
      const max = this.#options.maxRounds ?? 100;
      let previous = new Set<string>();
      for (let round = 0; ; round++) {
        this.#changed = new Set();
        const candidates = await this.#candidates('flags', round, previous);
        if (candidates.length === 0) {
          log.debug(`reactive: ${hook ?? 'dispatch'}: done after ${round} round(s)`);
          return;
        }
        if (round >= max) {
          const names = candidates.flatMap((c) =>
            c.kind === 'ts' ? [c.handler.name] : c.functions.map((f) => `${c.file.path}:${f}`),
          );
          const flags = [...previous].sort();
          throw new ReactiveCycleError(
            `reactive handlers still cycling after ${max} rounds: ${names.join(', ')} (flags changed in the last round: ${flags.join(', ') || 'none'}); make sure each handler changes a flag or file that stops it from matching`,
            names,
            flags,
          );
        }
        await this.#runAll(candidates, 'flags', round);
        previous = this.#changed;
      }
    } finally {
      this.#exchange?.dispose();
      this.#exchange = null;
    }
  }

  #discover(): void {
    const dir = this.#options.externalDir === undefined ? 'reactive' : this.#options.externalDir;
    if (dir === null) return;
    const known = new Set(this.#entries.flatMap((e) => (e.kind === 'external' ? [e.file.file] : [])));
    for (const path of discoverExternalHandlers(this.charmDir, dir)) {
      const file = new ExternalHandlerFile(path, this.charmDir);
      if (!known.has(file.file)) this.#entries.push({ kind: 'external', file });
    }
  }

  async #candidates(phase: HandlerPhase, round: number, previous: ReadonlySet<string>): Promise<Candidate[]> {
    this.flags.refreshProvided();
    const candidates: Candidate[] = [];
    const ctx = this.#testContext(phase);
    for (const entry of this.#entries) {
      if (entry.kind === 'ts') {
        const handler = entry.handler;
        if (handler.phase !== phase) continue;
        // charms.reactive's FlagWatch: after round 0, only handlers whose flags changed.
        if (round > 0 && handler.watched.size > 0 && ![...handler.watched].some((f) => previous.has(f)))
          continue;
        if (handler.test(ctx)) candidates.push({ kind: 'ts', handler });
      } else {
        const functions = await entry.file.test(this.#childOptions(entry.file, phase, round, previous));
        this.#applyJournal(phase, round);
        if (functions.length > 0) candidates.push({ kind: 'external', file: entry.file, functions });
      }
    }
    return candidates;
  }

  async #runAll(candidates: readonly Candidate[], phase: HandlerPhase, round: number): Promise<void> {
    const log = this.framework.log;
    const where = `reactive: ${this.#hookName ?? 'dispatch'}: ${phase === 'hook' ? 'hook phase' : `round ${round}`}`;
    for (const candidate of candidates) {
      if (candidate.kind === 'external') {
        log.debug(`${where}: ${candidate.file.path} --invoke ${candidate.functions.join(',')}`);
        // Buffered relation data and statuses go out first, so the child's hook tools see them.
        this.framework.model.flush();
        await candidate.file.invoke(
          candidate.functions,
          this.#childOptions(candidate.file, phase, round, new Set()),
        );
        this.#applyJournal(phase, round);
      } else {
        const handler = candidate.handler;
        // An earlier handler in this round may have changed what it depends on.
        if (!handler.test(this.#testContext(phase))) {
          log.debug(`${where}: ${handler.name} no longer matches; skipped`);
          continue;
        }
        const hashes = handler.files.map((path) => [path, fileHash(path, this.charmDir)] as const);
        this.#record(phase, round, handler.name);
        const call: HandlerCall = { handler: handler.name, hook: this.#hookName, phase, round };
        await handler.fn.call(handler.owner, call);
        if (hashes.length > 0) {
          this.#state.files[handler.name] = {
            ...this.#state.files[handler.name],
            ...Object.fromEntries(hashes),
          };
        }
        if (handler.onlyOnce) this.#state.once = [...this.#state.once, handler.name];
      }
      this.flags.refreshProvided();
    }
  }

  #record(phase: HandlerPhase, round: number, handler: string): void {
    this.trace.push({ hook: this.#hookName, phase, round, handler });
    const where = phase === 'hook' ? 'hook phase' : `round ${round}`;
    this.framework.log.log(
      this.#options.traceLevel ?? 'DEBUG',
      `reactive: ${this.#hookName ?? 'dispatch'}: ${where}: ${handler}`,
    );
  }

  #testContext(phase: HandlerPhase): TestContext {
    const hashes = new Map<string, string>();
    return {
      hook: this.#hookName,
      phase,
      isSet: (flag) => this.flags.isSet(flag),
      storedHash: (name, path) => this.#state.files[name]?.[path] ?? '',
      // Several handlers may watch one file: hash it once per test pass.
      currentHash: (path) => {
        let hash = hashes.get(path);
        if (hash === undefined) {
          hash = fileHash(path, this.charmDir);
          hashes.set(path, hash);
        }
        return hash;
      },
      ranOnce: (name) => this.#state.once.includes(name),
    };
  }

  #childOptions(
    file: ExternalHandlerFile,
    phase: HandlerPhase,
    round: number,
    changed: ReadonlySet<string>,
  ): ChildOptions {
    if (this.#exchange === null) {
      const endpoints = [...this.framework.meta.relations.values()].map((r) => ({
        role: r.role,
        iface: r.interface,
        name: r.name,
      }));
      this.#exchange = new ExchangeDir(endpoints);
    }
    const exchange = this.#exchange;
    // The child sees every flag of this dispatch, committed or not: the exchange directory is
    // the flag store for its duration, and the parent applies its journal when it exits.
    exchange.write({
      flags: this.flags.all(),
      readOnly: this.flags.providedNamespaces(),
      changed,
      hashes: this.#state.files,
      once: this.#state.once,
    });
    const optionEnv = this.#options.env;
    const extra = typeof optionEnv === 'function' ? optionEnv() : (optionEnv ?? {});
    const basePath = extra.PATH ?? process.env.PATH ?? '';
    return {
      cwd: this.charmDir,
      log: this.framework.log,
      env: {
        ...process.env,
        ...extra,
        PATH: `${exchange.binDir}${delimiter}${basePath}`,
        CHARM_DIR: this.charmDir,
        JUJU_CHARM_DIR: this.charmDir,
        JUJU_HOOK_NAME: this.#hookName ?? '',
        CHARMKIT_REACTIVE_DIR: exchange.path,
        CHARMKIT_REACTIVE_HANDLER: file.path,
        CHARMKIT_REACTIVE_PHASE: phase,
        CHARMKIT_REACTIVE_ROUND: String(round),
      },
    };
  }

  #applyJournal(phase: HandlerPhase, round: number): void {
    const exchange = this.#exchange;
    if (exchange === null) return;
    for (const entry of exchange.readJournal()) {
      switch (entry.kind) {
        case 'set':
          this.flags.set(entry.flag);
          break;
        case 'clear':
          this.flags.clear(entry.flag);
          break;
        case 'file':
          this.#state.files[entry.id] = { ...this.#state.files[entry.id], [entry.path]: entry.hash };
          break;
        case 'once':
          if (!this.#state.once.includes(entry.id)) this.#state.once = [...this.#state.once, entry.id];
          break;
        case 'ran':
          this.#record(phase, round, entry.id);
          break;
      }
    }
  }
}

function merge<T>(a: T | readonly T[] | undefined, b: T | readonly T[]): T[] {
  const list = (x: T | readonly T[] | undefined): T[] =>
    x === undefined ? [] : Array.isArray(x) ? [...(x as readonly T[])] : [x as T];
  return [...list(a), ...list(b)];
}

/** `config_changed` → `config-changed`; relation, storage and workload hooks keep their names. */
function hookNameOf(event: EventBase, actionName: string | null): string {
  const kind = event.handle.kind;
  if (event instanceof ActionEvent) return actionName ?? kind.replace(/_action$/, '').replace(/_/g, '-');
  if (event instanceof RelationEvent) {
    const suffix = /_relation_(created|joined|changed|departed|broken)$/.exec(kind)?.[1];
    if (suffix) return `${event.relation.name}-relation-${suffix}`;
  }
  if (event instanceof StorageEvent) {
    const suffix = /_storage_(attached|detaching)$/.exec(kind)?.[1];
    if (suffix) return `${event.storage.name}-storage-${suffix}`;
  }
  if (event instanceof WorkloadEvent) {
    const suffix = /_(pebble_ready|pebble_custom_notice|pebble_check_failed|pebble_check_recovered)$/.exec(
      kind,
    )?.[1];
    if (suffix) return `${event.workload.name}-${suffix.replace(/_/g, '-')}`;
  }
  return kind.replace(/_/g, '-');
}
