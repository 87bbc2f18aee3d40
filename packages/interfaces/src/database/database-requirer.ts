import {
  type CharmBase,
  OpsObject,
  type Relation,
  type RelationBrokenEvent,
  type RelationChangedEvent,
  type RelationCreatedEvent,
  type SecretChangedEvent,
} from '@charmkit/ops';
import {
  checkEndpoint,
  encodeDatabag,
  InterfaceNotLeaderError,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  writeDatabag,
} from '../shared/index.js';
import { DatabaseRequirerEvents } from './database-events.js';
import {
  DatabaseProviderAppSchema,
  type DatabaseRequirerApp,
  DatabaseRequirerAppSchema,
  DEFAULT_REQUESTED_SECRETS,
} from './schemas.js';
import { parseSecretLabel, resolveSecretFields } from './secret-fields.js';

/** Options of {@link DatabaseRequirer}. */
export interface DatabaseRequirerOptions {
  /** The `requires` endpoint (interface `postgresql_client`, `mysql_client`, `mongodb_client`…); default `database`. */
  readonly endpoint?: string;
  /** The database to ask for (or a prefix ending in `*`). */
  readonly database: string;
  /** Extra roles for the user, comma-separated (`admin`, `CREATEDB`…). */
  readonly extraUserRoles?: string;
  /** Extra roles for the user's group, comma-separated. */
  readonly extraGroupRoles?: string;
  /** More provider fields to receive in a secret (the `extra` secret), beyond the standard ones. */
  readonly additionalSecretFields?: readonly string[];
  /** Ask a subordinate provider (a router) to expose the database beyond this host. */
  readonly externalNodeConnectivity?: boolean;
}

/** What the provider sent on one relation, credentials resolved from their secrets. */
export interface DatabaseCredentials {
  readonly relationId: number;
  /** The provider application, when Juju says. */
  readonly app: string | null;
  /** The database actually created (the provider may not use the name asked for). */
  readonly database: string | null;
  readonly username: string;
  readonly password: string;
  /** Comma-separated `host:port` of the primary (read/write). */
  readonly endpoints: string | null;
  /** Comma-separated `host:port` of replicas, if any. */
  readonly readOnlyEndpoints: string | null;
  /** Connection URIs (libpq format for PostgreSQL), if sent. */
  readonly uris: string | null;
  readonly readOnlyUris: string | null;
  readonly version: string | null;
  /** Whether the provider has TLS enabled. */
  readonly tls: boolean;
  /** The CA chain to trust when `tls` is on. */
  readonly tlsCa: string | null;
  /** Every other field the provider sent (plain or in the `extra` secret), e.g. `replset`. */
  readonly extra: Readonly<Record<string, string>>;
}

const KNOWN = new Set([
  'database',
  'username',
  'password',
  'endpoints',
  'read-only-endpoints',
  'uris',
  'read-only-uris',
  'version',
  'tls',
  'tls-ca',
  'data',
]);

/**
 * The requirer side of the database interfaces (`postgresql_client`, `mysql_client`,
 * `mongodb_client` v0), wire-compatible with data_platform_libs' `DatabaseRequires`:
 *
 * - the leader asks for the database on relation-created (and again on later relation events and
 *   leader-elected, until the request is in the bag), with the standard `requested-secrets`, so a
 *   provider on Juju ≥ 3.1 sends credentials in Juju secrets (`secret-user`, `secret-tls`…);
 * - every unit emits `databaseCreated` when credentials first arrive, `endpointsChanged` and
 *   `readOnlyEndpointsChanged` when those fields change, and `credentialsChanged` when the provider
 *   publishes a new revision of a relation's secret;
 * - {@link DatabaseRequirer.credentials} reads the current credentials, from secrets or plain fields;
 * - a provider bag that does not match the interface sets the unit blocked, naming the field.
 */
export class DatabaseRequirer extends OpsObject {
  static override readonly handleKind = 'DatabaseRequirer';
  readonly on = new DatabaseRequirerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;

