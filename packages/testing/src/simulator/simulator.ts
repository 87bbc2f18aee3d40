import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CharmClass,
  type CharmMeta,
  type ConfigValue,
  loadCharmMeta,
  parseJujuVersion,
} from '@charmkit/ops';
import { isRemovedInJuju4 } from '@charmkit/ops/hook-tools';
import { PEBBLE_SOCKET_DIR_ENV, pebbleSocketPath } from '@charmkit/ops/pebble';
import type { MemoryPebble } from '../pebble/memory-pebble.js';
import { HookRetryLimitError, InvariantViolationError, SimulatorError } from './errors.js';
import { type FaultOptions, FaultPlan, type TopologyFault } from './faults.js';
import { makeHook, type QueuedHook } from './hook-queue.js';
import type { HookRunner } from './hook-runner.js';
import { HookSession } from './hook-session.js';
import { InProcessRunner } from './in-process-runner.js';
import { type InvariantCheck, InvariantSet, type InvariantViolation } from './invariants.js';
import { PebbleSocketServer } from './pebble-socket-server.js';
import { ProcessRunner } from './process-runner.js';
import { queueSecretHook, secretHookEnv } from './secret-hooks.js';
import { SimSecretStore } from './secret-store.js';
import { SeededRandom } from './seeded-random.js';
import { prepareAction, type SimActionResult } from './sim-actions.js';
import { type SimContainerOptions, SimContainers, workloadHookEnv } from './sim-containers.js';
import { SimStorage, storageHookEnv } from './sim-storage.js';
import { type SimSnapshot, takeSnapshot } from './snapshot.js';
import { defaultToolClient, installToolClients, type ToolClientKind } from './tool-client.js';
import { SIMULATED_TOOL_NAMES } from './tool-commands.js';
import { ToolServer } from './tool-server.js';
import { type HookRecord, SimTrace } from './trace.js';
import type { UnitLogLine, UnitRecord } from './unit-record.js';
import { type RemoteAppSpec, resolveJujuVersion, World } from './world.js';

/** Options every simulation takes. */
export interface SimulatorBaseOptions {
  /** The application name (default: the charm's name). */
  readonly app?: string;
  /** Units deployed at the start (default 1). */
  readonly units?: number;
  /** Seed of the scheduler (which unit runs next) and, by default, of the faults (default 1). */
  readonly seed?: number;
  /** Config set at deploy, on top of the defaults in config.yaml. */
  readonly config?: Readonly<Record<string, ConfigValue>>;
  /** Remote applications related at deploy (their units run no hooks; their data is scripted). */
  readonly remoteApps?: readonly RemoteAppSpec[];
  /** Fault injection (none by default). */
  readonly faults?: FaultOptions;
  /** A hook that fails this many times in a row ends the run (default 5). */
  readonly maxAttempts?: number;
  /** update-status rounds each `settle()` runs once the queues are empty (default 1). */
  readonly updateStatusRounds?: number;
  /** Throw {@link InvariantViolationError} at the first violation instead of collecting it. */
  readonly strict?: boolean;
  /** `JUJU_MODEL_NAME` (default `sim`). */
  readonly modelName?: string;
  /**
   * The Juju the model runs: `'4'` (default, the current line) or `'3.6'`, or a full version
   * (`'3.6.12'`, `'4.0.1'`). It sets `JUJU_VERSION`, and on 4 the model has no `leader-get`/
   * `leader-set`/`add-metric`/pod-spec tools (in process mode they are not installed, so calling
   * one fails as a missing command does on a unit), no `leader-settings-changed` and no
   * `private-address` in relation data.
   */
  readonly juju?: string;
  /** Where units' charm copies, the tool clients and the socket live (default: a new temp dir). */
  readonly workDir?: string;
  /** Keep `workDir` after {@link Simulator.close} (default: remove it when the simulator made it). */
  readonly keepWorkDir?: boolean;
  /**
   * The model's secrets (default: a store of this simulation's own). Give several simulations of
   * one model the same store and a secret one application grants can be read by another.
   */
  readonly secrets?: SimSecretStore;
  /**
   * Allocates relation ids, peers' included, when several simulations form one model (ids are
   * model-wide in Juju). Set by `ModelSimulator`.
   * @internal
   */
  readonly relationIds?: () => number;
  /**
   * Numbers storage instances by storage name when several simulations form one model (Juju's
   * storage ids are model-wide). Set by `ModelSimulator`.
   * @internal
   */
  readonly storageIds?: (name: string) => number;
  /** How the workload containers of a Kubernetes charm behave (exec stand-ins per container). */
  readonly containers?: SimContainerOptions;
}

