import {
  type Application,
  type Handle,
  type JsonObject,
  ObjectEvents,
  type Relation,
  RelationEvent,
  type Unit,
} from '@charmkit/ops';

/** The provider published a URL for this application, or a new one. */
export class IngressReadyEvent extends RelationEvent {
  /** The URL the application is reached at. */
  url: string;

  constructor(handle: Handle, relation: Relation, app: Application | null, unit: Unit | null, url: string) {
    super(handle, relation, app, unit);
    this.url = url;
  }

  override snapshot(): JsonObject {
    return { ...super.snapshot(), url: this.url };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.url = String(snapshot.url);
  }
}

/** The URL is gone: the provider withdrew it or the relation broke. */
export class IngressRevokedEvent extends RelationEvent {
  declare protected readonly brandIngressRevoked: undefined;
}

/** The events of an `IngressRequirer`. */
export class IngressRequirerEvents extends ObjectEvents {
  readonly ready = this.event('ready', IngressReadyEvent);
  readonly revoked = this.event('revoked', IngressRevokedEvent);
}

/**
 * A requirer's application and every one of its units have sent valid data: route to them and
 * publish the URL (`provider.request(event.relation)` says what was asked). Emitted on every unit,
 * at each relation event while the data is complete.
 */
export class IngressDataProvidedEvent extends RelationEvent {
  declare protected readonly brandDataProvided: undefined;
}

/** A requirer's relation broke: stop routing to it. */
export class IngressDataRemovedEvent extends RelationEvent {
  declare protected readonly brandDataRemoved: undefined;
}

/** The events of an `IngressProvider`. */
export class IngressProviderEvents extends ObjectEvents {
  readonly dataProvided = this.event('data_provided', IngressDataProvidedEvent);
  readonly dataRemoved = this.event('data_removed', IngressDataRemovedEvent);
}
