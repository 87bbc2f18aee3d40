import {
  type Application,
  type Handle,
  type JsonObject,
  ObjectEvents,
  type Relation,
  RelationEvent,
  type Unit,
} from '@charmkit/ops';

/** The provider sent credentials for the first time (`secret-user`, or `username` and `password`). */
export class DatabaseCreatedEvent extends RelationEvent {
  declare protected readonly brandDatabaseCreated: undefined;
}

/** The provider's `endpoints` appeared or changed (and no credentials arrived in the same change). */
export class DatabaseEndpointsChangedEvent extends RelationEvent {
  declare protected readonly brandEndpointsChanged: undefined;
}

/** The provider's `read-only-endpoints` appeared or changed. */
export class DatabaseReadOnlyEndpointsChangedEvent extends RelationEvent {
  declare protected readonly brandReadOnlyEndpointsChanged: undefined;
}

/**
 * The provider published a new revision of a relation's credentials or TLS secret (a rotated
 * password, a new CA): read them again with `credentials()`.
 */
export class DatabaseCredentialsChangedEvent extends RelationEvent {
  declare protected readonly brandCredentialsChanged: undefined;
}

/** The events of a `DatabaseRequirer`. */
export class DatabaseRequirerEvents extends ObjectEvents {
  readonly databaseCreated = this.event('database_created', DatabaseCreatedEvent);
  readonly endpointsChanged = this.event('endpoints_changed', DatabaseEndpointsChangedEvent);
  readonly readOnlyEndpointsChanged = this.event(
    'read_only_endpoints_changed',
    DatabaseReadOnlyEndpointsChangedEvent,
  );
  readonly credentialsChanged = this.event('credentials_changed', DatabaseCredentialsChangedEvent);
}

/**
 * A requirer asked for a database (its `database` field appeared): create it and a user, then
 * `provider.publish(event.relation, …)`. Emitted on the leader only.
 */
export class DatabaseRequestedEvent extends RelationEvent {
  /** The database (or prefix ending in `*`) asked for. */
  database: string;
  /** Extra roles asked for the user, as sent (comma-separated), or null. */
  extraUserRoles: string | null;

  constructor(
    handle: Handle,
    relation: Relation,
    app: Application | null,
    unit: Unit | null,
    database: string,
    extraUserRoles: string | null,
  ) {
    super(handle, relation, app, unit);
    this.database = database;
    this.extraUserRoles = extraUserRoles;
  }

  override snapshot(): JsonObject {
    return { ...super.snapshot(), database: this.database, extra_user_roles: this.extraUserRoles };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.database = String(snapshot.database);
    this.extraUserRoles = typeof snapshot.extra_user_roles === 'string' ? snapshot.extra_user_roles : null;
  }
}

/** The events of a `DatabaseProvider`. */
export class DatabaseProviderEvents extends ObjectEvents {
  readonly databaseRequested = this.event('database_requested', DatabaseRequestedEvent);
}
