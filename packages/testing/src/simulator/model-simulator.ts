import type { CharmMeta } from '@charmkit/ops';
import { SimulatorError } from './errors.js';
import { UnknownApplicationError } from './model-errors.js';
import {
  type ModelRelationEnd,
  type ModelRelationSpec,
  type ResolvedModelRelation,
  resolveModelRelation,
} from './model-relation.js';
import { ModelTraceMerger } from './model-trace.js';
import { RelationBridge } from './relation-bridge.js';
import type { SimSecretStore } from './secret-store.js';
import { SeededRandom } from './seeded-random.js';
import {
  type InProcessSimulatorOptions,
  type ProcessSimulatorOptions,
  type SettleOptions,
  Simulator,
  type StuckHook,
} from './simulator.js';
import type { SimSnapshot } from './snapshot.js';
import { type HookRecord, SimTrace } from './trace.js';

/** What every application of a model shares, so the model decides it (and the app name is its key). */
type ModelWideOption = 'app' | 'juju' | 'modelName' | 'seed' | 'secrets' | 'relationIds';

/** One application of a {@link ModelSimulator}: its charm, run in process or as built processes. */
export type ModelApplicationOptions =
  | Omit<InProcessSimulatorOptions, ModelWideOption>
  | Omit<ProcessSimulatorOptions, ModelWideOption>;

/** How to create a {@link ModelSimulator}. */
export interface ModelSimulatorOptions {
  /** The applications by name (`webapp`, `db`), each with its own charm, units and config. */
  readonly applications: Readonly<Record<string, ModelApplicationOptions>>;
  /** Relations made once the applications are deployed, e.g. `['webapp:database', 'db:database']`. */
  readonly relations?: readonly ModelRelationSpec[];
  /** Seed of the model's scheduler (which unit, of which application, runs next) (default 1). */
  readonly seed?: number;
  /** The Juju every application runs under: `'4'` (default) or `'3.6'`, or a full version. */
  readonly juju?: string;
  /** `JUJU_MODEL_NAME` (default `sim`). */
  readonly modelName?: string;
  /**
   * The model's secret store (default: one made by the first application and shared with the
   * others), so a secret a provider grants on a relation is readable by the requirer.
   */
  readonly secrets?: SimSecretStore;
  /** update-status rounds each `settle()` runs once every queue is empty (default 1). */
  readonly updateStatusRounds?: number;
}

/** A relation of the model. */
export interface ModelRelationInfo {
  /** The relation id, the same in both applications (Juju's ids are model-wide). */
  readonly id: number;
  readonly a: ModelRelationEnd;
  readonly b: ModelRelationEnd;
  /** True once it is being removed. */
  readonly dying: boolean;
}

/** A hook that kept failing past the retry cap, and its application. */
export interface ModelStuckHook extends StuckHook {
  readonly app: string;
}

/** What {@link ModelSimulator.settle} ended with. */
export interface ModelSettleResult {
  /** True when every application's queues are empty. */
  readonly settled: boolean;
  readonly reason: 'settled' | 'max-hooks' | 'retry-limit';
  /** Hooks run by this call, all applications together. */
  readonly hooks: number;
  readonly stuck: ModelStuckHook | null;
  /** One line saying what happened. */
  readonly report: string;
}

/** Each application's snapshot, by application name. */
export type ModelSnapshot = Readonly<Record<string, SimSnapshot>>;

/**
 * A simulated Juju model of several applications, each running its own charm on its own
 * {@link Simulator}, related to one another: what one application's units write to a relation is
 * the remote data of the other's, units joining and leaving one side join and depart on the other,
 * and removing a relation breaks both sides. One seeded scheduler picks the next hook among all
 * applications' units; the trace is one, model-wide.
 *
 * ```ts
 * const model = await ModelSimulator.create({
 *   applications: {
 *     webapp: { mode: 'in-process', charm: WebApp, meta: webappMeta, units: 2 },
 *     db: { mode: 'in-process', charm: Db, meta: dbMeta },
 *   },
 *   relations: [['webapp:database', 'db:database']],
 * });
 * await model.settle();
 * expect(model.snapshot().webapp?.units['webapp/0']?.status.status).toBe('active');
 * await model.close();
 * ```
 */
export class ModelSimulator {
  /** Every hook and event of every application, in order (events prefixed with the app name). */
  readonly trace = new SimTrace();

  readonly #apps: ReadonlyMap<string, Simulator>;
  readonly #relations: { id: number; resolved: ResolvedModelRelation }[] = [];
  readonly #schedule: SeededRandom;
  readonly #merger: ModelTraceMerger;
  readonly #relationIds: () => number;
  readonly #updateStatusRounds: number;
  #closed = false;

