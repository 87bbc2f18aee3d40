import type { CloudSpec, ConfigValue, JsonObject, NetworkInfo, Port } from '@charmkit/ops';
import type { Container } from './container.js';

/** A databag: string keys to string values. */
export type Databag = Readonly<Record<string, string>>;

let nextRelationId = 1;

/** Options shared by {@link Relation} and {@link PeerRelation}. */
interface RelationBaseInit {
  /** The relation id; a fresh one is picked when omitted. */
  readonly id?: number;
  /** This unit's databag. */
  readonly localUnitData?: Databag;
  /** This application's databag. */
  readonly localAppData?: Databag;
}

/** A relation to a remote application, as a test sets it up. */
export class Relation<E extends string = string> {
  readonly kind = 'regular' as const;
  readonly endpoint: E;
  readonly id: number;
  readonly remoteAppName: string;
  readonly localUnitData: Databag;
  readonly localAppData: Databag;
  readonly remoteAppData: Databag;
  /** Remote units by number (`{ 0: {...} }` is `<remoteAppName>/0`). */
  readonly remoteUnitsData: Readonly<Record<number, Databag>>;

  constructor(
    endpoint: E,
    init: RelationBaseInit & {
      readonly remoteAppName?: string;
      readonly remoteAppData?: Databag;
      readonly remoteUnitsData?: Readonly<Record<number, Databag>>;
    } = {},
  ) {
    this.endpoint = endpoint;
    this.id = init.id ?? nextRelationId++;
    this.remoteAppName = init.remoteAppName ?? 'remote';
    this.localUnitData = freeze(init.localUnitData);
    this.localAppData = freeze(init.localAppData);
    this.remoteAppData = freeze(init.remoteAppData);
    this.remoteUnitsData = Object.freeze(
      Object.fromEntries(Object.entries(init.remoteUnitsData ?? { 0: {} }).map(([k, v]) => [k, freeze(v)])),
    );
    Object.freeze(this);
  }

  /** Remote unit names, e.g. `remote/0`. */
  get remoteUnitNames(): string[] {
    return Object.keys(this.remoteUnitsData).map((n) => `${this.remoteAppName}/${n}`);
  }

  /** A copy with some fields replaced. */
  with(changes: Partial<Omit<Relation, 'kind' | 'endpoint' | 'remoteUnitNames' | 'with'>>): Relation<E> {
    return new Relation(this.endpoint, { ...this, ...changes });
  }
}

/** A peer relation: the other units are this application's. */
export class PeerRelation<E extends string = string> {
  readonly kind = 'peer' as const;
  readonly endpoint: E;
  readonly id: number;
  readonly localUnitData: Databag;
  readonly localAppData: Databag;
  /** The other units' databags by unit number. */
  readonly peersData: Readonly<Record<number, Databag>>;

  constructor(
    endpoint: E,
    init: RelationBaseInit & { readonly peersData?: Readonly<Record<number, Databag>> } = {},
  ) {
    this.endpoint = endpoint;
    this.id = init.id ?? nextRelationId++;
    this.localUnitData = freeze(init.localUnitData);
    this.localAppData = freeze(init.localAppData);
    this.peersData = Object.freeze(
      Object.fromEntries(Object.entries(init.peersData ?? {}).map(([k, v]) => [k, freeze(v)])),
    );
    Object.freeze(this);
  }

  /** A copy with some fields replaced. */
  with(changes: Partial<Omit<PeerRelation, 'kind' | 'endpoint' | 'with'>>): PeerRelation<E> {
    return new PeerRelation(this.endpoint, { ...this, ...changes });
  }
}

/** Any relation in a {@link State} (on an endpoint of `E`). */
export type AnyRelation<E extends string = string> = Relation<E> | PeerRelation<E>;

/** What config a {@link State} holds when nothing narrower was inferred. */
export type AnyConfig = Readonly<Record<string, ConfigValue>>;

/** Stored state of one object: `ownerPath` is the object's handle path (the charm's is its handleKind). */
export interface StoredStateEntry {
  readonly ownerPath: string;
  readonly name: string;
  readonly content: JsonObject;
}