/** Each hook is `dispatch()` of the charm class in this process. */
export interface InProcessSimulatorOptions extends SimulatorBaseOptions {
  readonly mode: 'in-process';
  readonly charm: CharmClass;
  /** The charm's metadata; or give `charmDir` to load it from there. */
  readonly meta?: CharmMeta;
  /** The charm's directory (where its metadata is read from). Each unit runs in a directory of its own. */
  readonly charmDir?: string;
}

/** Each hook is the built charm's `./dispatch` run as a child process. */
export interface ProcessSimulatorOptions extends SimulatorBaseOptions {
  readonly mode: 'process';
  /** A built charm directory (`buildCharm()`'s `outDir`): `dispatch`, `dist/`, metadata. */
  readonly charmDir: string;
  /** The hook-tool client program (default: `perl` when installed, else `node`). */
  readonly toolClient?: ToolClientKind;
  /** A hook running longer is killed and counts as killed (default 30 000 ms). */
  readonly hookTimeoutMs?: number;
}

/** How to create a {@link Simulator}. */
export type SimulatorOptions = InProcessSimulatorOptions | ProcessSimulatorOptions;

/** A hook that kept failing past the retry cap. */
export interface StuckHook {
  readonly unit: string;
  readonly hook: string;
  readonly attempts: number;
  readonly error: string;
}

/** What {@link Simulator.settle} ended with. */
export interface SettleResult {
  /** True when every queue is empty. */
  readonly settled: boolean;
  /** `settled`, `max-hooks` (the budget ran out) or `retry-limit` (a hook kept failing). */
  readonly reason: 'settled' | 'max-hooks' | 'retry-limit';
  /** Hooks run by this call. */
  readonly hooks: number;
  readonly stuck: StuckHook | null;
  /** One line saying what happened. */
  readonly report: string;
}

/** Options of {@link Simulator.settle}. */
export interface SettleOptions {
  /** Stop after this many hooks (default 10 000). */
  readonly maxHooks?: number;
  /** update-status rounds once the queues are empty (default: the simulator's option). */
  readonly updateStatusRounds?: number;
}

/** A hook fault requested by the test. */
export interface HookFaultRequest {
  /** Only on this unit (default: any). */
  readonly unit?: string;
  /** Only this hook, e.g. `leader-elected` (default: the next hook). */
  readonly hook?: string;
  /** 0: before the hook starts; n: at its n-th tool call; a tool name: at that tool's first call (default 1). */
  readonly atCall?: number | string;
  /** SIGKILL the hook process instead of failing a tool call (process mode; in-process it fails). */
  readonly kill?: boolean;
}

/** Counters of a simulation. */
export interface SimStats {
  readonly mode: 'in-process' | 'process';
  readonly hooks: number;
  readonly failed: number;
  readonly killed: number;
  /** Milliseconds spent inside `step()` (hooks plus the simulator's own work). */
  readonly busyMs: number;
  readonly hooksPerSecond: number;
  readonly toolCalls: number;
  /** Milliseconds the tool server spent answering (process mode). */
  readonly toolServeMs: number;
}

/**
 * A simulated Juju model with one application of N units (and optional scripted remote
 * applications), running the charm's hooks one at a time by Juju's ordering rules
 * (juju-contract §4), with seeded scheduling, fault injection, invariants checked after every
 * hook and a full trace. Create it with {@link Simulator.create}; `close()` it when done.
 *
 * ```ts
 * const sim = await Simulator.create({ mode: 'in-process', charm: MyCharm, meta, units: 3, seed: 7 });
 * sim.addInvariant('one leader', (w) => w.leader !== null || 'no leader');
 * const result = await sim.settle();
 * expect(result.settled).toBe(true);
 * await sim.close();
 * ```
 */
export class Simulator {
  /** Every hook and event, in order. */
  readonly trace = new SimTrace();
  /** Invariant violations collected so far. */
  readonly violations: InvariantViolation[] = [];

  readonly #world: World;
  readonly #runner: HookRunner;
  readonly #faults: FaultPlan;
  readonly #schedule: SeededRandom;
  readonly #invariants = new InvariantSet();
  readonly #options: SimulatorOptions;
  readonly #server: ToolServer | null;
  readonly #workDir: string;
  readonly #ownWorkDir: boolean;
  readonly #started = performance.now();
  #hooksRun = 0;
  #failed = 0;
  #killed = 0;
  #busyMs = 0;
  #toolCalls = 0;
  #contextCounter = 0;
  #stuck: StuckHook | null = null;
  #closed = false;
  #actions = 0;
  /** Each process-mode unit's container sockets. */
  readonly #pebbleServers: PebbleSocketServer[] = [];
  readonly #unsubscribeSecrets: () => void;

