import {
  type CharmBase,
  OpsObject,
  type Relation,
  type RelationChangedEvent,
  type Secret,
} from '@charmkit/ops';
import {
  checkEndpoint,
  DatabagWriteError,
  encodeDatabag,
  InterfaceNotLeaderError,
  pythonJson,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
} from '../shared/index.js';
import { DatabaseProviderEvents } from './database-events.js';
import {
  DatabaseProviderAppSchema,
  DatabaseRequirerAppSchema,
  SECRET_GROUP_OF,
  type SecretGroup,
  secretLabel,
} from './schemas.js';

/** Options of {@link DatabaseProvider}. */
export interface DatabaseProviderOptions {
  /** The `provides` endpoint; default `database`. */
  readonly endpoint?: string;
}

/** What a requirer asked for on one relation. */
export interface DatabaseRequest {
  readonly relationId: number;
  /** The requirer application. */
  readonly app: string;
  /** The database, or a prefix ending in `*`. */
  readonly database: string;
  readonly extraUserRoles: string | null;
  readonly extraGroupRoles: string | null;
  /** Fields the requirer wants in Juju secrets; {@link DatabaseProvider.publish} follows it. */
  readonly requestedSecrets: readonly string[];
  readonly externalNodeConnectivity: boolean;
}

/** What {@link DatabaseProvider.publish} sends; fields left out are left as they are. */
export interface DatabasePublication {
  /** The database created (say it when it differs from the one asked for). */
  readonly database?: string;
  readonly username?: string;
  readonly password?: string;
  /** Comma-separated `host:port` of the primary. */
  readonly endpoints?: string;
  readonly readOnlyEndpoints?: string;
  readonly uris?: string;
  readonly readOnlyUris?: string;
  readonly version?: string;
  readonly tls?: boolean;
  readonly tlsCa?: string;
  /** Any other field (`replset`, `prefix-databases`…): in the `extra` secret when requested. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * The provider side of the database interfaces, wire-compatible with data_platform_libs'
 * `DatabaseProvides`: the leader emits `databaseRequested` when a requirer's `database` field
 * appears, and {@link DatabaseProvider.publish} sends credentials and endpoints. Each field the
 * requirer listed in `requested-secrets` goes into a Juju secret owned by this application and
 * granted to the relation (`secret-user`: username, password, uris; `secret-tls`: tls, tls-ca;
 * `secret-extra`: the rest), the others into the databag. A requirer bag that does not match the
 * interface sets the unit blocked, naming the field.
 */
export class DatabaseProvider extends OpsObject {
  static override readonly handleKind = 'DatabaseProvider';
  readonly on = new DatabaseProviderEvents(this);
  /** The `provides` endpoint. */
  readonly endpoint: string;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: DatabaseProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'database';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'DatabaseProvider');
    this.endpoint = endpoint;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    this.observe(charm.on.relation(endpoint).changed, this.onRelationChanged);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** The request on `relation`, or null while the requirer has not asked (or its bag is invalid). */
  request(relation: Relation): DatabaseRequest | null {
    const app = relation.app;
    if (!app || relation.data(app).size === 0) return null;
    const read = tryReadDatabag(relation, app, DatabaseRequirerAppSchema);
    if (!read.ok) {
      this.#status.report(read.error);
      return null;
    }
    const bag = read.value;
    return {
      relationId: relation.id,
      app: app.name,
      database: bag.database,
      extraUserRoles: bag['extra-user-roles'] ?? null,
      extraGroupRoles: bag['extra-group-roles'] ?? null,
      requestedSecrets: bag['requested-secrets'] ?? [],
      externalNodeConnectivity: bag['external-node-connectivity'] === 'true',
    };
  }

  /** Every valid request, one per relation that has one. */
  requests(): DatabaseRequest[] {
    return this.relations.flatMap((r) => this.request(r) ?? []);
  }

