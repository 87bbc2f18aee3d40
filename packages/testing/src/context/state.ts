import type { CloudSpec, ConfigValue, JsonObject, NetworkInfo, Port } from '@charmkit/ops';

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
export class Relation {
  readonly kind = 'regular' as const;
  readonly endpoint: string;
  readonly id: number;
  readonly remoteAppName: string;
  readonly localUnitData: Databag;
  readonly localAppData: Databag;
  readonly remoteAppData: Databag;
  /** Remote units by number (`{ 0: {...} }` is `<remoteAppName>/0`). */
  readonly remoteUnitsData: Readonly<Record<number, Databag>>;

  constructor(
    endpoint: string,
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
  with(changes: Partial<Omit<Relation, 'kind' | 'endpoint' | 'remoteUnitNames' | 'with'>>): Relation {
    return new Relation(this.endpoint, { ...this, ...changes });
  }
}

/** A peer relation: the other units are this application's. */
export class PeerRelation {
  readonly kind = 'peer' as const;
  readonly endpoint: string;
  readonly id: number;
  readonly localUnitData: Databag;
  readonly localAppData: Databag;
  /** The other units' databags by unit number. */
  readonly peersData: Readonly<Record<number, Databag>>;

  constructor(
    endpoint: string,
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
  with(changes: Partial<Omit<PeerRelation, 'kind' | 'endpoint' | 'with'>>): PeerRelation {
    return new PeerRelation(this.endpoint, { ...this, ...changes });
  }
}

/** Any relation in a {@link State}. */
export type AnyRelation = Relation | PeerRelation;

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

/** What a unit knows of the world before (and after) one hook. */
export interface StateInit {
  readonly leader?: boolean;
  readonly config?: Readonly<Record<string, ConfigValue>>;
  readonly relations?: readonly AnyRelation[];
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

/**
 * An immutable picture of one unit's world: the input of `ctx.run()` and its output. Build a new
 * one with {@link State.with} rather than changing it.
 */
export class State {
  readonly leader: boolean;
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly relations: readonly AnyRelation[];
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

  constructor(init: StateInit = {}) {
    this.leader = init.leader ?? false;
    this.config = Object.freeze({ ...init.config });
    this.relations = Object.freeze([...(init.relations ?? [])]);
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
    return new State({ ...this, ...changes });
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