/** A deferred event waiting in the queue. */
export interface DeferredEvent {
  /** e.g. `MyCharm/on/config_changed[3]`. */
  readonly eventPath: string;
  /** e.g. `config_changed`. */
  readonly kind: string;
  readonly observerPath: string;
  readonly methodName: string;
  readonly snapshot: JsonObject;
  /** Failed re-emissions in a row (see the framework's deferred-failure policy); default 0. */
  readonly failures?: number;
  /** The last failure, when there was one. */
  readonly lastError?: string | null;
  /** When it was first deferred (ms since the epoch); default 0. */
  readonly deferredAt?: number;
}

/** A Juju secret as a test sets it up. */
export interface SecretState {
  /** Any id form Juju accepts; the 20-character xid at its end identifies it. */
  readonly id: string;
  readonly label?: string;
  /** `application` or `unit` when this charm owns it; absent for a secret another app granted. */
  readonly owner?: 'application' | 'unit';
  /** Content of each revision, oldest first (the last is the latest). */
  readonly revisions: readonly Readonly<Record<string, string>>[];
  /** The revision this unit tracks as a consumer (default: the latest). */
  readonly tracked?: number;
  readonly description?: string;
  readonly expire?: string;
  readonly rotate?: string;
  /** Grants: `<relation id>` or `<relation id>/<unit>`. */
  readonly grants?: readonly string[];
}

/** An attached storage instance. */
export interface StorageState {
  readonly name: string;
  readonly index: number;
  readonly location?: string;
  readonly kind?: 'filesystem' | 'block';
}

/** A status as a test sees it. */
export interface StatusValue {
  readonly name: 'active' | 'blocked' | 'maintenance' | 'waiting' | 'unknown' | 'error';
  readonly message: string;
}

/**
 * What a unit knows of the world before (and after) one hook. The type parameters are inferred
 * from what a test writes (the config's keys, the relations' endpoints, the containers' names), so
 * that a typed `Context` can refuse a name the charm does not declare.
 */
export interface StateInit<
  Cfg extends object = AnyConfig,
  R extends string = string,
  K extends string = string,
> {
  readonly leader?: boolean;
  readonly config?: Cfg;
  readonly relations?: readonly AnyRelation<R>[];
  /** Workload containers (Kubernetes charms); each is served by an in-memory Pebble during a run. */
  readonly containers?: readonly Container<K>[];
  readonly storedStates?: readonly StoredStateEntry[];
  readonly deferred?: readonly DeferredEvent[];
  /** Deferred events taken out of the queue after failing too often (output of the framework). */
  readonly parked?: readonly DeferredEvent[];
  readonly unitStatus?: StatusValue;
  readonly appStatus?: StatusValue;
  readonly workloadVersion?: string;
  readonly model?: { readonly name?: string; readonly uuid?: string };
  readonly secrets?: readonly SecretState[];
  readonly openedPorts?: readonly Port[];
  /** `network-get` answers by binding name (endpoint or extra binding). */
  readonly networks?: Readonly<Record<string, NetworkInfo>>;
  readonly storages?: readonly StorageState[];
  /** Resource paths by resource name. */
  readonly resources?: Readonly<Record<string, string>>;
  /** Units the application should have (goal state); default 1. */
  readonly plannedUnits?: number;
  /** `credential-get`'s answer; absent means the app is not trusted. */
  readonly cloudSpec?: CloudSpec | undefined;
  /** `leader-get` values. */
  readonly leaderSettings?: Readonly<Record<string, string>>;
  /** Storage the charm asked for with `storage-add` (output only). */
  readonly requestedStorage?: Readonly<Record<string, number>>;
  /** Whether the charm asked for a reboot (output only). */
  readonly rebootRequested?: boolean;
}

/** A method signature, so that states of different names stay assignable to one another (bivariance). */
interface NameCarrier<Cfg, R, K> {
  carry(config: Cfg, endpoints: R, containers: K): void;
}

/**
 * An immutable picture of one unit's world: the input of `ctx.run()` and its output. Build a new
 * one with {@link State.with} rather than changing it.
 */