  readonly #request: DatabaseRequirerApp;
  readonly #seen: { bags: Record<string, Record<string, string>> };
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: DatabaseRequirerOptions) {
    const endpoint = options.endpoint ?? 'database';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', 'DatabaseRequirer');
    this.endpoint = endpoint;
    this.#request = {
      database: options.database,
      'requested-secrets': [...DEFAULT_REQUESTED_SECRETS, ...(options.additionalSecretFields ?? [])],
      ...(options.extraUserRoles ? { 'extra-user-roles': options.extraUserRoles } : {}),
      ...(options.extraGroupRoles ? { 'extra-group-roles': options.extraGroupRoles } : {}),
      ...(options.externalNodeConnectivity ? { 'external-node-connectivity': 'true' as const } : {}),
    };
    // Fail at construction, not in a relation hook, when the request itself is wrong.
    encodeDatabag(DatabaseRequirerAppSchema, this.#request, `the request of DatabaseRequirer(${endpoint})`);
    this.#seen = this.storedState('seen', { bags: {} as Record<string, Record<string, string>> });
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onRelationCreated);
    this.observe(events.changed, this.onRelationChanged);
    this.observe(events.broken, this.onRelationBroken);
    this.observe(charm.on.leaderElected, this.onLeaderElected);
    this.observe(charm.on.secretChanged, this.onSecretChanged);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** True when `relation` (default: any relation) has credentials. */
  isCreated(relation?: Relation): boolean {
    const relations = relation ? [relation] : this.relations;
    return relations.some((r) => this.credentials(r) !== null);
  }

  /**
   * The credentials on `relation` (default: the endpoint's only relation), or null while the
   * provider has not sent them, their secret is not visible yet, or its bag is invalid.
   */
  credentials(relation?: Relation): DatabaseCredentials | null {
    const target = relation ?? this.relations[0];
    if (!target?.app) return null;
    const read = tryReadDatabag(target, target.app, DatabaseProviderAppSchema);
    if (!read.ok) {
      this.#status.report(read.error);
      return null;
    }
    const raw = target.data(target.app).toObject();
    const { fields } = resolveSecretFields(this.model, target, read.value, raw);
    const { username, password } = fields;
    if (!username || !password) return null;
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(fields)) if (!KNOWN.has(key)) extra[key] = value;
    return {
      relationId: target.id,
      app: target.app.name,
      database: fields.database ?? null,
      username,
      password,
      endpoints: fields.endpoints ?? null,
      readOnlyEndpoints: fields['read-only-endpoints'] ?? null,
      uris: fields.uris ?? null,
      readOnlyUris: fields['read-only-uris'] ?? null,
      version: fields.version ?? null,
      tls: (fields.tls ?? '').toLowerCase() === 'true',
      tlsCa: fields['tls-ca'] ?? null,
      extra,
    };
  }

  /**
   * Writes the request into `relation`'s application bag (leader only). The object does this
   * itself; call it to re-send after changing nothing but the relation.
   *
   * @throws {InterfaceNotLeaderError} this unit is not the leader.
   */
  sendRequest(relation: Relation): void {
    if (!this.model.unit.isLeader()) {
      throw new InterfaceNotLeaderError(
        `${this.model.unitName} is not the leader: only the leader asks for the database on ${relation}`,
      );
    }
    writeDatabag(relation, this.model.app, DatabaseRequirerAppSchema, this.#request);
  }

  /** @internal */
  onRelationCreated(event: RelationCreatedEvent): void {
    if (this.model.unit.isLeader()) this.sendRequest(event.relation);
  }

  /** @internal */
  onLeaderElected(): void {
    for (const relation of this.relations) this.sendRequest(relation);
  }

  /** @internal */
  async onRelationChanged(event: RelationChangedEvent): Promise<void> {
    const relation = event.relation;
    if (this.model.unit.isLeader()) this.sendRequest(relation);
    const app = relation.app;
    if (!app) return;
    const read = tryReadDatabag(relation, app, DatabaseProviderAppSchema);
    if (!read.ok) return this.#status.report(read.error);
    const now = relation.data(app).toObject();
    const key = String(relation.id);
    const before = this.#seen.bags[key] ?? {};
    this.#seen.bags = { ...this.#seen.bags, [key]: now };
    const added = (k: string): boolean => now[k] !== undefined && before[k] === undefined;
    const changed = (k: string): boolean => now[k] !== undefined && before[k] !== now[k];
    // The order and the "one event per change" rule are data_interfaces': a charm that reacts to
    // databaseCreated need not also react to the endpoints that came with the credentials.
    if (added('secret-user') || (added('username') && added('password'))) {
      await this.on.databaseCreated.emit(relation, app, event.unit);
    } else if (changed('endpoints')) {
      await this.on.endpointsChanged.emit(relation, app, event.unit);
    } else if (changed('read-only-endpoints')) {
      await this.on.readOnlyEndpointsChanged.emit(relation, app, event.unit);
    }
  }

  /** @internal */
  onRelationBroken(event: RelationBrokenEvent): void {
    const { [String(event.relation.id)]: _gone, ...rest } = this.#seen.bags;
    this.#seen.bags = rest;
  }

  /** @internal */
  async onSecretChanged(event: SecretChangedEvent): Promise<void> {
    const parsed = parseSecretLabel(event.secret.label);
    if (!parsed || parsed.endpoint !== this.endpoint) return;
    const relation = this.relations.find((r) => r.id === parsed.relationId);
    if (!relation) return;
    await this.on.credentialsChanged.emit(relation, relation.app, null);
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      if (!relation.app) continue;
      const read = tryReadDatabag(relation, relation.app, DatabaseProviderAppSchema);
      if (!read.ok) problems.push(read.error);
    }
    return problems;
  }
}
