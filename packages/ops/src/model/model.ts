import type { CharmMeta } from '../charm-meta.js';
import { UnknownEndpointError } from '../errors.js';
import { Application } from './application.js';
import { Container } from './container.js';
import type { ConfigValue, ModelBackend } from './model-backend.js';
import { InvalidStatusError, TooManyRelatedAppsError } from './model-errors.js';
import { Relation } from './relation.js';
import { RelationDataBag } from './relation-data-bag.js';
import { type SettableStatus, StatusBase } from './status.js';
import { Unit } from './unit.js';

/** What the model knows about the hook it runs in, from the `JUJU_*` environment. */
export interface ModelContext {
  readonly unitName: string;
  readonly modelName?: string;
  readonly modelUuid?: string;
  /** The relation of this hook, if it is a relation hook. */
  readonly relationId?: number | null;
  /** In relation-broken: the relation that is going away. It is hidden from {@link Model.relations}. */
  readonly brokenRelationId?: number | null;
  /** In relation-departed/broken: the remote unit, added to the relation's units so its data stays readable. */
  readonly remoteUnitName?: string | null;
  /** `JUJU_REMOTE_APP` of a relation hook. */
  readonly remoteAppName?: string | null;
}

/**
 * The charm's view of Juju for one hook: its unit and application, relations and their data,
 * config and status. Everything is read lazily and cached for the hook; writes are checked at
 * once and buffered until {@link Model.flush} at commit.
 */
export class Model {
  readonly unitName: string;
  readonly appName: string;
  readonly name: string;
  readonly uuid: string;
  /** The own unit. */
  readonly unit: Unit;
  /** The own application. */
  readonly app: Application;

  readonly #units = new Map<string, Unit>();
  readonly #apps = new Map<string, Application>();
  readonly #relations = new Map<string, Relation[]>();
  readonly #relationsById = new Map<number, Relation>();
  readonly #bags = new Map<string, RelationDataBag>();
  readonly #containers = new Map<string, Container>();
  #leader: boolean | null = null;
  #config: Readonly<Record<string, ConfigValue>> | null = null;
  #pendingStatus: { unit: SettableStatus | null; app: SettableStatus | null } = { unit: null, app: null };
  readonly #knownStatus: { unit: StatusBase | null; app: StatusBase | null } = { unit: null, app: null };

  constructor(
    readonly meta: CharmMeta,
    readonly backend: ModelBackend,
    readonly context: ModelContext,
  ) {
    this.unitName = context.unitName;
    this.appName = context.unitName.split('/')[0] as string;
    this.name = context.modelName ?? '';
    this.uuid = context.modelUuid ?? '';
    this.app = this.getApp(this.appName);
    this.unit = this.getUnit(this.unitName);
  }

  /** The unit called `name` (same object for the same name within a hook). */
  getUnit(name: string): Unit {
    let unit = this.#units.get(name);
    if (!unit) {
      unit = new Unit(this, name, this.getApp(name.split('/')[0] as string));
      this.#units.set(name, unit);
    }
    return unit;
  }

  /** The application called `name`. */
  getApp(name: string): Application {
    let app = this.#apps.get(name);
    if (!app) {
      app = new Application(this, name);
      this.#apps.set(name, app);
    }
    return app;
  }

  /** The own unit's workload container `name` (same object within a hook). */
  container(name: string): Container {
    let container = this.#containers.get(name);
    if (!container) {
      if (!this.meta.containers.has(name)) {
        const known = [...this.meta.containers.keys()];
        throw new UnknownEndpointError(
          `no container ${JSON.stringify(name)} in metadata (known: ${known.length ? known.join(', ') : 'none'})`,
        );
      }
      container = new Container(name);
      this.#containers.set(name, container);
    }
    return container;
  }

  /** @internal Whether the own unit leads; one `is-leader` per hook. */
  isLeader(): boolean {
    this.#leader ??= this.backend.isLeader();
    return this.#leader;
  }

  /** The charm's configuration (one `config-get` on first read). */
  get config(): Readonly<Record<string, ConfigValue>> {
    this.#config ??= Object.freeze(this.backend.configGet());
    return this.#config;
  }