  /**
   * Sends `data` on `relation` (leader only): requested secret fields into this application's
   * secrets for the relation (created and granted on first use, updated after), the others into
   * the application databag. Fields left out keep their current value.
   *
   * @throws {InterfaceNotLeaderError} this unit is not the leader.
   * @throws {DatabagWriteError} a field is empty, or credentials are published before the
   * requirer asked (its `requested-secrets` says which fields go in secrets).
   */
  publish(relation: Relation, data: DatabasePublication): void {
    if (!this.model.unit.isLeader()) {
      throw new InterfaceNotLeaderError(
        `${this.model.unitName} is not the leader: only the leader publishes on ${relation}`,
      );
    }
    const fields = wireFields(data);
    const request = this.request(relation);
    const early = Object.keys(fields).filter((key) => key in SECRET_GROUP_OF);
    if (request === null && early.length > 0) {
      // As data_interfaces: until the requirer has asked, we do not know which fields it wants
      // in secrets, and credentials must not land in the databag by default.
      throw new DatabagWriteError(
        `cannot publish ${early.join(', ')} on ${relation} before the requirer asked for a database`,
      );
    }
    const requested = new Set(request?.requestedSecrets ?? []);
    const plain: Record<string, string> = {};
    const grouped = new Map<SecretGroup, Record<string, string>>();
    for (const [key, value] of Object.entries(fields)) {
      if (!requested.has(key)) {
        plain[key] = value;
        continue;
      }
      const group = SECRET_GROUP_OF[key] ?? 'extra';
      grouped.set(group, { ...grouped.get(group), [key]: value });
    }
    const bag = relation.appData;
    for (const [group, content] of grouped) {
      const uri = this.#saveSecret(relation, group, content, bag.get(`secret-${group}`));
      if (uri !== null) plain[`secret-${group}`] = uri;
    }
    const known = Object.fromEntries(
      Object.entries(plain).filter(([key]) => key in DatabaseProviderAppSchema.shape),
    );
    encodeDatabag(
      DatabaseProviderAppSchema,
      known,
      `the databag of app ${this.model.app.name} in relation ${relation}`,
    );
    const changes = Object.fromEntries(
      Object.entries(plain).filter(([key, value]) => bag.get(key) !== value),
    );
    if (Object.keys(changes).length > 0) bag.update(changes);
  }

  /** Creates (and grants) or updates the group's secret; returns a new URI to publish, or null. */
  #saveSecret(
    relation: Relation,
    group: SecretGroup,
    content: Record<string, string>,
    uri: string | undefined,
  ): string | null {
    const label = secretLabel(relation.name, relation.id, group);
    if (uri !== undefined) {
      const secret: Secret = this.model.getSecret({ id: uri });
      const current = secret.getContent();
      const merged = { ...current, ...content };
      if (Object.entries(merged).some(([key, value]) => current[key] !== value)) secret.setContent(merged);
      return null;
    }
    const secret = this.model.app.addSecret(content, { label });
    secret.grant(relation);
    return secret.id;
  }

  /** @internal */
  async onRelationChanged(event: RelationChangedEvent): Promise<void> {
    if (!this.model.unit.isLeader()) return;
    const relation = event.relation;
    const app = relation.app;
    if (!app) return;
    const request = this.request(relation);
    if (request === null) return;
    // Like data_interfaces, the requirer bag last seen is kept in this app's `data` field (JSON),
    // so a new leader does not ask for the same database again.
    const raw = relation.data(app).toObject();
    const bag = relation.appData;
    const before = parseSeen(bag.get('data'));
    bag.set('data', pythonJson(raw));
    if (before.database === undefined && raw['entity-type'] === undefined) {
      await this.on.databaseRequested.emit(
        relation,
        app,
        event.unit,
        request.database,
        request.extraUserRoles,
      );
    }
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      const app = relation.app;
      if (!app || relation.data(app).size === 0) continue;
      const read = tryReadDatabag(relation, app, DatabaseRequirerAppSchema);
      if (!read.ok) problems.push(read.error);
    }
    return problems;
  }
}

function parseSeen(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The publication as databag keys and strings. */
function wireFields(data: DatabasePublication): Record<string, string> {
  const named: Record<string, string | undefined> = {
    database: data.database,
    username: data.username,
    password: data.password,
    endpoints: data.endpoints,
    'read-only-endpoints': data.readOnlyEndpoints,
    uris: data.uris,
    'read-only-uris': data.readOnlyUris,
    version: data.version,
    tls: data.tls === undefined ? undefined : String(data.tls),
    'tls-ca': data.tlsCa,
    ...data.extra,
  };
  return Object.fromEntries(Object.entries(named).filter((e): e is [string, string] => e[1] !== undefined));
}