  private constructor(parts: {
    options: SimulatorOptions;
    meta: CharmMeta;
    runner: HookRunner;
    server: ToolServer | null;
    workDir: string;
    ownWorkDir: boolean;
    jujuVersion: string;
  }) {
    const { options, meta } = parts;
    const seed = options.seed ?? 1;
    this.#options = options;
    this.#runner = parts.runner;
    this.#server = parts.server;
    this.#workDir = parts.workDir;
    this.#ownWorkDir = parts.ownWorkDir;
    this.#schedule = new SeededRandom(seed);
    this.#faults = new FaultPlan(options.faults ?? {}, (seed ^ 0x5bd1e995) >>> 0, options.mode === 'process');
    const uuidRandom = new SeededRandom((seed ^ 0x1b873593) >>> 0);
    const hex = uuidRandom.hex(32);
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    this.#world = new World(
      meta,
      options.app ?? meta.name,
      options.modelName ?? 'sim',
      uuid,
      (candidates) => this.#faults.random.pick(candidates),
      (description) => this.trace.entries.push({ type: 'event', afterHooks: this.#hooksRun, description }),
      parts.jujuVersion,
    );
    for (const [key, value] of Object.entries(options.config ?? {})) this.#world.configValues.set(key, value);
    this.#world.secrets = options.secrets ?? new SimSecretStore({ modelUuid: uuid });
    this.#world.storage = new SimStorage(
      parts.meta,
      join(parts.workDir, 'storage'),
      true,
      options.storageIds,
    );
    this.#world.containers = new SimContainers(parts.meta, options.containers ?? {});
    this.#unsubscribeSecrets = this.#world.secrets.subscribe((event) => {
      const unit = queueSecretHook(this.#world, event);
      if (unit)
        this.trace.entries.push({
          type: 'event',
          afterHooks: this.#hooksRun,
          description: `${event.kind} ${event.uri} -> ${unit}`,
        });
    });
  }

  /** Creates a simulation and deploys its units (their deploy hooks are queued, not run). */
  static async create(options: SimulatorOptions): Promise<Simulator> {
    let meta: CharmMeta;
    if (options.mode === 'process') meta = loadCharmMeta(options.charmDir);
    else if (options.meta) meta = options.meta;
    else if (options.charmDir) meta = loadCharmMeta(options.charmDir);
    else throw new SimulatorError('an in-process simulation needs the charm metadata: pass meta or charmDir');
    const jujuVersion = resolveJujuVersion(options.juju);
    const ownWorkDir = options.workDir === undefined;
    const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'charmkit-sim-'));
    let runner: HookRunner;
    let server: ToolServer | null = null;
    if (options.mode === 'process') {
      const toolsDir = installToolClients(
        join(workDir, 'tools'),
        // A Juju 4 unit has no removed tool on PATH: calling one is a missing command there.
        parseJujuVersion(jujuVersion).major >= 4
          ? SIMULATED_TOOL_NAMES.filter((tool) => !isRemovedInJuju4(tool))
          : SIMULATED_TOOL_NAMES,
        options.toolClient ?? defaultToolClient(),
      );
      server = await ToolServer.listen(join(workDir, 'agent.sock'));
      runner = new ProcessRunner(
        options.charmDir,
        join(workDir, 'units'),
        server,
        toolsDir,
        options.hookTimeoutMs ?? 30_000,
      );
    } else {
      runner = new InProcessRunner(options.charm, meta, workDir);
    }
    const sim = new Simulator({ options, meta, runner, server, workDir, ownWorkDir, jujuVersion });
    const world = sim.#world;
    world.relationIdSource = options.relationIds ?? null;
    // Peer relations exist from deploy, one per `peers` endpoint; then the remote applications.
    for (const endpoint of [...meta.peers.keys()].sort()) world.addRelation(endpoint);
    for (const remote of options.remoteApps ?? []) world.addRelation(remote.endpoint, remote);
    for (let i = 0; i < (options.units ?? 1); i++) await sim.addUnit();
    return sim;
  }

  /** `in-process` or `process`. */
  get mode(): 'in-process' | 'process' {
    return this.#runner.mode;
  }

  /** Hooks run so far. */
  get hooksRun(): number {
    return this.#hooksRun;
  }

  /** The `JUJU_VERSION` the simulated model runs (see {@link SimulatorBaseOptions.juju}). */
  get jujuVersion(): string {
    return this.#world.jujuVersion;
  }

  /** The model's secrets (the store given at creation, or this simulation's own). */
  get secrets(): SimSecretStore {
    return this.#world.secrets;
  }

  /**
   * The controller state itself, for `ModelSimulator`, which links several simulations' relations.
   * @internal
   */
  get world(): World {
    return this.#world;
  }

  /** The current leader, or null. */
  get leader(): string | null {
    return this.#world.leader;
  }

  /** The hook that exceeded the retry cap, if one did. */
  get stuck(): StuckHook | null {
    return this.#stuck;
  }

  /** Where the simulation keeps its files. */
  get workDir(): string {
    return this.#workDir;
  }

  /** Names of the units not yet removed. */
  units(): string[] {
    return this.#world.presentUnits().map((u) => u.name);
  }

  /** The hooks waiting on `unit`, head first. */
  queue(unit: string): string[] {
    return this.#world
      .unit(unit)
      .queue.list()
      .map((h) => (h.remoteUnit ? `${h.name}(${h.remoteUnit})` : h.name));
  }

  /** What `unit` logged (juju-log, and in-process the framework's INFO+ lines). */
  logs(unit: string): readonly UnitLogLine[] {
    return [...this.#world.unit(unit).logs];
  }

  /** The relation ids on `endpoint`. */
  relationIds(endpoint: string): number[] {
    return this.#world.relationsOn(endpoint).map((r) => r.id);
  }

  /** The controller state as plain data. */
  snapshot(): SimSnapshot {
    return takeSnapshot(this.#world);
  }

  /** Checks `check` after every hook from now on. */
  addInvariant(name: string, check: InvariantCheck): void {
    this.#invariants.add(name, check);
  }

  // Driving

  /**
   * Runs one hook: applies due topology faults, picks a unit with pending hooks with the seeded
   * scheduler, runs its head hook. Returns its record, or null when nothing is pending (or the run
   * is stuck).
   */
  async step(): Promise<HookRecord | null> {
    this.#checkOpen();
    if (this.#stuck) return null;
    const began = performance.now();
    try {
      for (const fault of this.#faults.topologyFaults(this.#hooksRun)) await this.#applyTopologyFault(fault);
      const candidates = this.#world.presentUnits().filter((u) => u.queue.length > 0);
      const unit = this.#schedule.pick(candidates);
      if (!unit) return null;
      return await this.#runHead(unit, unit.queue.head() as QueuedHook);
    } finally {
      this.#busyMs += performance.now() - began;
    }
  }

  /**
   * Runs hooks until every queue is empty (then the update-status rounds), the budget runs out,
   * or a hook exceeds the retry cap.
   */
  async settle(options: SettleOptions = {}): Promise<SettleResult> {
    const maxHooks = options.maxHooks ?? 10_000;
    let rounds = options.updateStatusRounds ?? this.#options.updateStatusRounds ?? 1;
    let hooks = 0;
    while (hooks < maxHooks) {
      const record = await this.step();
      if (record) {
        hooks++;
        continue;
      }
      if (this.#stuck) break;
      if (rounds > 0 && this.#world.aliveUnits().some((u) => u.started)) {
        rounds--;
        this.tick();
        continue;
      }
      return { settled: true, reason: 'settled', hooks, stuck: null, report: `settled after ${hooks} hooks` };
    }
    if (this.#stuck) {
      const s = this.#stuck;
      return {
        settled: false,
        reason: 'retry-limit',
        hooks,
        stuck: s,
        report: `${s.hook} on ${s.unit} failed ${s.attempts} times (the retry cap); last error: ${s.error}`,
      };
    }
    return {
      settled: false,
      reason: 'max-hooks',
      hooks,
      stuck: null,
      report: `not settled after ${hooks} hooks; pending: ${this.#pendingSummary()}`,
    };
  }

  /** Queues update-status on every started unit (Juju's timer). */
  tick(): void {
    this.#checkOpen();
    for (const unit of this.#world.aliveUnits()) {
      if (unit.started) unit.queue.push(makeHook('update-status'));
    }
  }

  /** Adds a unit (its deploy sequence is queued). Returns its name. */
  async addUnit(): Promise<string> {
    this.#checkOpen();
    const unit = this.#world.addUnit();
    await this.#runner.prepareUnit(unit.name);
    if (this.mode === 'process') {
      // A process-mode charm reaches each container's Pebble through a socket, as on Kubernetes.
      for (const name of unit.containers.keys()) {
        const socket = pebbleSocketPath(name, this.#pebbleSocketDir(unit));
        this.#pebbleServers.push(
          await PebbleSocketServer.listen(socket, () => this.#containers.get(unit, name)),
        );
      }
    }
    return unit.name;
  }

  /** Starts removing a unit (default: a random alive one). */
  removeUnit(name?: string): string {
    this.#checkOpen();
    const target = name ?? this.#faults.random.pick(this.#world.aliveUnits())?.name;
    if (!target) throw new SimulatorError('no alive unit to remove');
    this.#world.removeUnit(target);
    return target;
  }

  /** Moves leadership (default: to a random other alive unit). The new leader gets leader-elected. */
  changeLeader(name?: string): string {
    this.#checkOpen();
    const target =
      name ??
      this.#faults.random.pick(this.#world.aliveUnits().filter((u) => u.name !== this.#world.leader))?.name;
    if (!target) throw new SimulatorError('no other alive unit to lead');
    this.#world.setLeader(target);
    return target;
  }

  /** Changes config (`null` resets to the default); config-changed everywhere if anything changed. */
  setConfig(values: Readonly<Record<string, ConfigValue | null>>): boolean {
    this.#checkOpen();
    return this.#world.setConfig(values);
  }

  /** Makes the next matching hook run fail (or, with `kill`, be SIGKILLed). */
  failNextHook(request: HookFaultRequest = {}): void {
    this.#faults.arm({
      kind: request.kill ? 'kill' : 'fail',
      ...(request.unit === undefined ? {} : { unit: request.unit }),
      ...(request.hook === undefined ? {} : { hook: request.hook }),
      atCall: request.atCall ?? 1,
      origin: 'manual',
    });
  }

  /** Replaces keys of a remote application's databag; its related units get -changed. */
  setRemoteAppData(relationId: number, changes: Readonly<Record<string, string>>): void {
    const relation = this.#world.relation(relationId);
    if (relation.isPeer)
      throw new SimulatorError(`relation ${relationId} is a peer relation: the leader writes its app data`);
    this.#world.publishAppData(relation, relation.remoteApp, changes, null);
  }

  /** Replaces keys of a remote unit's databag; the local units that joined it get -changed. */
  setRemoteUnitData(relationId: number, unit: string, changes: Readonly<Record<string, string>>): void {
    const relation = this.#world.relation(relationId);
    if (!relation.remoteUnits.includes(unit))
      throw new SimulatorError(`${unit} is not a remote unit of relation ${relationId}`);
    this.#world.publishUnitData(relation, unit, changes);
  }

  /**
   * Adds `count` instances of storage `name` to `unit`, as `juju add-storage` does: each gets its
   * `<name>-storage-attached` hook.
   * @throws {SimulatorError} an unknown storage or unit, or more than the charm's range allows.
   */
  addStorage(unit: string, name: string, count = 1): string[] {
    this.#checkOpen();
    const storage = this.#world.storage as SimStorage;
    const record = this.#world.unit(unit);
    try {
      storage.checkAdd(unit, name, count);
    } catch (error) {
      throw new SimulatorError(`add-storage ${unit} ${name}=${count}: ${(error as Error).message}`);
    }
    const hooks = storage.add(unit, name, count);
    for (const hook of hooks) record.queue.push(hook);
    this.trace.entries.push({
      type: 'event',
      afterHooks: this.#hooksRun,
      description: `add-storage ${unit} ${name}=${count}`,
    });
    return hooks.map((h) => h.storageId as string);
  }

  /**
   * Detaches storage instance `id` from its unit, as `juju detach-storage` does: the unit runs
   * `<name>-storage-detaching`, after which the instance is gone from `storage-list`.
   * @throws {SimulatorError} no unit has `id` attached.
   */
  detachStorage(id: string): void {
    this.#checkOpen();
    const storage = this.#world.storage as SimStorage;
    const unit = storage.ownerOf(id);
    if (!unit) throw new SimulatorError(`detach-storage ${id}: no unit has it attached`);
    const hook = storage.detachAll(unit).find((h) => h.storageId === id);
    if (hook) this.#world.unit(unit).queue.push(hook);
    this.trace.entries.push({
      type: 'event',
      afterHooks: this.#hooksRun,
      description: `detach-storage ${id} (${unit})`,
    });
  }

  /**
   * Restarts `unit`'s workload container, as Kubernetes restarts a crashed container: its Pebble
   * comes back fresh (no layers, an empty plan, no services running, checks and notices gone)
   * with its files kept, and `<container>-pebble-ready` fires again.
   * @throws {UnknownContainerError} the unit has no such container.
   */
  restartContainer(unit: string, container: string): void {
    const record = this.#aliveUnit(unit, 'restart a container');
    const hook = this.#containers.restart(record, container);
    record.queue.push(hook);
    this.#event(`restart-container ${unit} ${container}`);
  }

  /**
   * Sets a Pebble check of `unit`'s `container` `down` (failed past its threshold) or back `up`, as
   * the workload's health would change: the check info the charm reads shows it, and the unit gets
   * `<container>-pebble-check-failed` or `-recovered` with `JUJU_PEBBLE_CHECK_NAME` (nothing
   * when the check already had that status).
   * @throws {UnknownContainerError} no such container, or no such check in its plan.
   */
  setCheckStatus(unit: string, container: string, check: string, status: 'up' | 'down'): void {
    const record = this.#aliveUnit(unit, 'change a check');
    const hook = this.#containers.setCheck(record, container, check, status);
    if (hook) record.queue.push(hook);
    this.#event(`check ${unit} ${container}/${check} ${status}${hook ? '' : ' (no change)'}`);
  }

  /**
   * Records a custom notice in `unit`'s `container`, as the workload running `pebble notify key`
   * would: the unit gets `<container>-pebble-custom-notice` with `JUJU_NOTICE_ID`/`_TYPE`/`_KEY`.
   * Returns the notice id.
   * @throws {UnknownContainerError} no such container.
   */
  async addNotice(
    unit: string,
    container: string,
    key: string,
    data?: Readonly<Record<string, string>>,
  ): Promise<string> {
    const record = this.#aliveUnit(unit, 'receive a notice');
    const hook = await this.#containers.addNotice(record, container, key, data);
    record.queue.push(hook);
    this.#event(`notice ${unit} ${container} ${key}`);
    return hook.workload?.notice?.id ?? '';
  }

  /**
   * The in-memory Pebble of `unit`'s `container`, for assertions (files the charm pushed, commands
   * it ran). A restart replaces it: fetch it again after {@link restartContainer}.
   * @throws {UnknownContainerError} no such container.
   */
  container(unit: string, container: string): MemoryPebble {
    return this.#containers.get(this.#world.unit(unit), container);
  }

  /** Removes a relation: departed and broken on every local unit; secret grants made on it lapse. */
  removeRelation(relationId: number): void {
    this.#checkOpen();
    this.#world.removeRelation(relationId);
    this.#world.secrets.dropRelation(relationId);
  }

  /**
   * Runs an action on `unit` now, as `juju run` does: checked against actions.yaml first (an
   * unknown action or parameters the schema refuses are rejected before anything runs), then
   * dispatched between hooks with `JUJU_ACTION_NAME`/`JUJU_ACTION_UUID` and
   * `JUJU_DISPATCH_PATH=actions/<name>`. A failing action never puts the unit in error nor is
   * retried; its buffered writes commit only if the dispatch succeeded.
   * @throws {ActionRejectedError} an unknown action or bad parameters.
   */
  async runAction(
    unit: string,
    name: string,
    params: Readonly<Record<string, unknown>> = {},
  ): Promise<SimActionResult> {
    this.#checkOpen();
    const world = this.#world;
    const record = world.unit(unit);
    if (record.life === 'removed') throw new SimulatorError(`${unit} is removed: it runs no actions`);
    const id = String(++this.#actions);
    const action = prepareAction(world.meta, unit, name, params, id, world.jujuVersion);
    const { hook } = action;
    const index = this.#hooksRun;
    world.hookIndex = index;
    const contextId = `${unit}-${hook.name}-${this.#contextCounter++}`;
    const session = new HookSession(world, record, hook, contextId, null);
    session.action = action.run;
    const { JUJU_HOOK_NAME: _hookName, ...env } = this.#env(record, hook, contextId);
    const began = performance.now();
    const result = await this.#runner.run({ session, env: { ...env, ...action.env } });
    const durationMs = performance.now() - began;
    this.#busyMs += durationMs;
    this.#hooksRun++;
    this.#toolCalls += session.calls.length;
    this.trace.entries.push({
      type: 'hook',
      index,
      unit,
      hook: hook.name,
      relationId: null,
      remoteUnit: null,
      remoteApp: null,
      attempt: 1,
      startMs: began - this.#started,
      durationMs,
      toolCalls: session.calls,
      outcome: result.outcome,
      error: result.error,
      fault: null,
    });
    if (result.outcome === 'ok') session.commit();
    else session.discard();
    return action.run.finish(result.outcome === 'ok' ? null : (result.error ?? result.outcome));
  }

  /** Counters and rates. */
  stats(): SimStats {
    return {
      mode: this.mode,
      hooks: this.#hooksRun,
      failed: this.#failed,
      killed: this.#killed,
      busyMs: this.#busyMs,
      hooksPerSecond: this.#busyMs > 0 ? (this.#hooksRun * 1000) / this.#busyMs : 0,
      toolCalls: this.#toolCalls,
      toolServeMs: this.#server?.serveMs ?? 0,
    };
  }

  /** Stops the tool server, releases storage and removes the work dir (unless kept). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribeSecrets();
    await this.#runner.close();
    for (const server of this.#pebbleServers.splice(0)) await server.close();
    if (this.#ownWorkDir && !this.#options.keepWorkDir)
      rmSync(this.#workDir, { recursive: true, force: true });
  }

  // Internals

  #checkOpen(): void {
    if (this.#closed) throw new SimulatorError('the simulator is closed');
  }

  /** Where `unit`'s container sockets live (`$CHARMKIT_PEBBLE_SOCKET_DIR` of its hooks). */
  #pebbleSocketDir(unit: UnitRecord): string {
    return join(this.#workDir, 'pebble', unit.name.replace('/', '-'));
  }

  get #containers(): SimContainers {
    return this.#world.containers as SimContainers;
  }

  /** An alive unit a test drives (a dying or removed unit's workload is gone). */
  #aliveUnit(name: string, doing: string): UnitRecord {
    this.#checkOpen();
    const record = this.#world.unit(name);
    if (record.life !== 'alive') throw new SimulatorError(`${name} is ${record.life}: it cannot ${doing}`);
    return record;
  }

  #event(description: string): void {
    this.trace.entries.push({ type: 'event', afterHooks: this.#hooksRun, description });
  }

  async #runHead(unit: UnitRecord, hook: QueuedHook): Promise<HookRecord> {
    const world = this.#world;
    const index = this.#hooksRun;
    world.hookIndex = index;
    world.beforeHook(unit, hook);
    const contextId = `${unit.name}-${hook.name}-${this.#contextCounter++}`;
    const fault = this.#faults.hookFault(unit.name, hook.name);
    const session = new HookSession(world, unit, hook, contextId, fault);
    const startMs = performance.now() - this.#started;
    const result = await this.#runner.run({ session, env: this.#env(unit, hook, contextId) });
    const durationMs = performance.now() - this.#started - startMs;
    const attempt = hook.failures + 1;
    this.#hooksRun++;
    this.#toolCalls += session.calls.length;
    const record: HookRecord = {
      type: 'hook',
      index,
      unit: unit.name,
      hook: hook.name,
      relationId: hook.relationId,
      remoteUnit: hook.remoteUnit,
      remoteApp: hook.remoteApp,
      attempt,
      startMs,
      durationMs,
      toolCalls: session.calls,
      outcome: result.outcome,
      error: result.error,
      fault: fault
        ? `${fault.kind} at ${typeof fault.atCall === 'number' ? `call ${fault.atCall}` : fault.atCall} (${fault.origin})${session.faultFired ? '' : ', not reached'}`
        : null,
    };
    this.trace.entries.push(record);
    if (result.outcome === 'ok') {
      // Off the queue before publishing, so a request made by this very hook is not swallowed by it.
      unit.queue.shift();
      session.commit();
      world.afterSuccess(unit, hook);
    } else {
      session.discard();
      world.afterFailure(unit, hook);
      if (result.outcome === 'killed') this.#killed++;
      else this.#failed++;
    }
    if (result.outcome !== 'ok' && hook.failures >= (this.#options.maxAttempts ?? 5)) {
      this.#stuck = {
        unit: unit.name,
        hook: hook.name,
        attempts: hook.failures,
        error: result.error ?? result.outcome,
      };
      if (this.#options.strict) {
        throw new HookRetryLimitError(
          `${hook.name} on ${unit.name} failed ${hook.failures} times: ${result.error ?? result.outcome}`,
        );
      }
    }
    if (this.#invariants.size > 0) {
      const violations = this.#invariants.check(this.snapshot(), record);
      this.violations.push(...violations);
      const first = violations[0];
      if (first && this.#options.strict) {
        throw new InvariantViolationError(
          `invariant ${JSON.stringify(first.invariant)} failed after hook #${first.hookIndex} (${first.hook} on ${first.unit}): ${first.message}`,
        );
      }
    }
    return record;
  }

  /** The hook environment of juju-contract §3 (the runner adds the charm dir and PATH). */
  #env(unit: UnitRecord, hook: QueuedHook, contextId: string): Record<string, string> {
    const world = this.#world;
    const charmDir = this.#runner.charmDirOf(unit.name);
    const env: Record<string, string> = {
      CHARM_DIR: charmDir,
      JUJU_CHARM_DIR: charmDir,
      JUJU_CONTEXT_ID: contextId,
      JUJU_HOOK_NAME: hook.name,
      JUJU_AGENT_SOCKET_ADDRESS: this.#server?.socketPath ?? '',
      JUJU_AGENT_SOCKET_NETWORK: 'unix',
      JUJU_UNIT_NAME: unit.name,
      JUJU_MODEL_UUID: world.modelUuid,
      JUJU_MODEL_NAME: world.modelName,
      JUJU_API_ADDRESSES: '10.0.0.1:17070',
      JUJU_MACHINE_ID: String(unit.index),
      JUJU_PRINCIPAL_UNIT: '',
      JUJU_AVAILABILITY_ZONE: 'sim-zone',
      JUJU_VERSION: world.jujuVersion,
      CLOUD_API_VERSION: '',
      JUJU_CHARM_HTTP_PROXY: '',
      JUJU_CHARM_HTTPS_PROXY: '',
      JUJU_CHARM_FTP_PROXY: '',
      JUJU_CHARM_NO_PROXY: '',
    };
    if (hook.relationId !== null) {
      const relation = world.relation(hook.relationId);
      env.JUJU_RELATION = relation.endpoint;
      env.JUJU_RELATION_ID = `${relation.endpoint}:${relation.id}`;
      env.JUJU_REMOTE_UNIT = hook.remoteUnit ?? '';
      env.JUJU_REMOTE_APP = hook.remoteApp ?? '';
      if (hook.departingUnit !== null) env.JUJU_DEPARTING_UNIT = hook.departingUnit;
    }
    Object.assign(env, secretHookEnv(hook));
    if (this.#world.storage) Object.assign(env, storageHookEnv(hook, this.#world.storage, unit.name));
    Object.assign(env, workloadHookEnv(hook));
    if (this.mode === 'process' && unit.containers.size > 0)
      env[PEBBLE_SOCKET_DIR_ENV] = this.#pebbleSocketDir(unit);
    env.APT_LISTCHANGES_FRONTEND = 'none';
    env.DEBIAN_FRONTEND = 'noninteractive';
    env.LANG = 'C.UTF-8';
    env.TERM = 'tmux-256color';
    env.JUJU_DISPATCH_PATH = `hooks/${hook.name}`;
    return env;
  }

  async #applyTopologyFault(fault: TopologyFault): Promise<void> {
    const world = this.#world;
    const random = this.#faults.random;
    const options = this.#options.faults ?? {};
    const skip = (why: string): void => {
      this.trace.entries.push({
        type: 'event',
        afterHooks: this.#hooksRun,
        description: `${fault.kind} skipped: ${why}`,
      });
    };
    switch (fault.kind) {
      case 'leader-change': {
        const candidates = world.aliveUnits().filter((u) => u.name !== world.leader);
        const target = fault.unit ?? random.pick(candidates)?.name;
        if (target === undefined) return skip('no other alive unit');
        world.setLeader(target);
        return;
      }
      case 'remove-unit': {
        const alive = world.aliveUnits();
        if (fault.unit === undefined && alive.length <= (options.minUnits ?? 1))
          return skip('at the minimum unit count');
        const target = fault.unit ?? random.pick(alive)?.name;
        if (target === undefined) return skip('no alive unit');
        world.removeUnit(target);
        return;
      }
      case 'add-unit': {
        const max = options.maxUnits ?? (this.#options.units ?? 1) + 3;
        if (fault.origin === 'random' && world.presentUnits().length >= max)
          return skip('at the maximum unit count');
        await this.addUnit();
        return;
      }
      case 'container-restart': {
        const crandom = this.#faults.containerRandom;
        if (this.#containers.names.length === 0) return skip('the charm has no containers');
        const candidates = world.aliveUnits().filter((u) => u.containers.size > 0);
        const unit = fault.unit ?? crandom.pick(candidates)?.name;
        if (unit === undefined) return skip('no alive unit has its containers yet');
        if (!candidates.some((u) => u.name === unit)) return skip(`${unit} is not alive with its containers`);
        const container = fault.container ?? crandom.pick(this.#containers.names);
        if (container === undefined) return skip('the charm has no containers');
        this.restartContainer(unit, container);
        return;
      }
      case 'config-change': {
        if (fault.values) {
          world.setConfig(fault.values);
          return;
        }
        const options = [...world.meta.config.values()].filter((o) => o.type !== 'secret');
        const option = random.pick(options);
        if (!option) return skip('the charm has no config options');
        const current = world.effectiveConfig()[option.name];
        const value: ConfigValue =
          option.type === 'boolean'
            ? current !== true
            : option.type === 'int'
              ? random.int(10_000)
              : option.type === 'float'
                ? random.int(10_000) / 10
                : `sim-${random.hex(6)}`;
        world.setConfig({ [option.name]: value });
        return;
      }
    }
  }

  #pendingSummary(): string {
    return this.#world
      .presentUnits()
      .filter((u) => u.queue.length > 0)
      .map(
        (u) =>
          `${u.name}: ${u.queue
            .list()
            .map((h) => h.name)
            .join(', ')}`,
      )
      .join('; ');
  }
}