  private constructor(
    apps: ReadonlyMap<string, Simulator>,
    seed: number,
    relationIds: () => number,
    updateStatusRounds: number,
  ) {
    this.#apps = apps;
    // A stream of its own: the applications' schedulers use the model seed as it is.
    this.#schedule = new SeededRandom((seed ^ 0x27d4eb2f) >>> 0);
    this.#relationIds = relationIds;
    this.#updateStatusRounds = updateStatusRounds;
    this.#merger = new ModelTraceMerger(this.trace, apps);
  }

  /**
   * Deploys every application (their deploy hooks are queued, not run), then makes the relations.
   * @throws {UnknownApplicationError} a relation names an application the model does not have.
   * @throws {UnknownEndpointError} a relation names an endpoint the charm does not declare.
   * @throws {RelationMismatchError} a relation between different interfaces or equal roles.
   */
  static async create(options: ModelSimulatorOptions): Promise<ModelSimulator> {
    const names = Object.keys(options.applications);
    if (names.length === 0) throw new SimulatorError('a model simulation needs at least one application');
    for (const name of names) {
      if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name))
        throw new SimulatorError(`${JSON.stringify(name)} is not a valid application name`);
    }
    const seed = options.seed ?? 1;
    let nextRelationId = 0;
    const relationIds = (): number => nextRelationId++;
    const nextStorage = new Map<string, number>();
    const storageIds = (storage: string): number => {
      const n = nextStorage.get(storage) ?? 0;
      nextStorage.set(storage, n + 1);
      return n;
    };
    const apps = new Map<string, Simulator>();
    let secrets = options.secrets;
    try {
      for (const [index, name] of names.entries()) {
        const app = options.applications[name] as ModelApplicationOptions;
        const sim = await Simulator.create({
          ...app,
          app: name,
          // One seed for all: the model uuid derives from it and must be one.
          seed,
          relationIds,
          storageIds,
          ...(options.juju === undefined ? {} : { juju: options.juju }),
          ...(options.modelName === undefined ? {} : { modelName: options.modelName }),
          ...(secrets === undefined ? {} : { secrets }),
        } as InProcessSimulatorOptions | ProcessSimulatorOptions);
        secrets ??= sim.secrets;
        // Distinct addresses per application: 10.1.x.x, 10.3.x.x, … (10.2 is for scripted remotes).
        sim.world.network = index === 0 ? 1 : index + 2;
        apps.set(name, sim);
      }
    } catch (error) {
      for (const sim of apps.values()) await sim.close();
      throw error;
    }
    const model = new ModelSimulator(
      apps,
      seed,
      relationIds,
      options.updateStatusRounds ?? options.applications[names[0] as string]?.updateStatusRounds ?? 1,
    );
    try {
      for (const spec of options.relations ?? []) model.relate(spec);
    } catch (error) {
      await model.close();
      throw error;
    }
    model.#merger.drain();
    return model;
  }

  /** The application names, in the order given. */
  get applications(): string[] {
    return [...this.#apps.keys()];
  }

  /** Hooks run so far, all applications together. */
  get hooksRun(): number {
    let total = 0;
    for (const sim of this.#apps.values()) total += sim.hooksRun;
    return total;
  }

  /** The first application's hook that exceeded the retry cap, if one did. */
  get stuck(): ModelStuckHook | null {
    for (const [app, sim] of this.#apps) if (sim.stuck) return { app, ...sim.stuck };
    return null;
  }

  /**
   * The simulation of one application: its units, logs, config, leadership, faults, invariants.
   * What is done through it shows in the model's trace after the next step.
   * @throws {UnknownApplicationError} no such application.
   */
  app(name: string): Simulator {
    const sim = this.#apps.get(name);
    if (!sim)
      throw new UnknownApplicationError(
        `no application ${JSON.stringify(name)} in the model (applications: ${this.applications.join(', ')})`,
      );
    return sim;
  }

  /** The relations made so far (removed ones stay, marked dying). */
  relations(): ModelRelationInfo[] {
    return this.#relations.map(({ id, resolved }) => ({
      id,
      a: resolved.a,
      b: resolved.b,
      dying: this.app(resolved.a.app).world.relation(id).dying,
    }));
  }

  /**
   * Relates two applications (`juju integrate`): the relation, with one model-wide id, is created
   * in both, and every unit gets relation-created. Returns the relation id.
   * @throws {UnknownApplicationError} an unknown application.
   * @throws {UnknownEndpointError} an unknown, peer or ambiguous endpoint.
   * @throws {RelationMismatchError} different interfaces, equal roles, or an existing relation.
   */
  relate(a: string | ModelRelationSpec, b?: string): number {
    this.#checkOpen();
    const spec: ModelRelationSpec = typeof a === 'string' ? [a, b ?? ''] : a;
    const metas = new Map<string, CharmMeta>([...this.#apps].map(([name, sim]) => [name, sim.world.meta]));
    const live = this.#relations.filter(
      ({ id, resolved }) => !this.app(resolved.a.app).world.relation(id).dying,
    );
    const resolved = resolveModelRelation(
      spec,
      metas,
      live.map((r) => r.resolved),
    );
    const id = this.#relationIds();
    const worldA = this.app(resolved.a.app).world;
    const worldB = this.app(resolved.b.app).world;
    RelationBridge.of(worldA).connect(id, worldB);
    RelationBridge.of(worldB).connect(id, worldA);
    worldA.addRelation(
      resolved.a.endpoint,
      {
        app: resolved.b.app,
        endpoint: resolved.a.endpoint,
        remoteEndpoint: resolved.b.endpoint,
        units: 0,
      },
      id,
    );
    worldB.addRelation(
      resolved.b.endpoint,
      {
        app: resolved.a.app,
        endpoint: resolved.b.endpoint,
        remoteEndpoint: resolved.a.endpoint,
        units: 0,
      },
      id,
    );
    this.#relations.push({ id, resolved });
    this.#merger.drain();
    return id;
  }

  /** Removes a relation (`juju remove-relation`): departed and broken on both sides. */
  removeRelation(id: number): void {
    this.#checkOpen();
    const entry = this.#relations.find((r) => r.id === id);
    if (!entry) throw new SimulatorError(`no relation ${id} between the model's applications`);
    this.app(entry.resolved.a.app).removeRelation(id);
    this.app(entry.resolved.b.app).removeRelation(id);
    this.#merger.drain();
  }

  /** Adds a unit to `app` (its deploy sequence is queued). Returns its name. */
  async addUnit(app: string): Promise<string> {
    this.#checkOpen();
    const name = await this.app(app).addUnit();
    this.#merger.drain();
    return name;
  }

  /**
   * Starts removing a unit: `webapp/1`, or an application name for a random alive unit of it. Its
   * remote units see it depart once its own departed hooks are queued.
   */
  removeUnit(unitOrApp: string): string {
    this.#checkOpen();
    const app = unitOrApp.split('/')[0] as string;
    const name = this.app(app).removeUnit(unitOrApp.includes('/') ? unitOrApp : undefined);
    this.#merger.drain();
    return name;
  }

  /** Queues update-status on every started unit of every application (Juju's timer). */
  tick(): void {
    this.#checkOpen();
    for (const sim of this.#apps.values()) sim.tick();
  }

  /**
   * Runs one hook: picks a unit with pending hooks among all applications with the seeded
   * scheduler and runs its head hook. Returns its record (indexed model-wide), or null when nothing
   * is pending or an application is stuck.
   */
  async step(): Promise<HookRecord | null> {
    this.#checkOpen();
    if (this.stuck) return null;
    // One entry per unit with work, so every such unit is equally likely whatever its application;
    // the application's own scheduler then picks among its units, which keeps that uniform.
    const candidates: Simulator[] = [];
    for (const sim of this.#apps.values()) {
      for (const unit of sim.world.presentUnits()) if (unit.queue.length > 0) candidates.push(sim);
    }
    const sim = this.#schedule.pick(candidates);
    if (!sim) return null;
    await sim.step();
    const records = this.#merger.drain();
    return records[records.length - 1] ?? null;
  }

  /**
   * Runs hooks until every application's queues are empty (then the update-status rounds), the
   * budget runs out, or a hook exceeds the retry cap.
   */
  async settle(options: SettleOptions = {}): Promise<ModelSettleResult> {
    const maxHooks = options.maxHooks ?? 10_000;
    let rounds = options.updateStatusRounds ?? this.#updateStatusRounds;
    let hooks = 0;
    while (hooks < maxHooks) {
      const record = await this.step();
      if (record) {
        hooks++;
        continue;
      }
      const stuck = this.stuck;
      if (stuck) {
        return {
          settled: false,
          reason: 'retry-limit',
          hooks,
          stuck,
          report: `${stuck.hook} on ${stuck.unit} failed ${stuck.attempts} times (the retry cap); last error: ${stuck.error}`,
        };
      }
      const started = [...this.#apps.values()].some((sim) => sim.world.aliveUnits().some((u) => u.started));
      if (rounds > 0 && started) {
        rounds--;
        this.tick();
        continue;
      }
      return { settled: true, reason: 'settled', hooks, stuck: null, report: `settled after ${hooks} hooks` };
    }
    const pending = [...this.#apps.values()]
      .flatMap((sim) => sim.units().map((unit) => `${unit}: ${sim.queue(unit).join(', ')}`))
      .filter((line) => !line.endsWith(': '));
    return {
      settled: false,
      reason: 'max-hooks',
      hooks,
      stuck: null,
      report: `not settled after ${hooks} hooks; pending: ${pending.join('; ')}`,
    };
  }

  /** Each application's controller state, by application name. */
  snapshot(): ModelSnapshot {
    return Object.fromEntries([...this.#apps].map(([name, sim]) => [name, sim.snapshot()]));
  }

  /** Closes every application's simulation. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const sim of this.#apps.values()) await sim.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new SimulatorError('the model simulator is closed');
  }
}