  /** The live relations on `endpoint` (in relation-broken, without the broken one). */
  relations(endpoint: string): readonly Relation[] {
    this.#checkEndpoint(endpoint);
    let list = this.#relations.get(endpoint);
    if (!list) {
      list = this.backend
        .relationIds(endpoint)
        .filter((id) => id !== this.context.brokenRelationId)
        .map((id) => this.#relationFor(endpoint, id, true));
      this.#relations.set(endpoint, list);
    }
    return list;
  }

  /**
   * The relation on `endpoint`: with `id`, that one (an inactive {@link Relation} when Juju no
   * longer lists it, so data of a broken relation can still be reached); without, the only one,
   * or null when there is none.
   */
  getRelation(endpoint: string, id?: number): Relation | null {
    this.#checkEndpoint(endpoint);
    if (id !== undefined) {
      const known = this.#relationsById.get(id);
      if (known) return known;
      const live = this.relations(endpoint).find((r) => r.id === id);
      if (live) return live;
      // The broken relation in its own hook is still readable, as Juju allows.
      return this.#relationFor(endpoint, id, id === this.context.brokenRelationId);
    }
    const all = this.relations(endpoint);
    if (all.length > 1) {
      throw new TooManyRelatedAppsError(
        `${all.length} relations on ${endpoint} (${all.join(', ')}); pass the id`,
      );
    }
    return all[0] ?? null;
  }

  #relationFor(endpoint: string, id: number, active: boolean): Relation {
    let relation = this.#relationsById.get(id);
    if (!relation) {
      relation = new Relation(this, endpoint, id, active);
      this.#relationsById.set(id, relation);
    }
    return relation;
  }

  #checkEndpoint(endpoint: string): void {
    if (!this.meta.relations.has(endpoint)) {
      const known = [...this.meta.relations.keys()];
      throw new UnknownEndpointError(
        `no relation endpoint ${JSON.stringify(endpoint)} in metadata (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
  }

  /** @internal The remote app of a relation, when Juju can tell. */
  remoteAppFor(relationId: number): string | null {
    if (relationId === this.context.relationId && this.context.remoteAppName)
      return this.context.remoteAppName;
    return this.backend.relationRemoteApp(relationId);
  }

  /** @internal The departing unit to add to the hook's relation's units. */
  extraUnitFor(relationId: number): string | null {
    return relationId === this.context.relationId ? (this.context.remoteUnitName ?? null) : null;
  }

  /** @internal The databag of `member` in `relation`, with Juju's access rules. */
  bagFor(relation: Relation, member: Unit | Application): RelationDataBag {
    const isApp = member instanceof Application;
    const key = `${relation.id}\0${isApp ? 'app' : 'unit'}\0${member.name}`;
    let bag = this.#bags.get(key);
    if (!bag) {
      const where = `relation ${relation}`;
      bag = new RelationDataBag(this.backend, relation.id, member.name, isApp, {
        readDenied: () =>
          isApp && member.isOwn && !relation.isPeer && !this.isLeader()
            ? `${this.unitName} is not the leader and cannot read its own application's data in ${where} (only peer relations allow that)`
            : null,
        writeDenied: () => {
          if (!member.isOwn)
            return `cannot write the data of remote ${isApp ? 'application' : 'unit'} ${member.name} in ${where}`;
          if (isApp && !this.isLeader())
            return `${this.unitName} is not the leader and cannot write application data in ${where}`;
          return null;
        },
      });
      this.#bags.set(key, bag);
    }
    return bag;
  }

  /** @internal The status to report for the unit or app (pending writes first). */
  statusOf(isApp: boolean): StatusBase {
    const which = isApp ? 'app' : 'unit';
    const pending = this.#pendingStatus[which];
    if (pending) return pending;
    let known = this.#knownStatus[which];
    if (!known) {
      const { status, message } = this.backend.statusGet(isApp);
      known = StatusBase.fromName(status, message);
      this.#knownStatus[which] = known;
    }
    return known;
  }

  /** @internal Buffers a status write. */
  setStatus(isApp: boolean, status: SettableStatus): void {
    if (isApp && !this.isLeader())
      throw new InvalidStatusError(`only the leader can set the application status`);
    this.#pendingStatus = { ...this.#pendingStatus, [isApp ? 'app' : 'unit']: status };
  }

  /**
   * Sends every buffered write: one `relation-set` per changed databag, then at most one
   * `status-set` for the unit and one for the application. Called by the framework at commit.
   */
  flush(): void {
    for (const bag of this.#bags.values()) {
      const changes = bag.pendingChanges();
      if (changes) this.backend.relationSet(bag.relationId, changes, bag.isApp);
      bag.markFlushed();
    }
    const { unit, app } = this.#pendingStatus;
    if (unit) this.backend.statusSet(unit.name, unit.message, false);
    if (app) this.backend.statusSet(app.name, app.message, true);
    this.#pendingStatus = { unit: null, app: null };
  }

  /** Captures the buffered writes; the returned function puts them back (failed deferred handlers). */
  checkpoint(): () => void {
    const bags = [...this.#bags.values()].map((bag) => bag.checkpoint());
    const known = new Set(this.#bags.values());
    const status = this.#pendingStatus;
    return () => {
      for (const undo of bags) undo();
      // Bags first touched after the checkpoint lose their writes too.
      for (const [key, bag] of this.#bags) if (!known.has(bag)) this.#bags.delete(key);
      this.#pendingStatus = status;
    };
  }
}