export class State<Cfg extends object = AnyConfig, R extends string = string, K extends string = string> {
  /**
   * Type-only: the config keys, endpoints and container names the state was written with, for a
   * typed `Context` to check (`let state = new State({ config }); state = await ctx.run(...)` still
   * compiles: states of different names are assignable to one another).
   */
  declare readonly names?: NameCarrier<Cfg, R, K>['carry'];
  readonly leader: boolean;
  readonly config: AnyConfig;
  readonly relations: readonly AnyRelation[];
  readonly containers: readonly Container[];
  readonly storedStates: readonly StoredStateEntry[];
  readonly deferred: readonly DeferredEvent[];
  readonly parked: readonly DeferredEvent[];
  readonly unitStatus: StatusValue;
  readonly appStatus: StatusValue;
  readonly workloadVersion: string;
  readonly model: { readonly name: string; readonly uuid: string };
  readonly secrets: readonly SecretState[];
  readonly openedPorts: readonly Port[];
  readonly networks: Readonly<Record<string, NetworkInfo>>;
  readonly storages: readonly StorageState[];
  readonly resources: Readonly<Record<string, string>>;
  readonly plannedUnits: number;
  readonly cloudSpec: CloudSpec | undefined;
  readonly leaderSettings: Readonly<Record<string, string>>;
  readonly requestedStorage: Readonly<Record<string, number>>;
  readonly rebootRequested: boolean;

  constructor(init: StateInit<Cfg, R, K> = {}) {
    this.leader = init.leader ?? false;
    this.config = Object.freeze({ ...(init.config as AnyConfig | undefined) });
    this.relations = Object.freeze([...(init.relations ?? [])]);
    this.containers = Object.freeze([...(init.containers ?? [])]);
    this.storedStates = Object.freeze([...(init.storedStates ?? [])]);
    this.deferred = Object.freeze([...(init.deferred ?? [])]);
    this.parked = Object.freeze([...(init.parked ?? [])]);
    this.unitStatus = Object.freeze(init.unitStatus ?? { name: 'unknown', message: '' });
    this.appStatus = Object.freeze(init.appStatus ?? { name: 'unknown', message: '' });
    this.workloadVersion = init.workloadVersion ?? '';
    this.model = Object.freeze({
      name: init.model?.name ?? 'test-model',
      uuid: init.model?.uuid ?? '00000000-0000-4000-8000-000000000000',
    });
    this.secrets = Object.freeze([...(init.secrets ?? [])]);
    this.openedPorts = Object.freeze([...(init.openedPorts ?? [])]);
    this.networks = Object.freeze({ ...init.networks });
    this.storages = Object.freeze([...(init.storages ?? [])]);
    this.resources = Object.freeze({ ...init.resources });
    this.plannedUnits = init.plannedUnits ?? 1;
    this.cloudSpec = init.cloudSpec;
    this.leaderSettings = Object.freeze({ ...init.leaderSettings });
    this.requestedStorage = Object.freeze({ ...init.requestedStorage });
    this.rebootRequested = init.rebootRequested ?? false;
    Object.freeze(this);
  }

  /** A copy with some fields replaced. */
  with(changes: StateInit): State {
    return new State({ ...(this as State), ...changes });
  }

  /** The relation with `id`, or the only one on endpoint `endpoint`. */
  getRelation(idOrEndpoint: number | string): AnyRelation {
    const found =
      typeof idOrEndpoint === 'number'
        ? this.relations.filter((r) => r.id === idOrEndpoint)
        : this.relations.filter((r) => r.endpoint === idOrEndpoint);
    if (found.length !== 1) {
      throw new RangeError(`${found.length} relations match ${JSON.stringify(idOrEndpoint)} in this state`);
    }
    return found[0] as AnyRelation;
  }

  /** The container called `name`; throws RangeError when the state has none. */
  getContainer(name: K): Container {
    const found = this.containers.find((c) => c.name === name);
    if (!found) throw new RangeError(`no container ${JSON.stringify(name)} in this state`);
    return found;
  }

  /** The secret whose id ends with `id`'s xid, or whose label is `label`. */
  getSecret(selector: { readonly id?: string; readonly label?: string }): SecretState | undefined {
    const xid = selector.id?.slice(-20);
    return this.secrets.find((s) =>
      xid !== undefined ? s.id.slice(-20) === xid : s.label === selector.label,
    );
  }

  /** The stored state `name` of the object at `ownerPath`, or undefined. */
  getStoredState(ownerPath: string, name: string): JsonObject | undefined {
    return this.storedStates.find((s) => s.ownerPath === ownerPath && s.name === name)?.content;
  }
}

function freeze(bag: Databag | undefined): Databag {
  return Object.freeze({ ...bag });
}
