import {
  type CharmBase,
  OpsObject,
  type Relation,
  type RelationBrokenEvent,
  type RelationEvent,
} from '@charmkit/ops';
import {
  checkEndpoint,
  InterfaceNotLeaderError,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  writeDatabag,
} from '../shared/index.js';
import { IngressProviderEvents } from './ingress-events.js';
import {
  IngressProviderAppSchema,
  IngressRequirerAppSchema,
  IngressRequirerUnitSchema,
  type IngressScheme,
  JUJU_UNIT_KEYS,
} from './schemas.js';

/** Options of {@link IngressProvider}. */
export interface IngressProviderOptions {
  /** The `provides` endpoint (interface `ingress`); default `ingress`. */
  readonly endpoint?: string;
}

/** One requirer unit to route to. */
export interface IngressUnit {
  /** The unit, e.g. `web/0`. */
  readonly name: string;
  readonly host: string;
  readonly ip: string | null;
}

/** What a requirer asked for on one relation. */
export interface IngressRequest {
  readonly relationId: number;
  /** The requirer application, as it says its name. */
  readonly name: string;
  readonly model: string;
  readonly port: number;
  readonly scheme: IngressScheme;
  readonly stripPrefix: boolean;
  readonly redirectHttps: boolean;
  /** Its units, in name order. */
  readonly units: readonly IngressUnit[];
}

type Read = { readonly request: IngressRequest | null; readonly problems: RemoteDatabagError[] };

/**
 * The provider side of `ingress` v2, wire-compatible with traefik-k8s' `IngressPerAppProvider`:
 * `dataProvided` is emitted once a requirer's application and units have all sent valid data
 * ({@link IngressProvider.request} says what they asked), `dataRemoved` when its relation breaks,
 * and the leader answers with {@link IngressProvider.publishUrl}. A requirer bag that does not
 * match the interface sets the unit blocked, naming the field.
 */
export class IngressProvider extends OpsObject {
  static override readonly handleKind = 'IngressProvider';
  readonly on = new IngressProviderEvents(this);
  /** The `provides` endpoint. */
  readonly endpoint: string;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: IngressProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'ingress';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'IngressProvider');
    this.endpoint = endpoint;
    this.#status = new RemoteDataStatus(charm, this, () =>
      this.relations.flatMap((r) => this.#read(r).problems),
    );
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onRelationEvent);
    this.observe(events.joined, this.onRelationEvent);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(events.departed, this.onRelationEvent);
    this.observe(events.broken, this.onRelationBroken);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** The request on `relation`, or null until the application and all its units sent valid data. */
  request(relation: Relation): IngressRequest | null {
    const { request, problems } = this.#read(relation);
    for (const problem of problems) this.#status.report(problem);
    return request;
  }

  /** Every complete request. */
  requests(): IngressRequest[] {
    return this.relations.flatMap((r) => this.request(r) ?? []);
  }

  /**
   * Publishes the URL the requirer is reached at (leader only).
   *
   * @throws {InterfaceNotLeaderError} this unit is not the leader.
   * @throws {DatabagWriteError} `url` is not an http(s) URL.
   */
  publishUrl(relation: Relation, url: string): void {
    this.#checkLeader(relation);
    writeDatabag(relation, this.model.app, IngressProviderAppSchema, { ingress: { url } });
  }

  /**
   * Withdraws the URL (leader only).
   *
   * @throws {InterfaceNotLeaderError} this unit is not the leader.
   */
  wipeUrl(relation: Relation): void {
    this.#checkLeader(relation);
    writeDatabag(relation, this.model.app, IngressProviderAppSchema, {});
  }

  /** The URL published on `relation` (leader only: others cannot read this app's bag), or null. */
  publishedUrl(relation: Relation): string | null {
    if (!this.model.unit.isLeader()) return null;
    const url = relation.appData.get('ingress');
    if (url === undefined) return null;
    const read = tryReadDatabag(relation, this.model.app, IngressProviderAppSchema);
    return read.ok ? (read.value.ingress?.url ?? null) : null;
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    if (this.request(event.relation) === null) return;
    await this.on.dataProvided.emit(event.relation, event.relation.app, event.unit);
  }

  /** @internal */
  async onRelationBroken(event: RelationBrokenEvent): Promise<void> {
    await this.on.dataRemoved.emit(event.relation, event.relation.app, null);
  }

  #checkLeader(relation: Relation): void {
    if (!this.model.unit.isLeader()) {
      throw new InterfaceNotLeaderError(
        `${this.model.unitName} is not the leader: only the leader publishes ingress URLs on ${relation}`,
      );
    }
  }

  #read(relation: Relation): Read {
    const app = relation.app;
    if (!app || relation.data(app).size === 0) return { request: null, problems: [] };
    const problems: RemoteDatabagError[] = [];
    const appRead = tryReadDatabag(relation, app, IngressRequirerAppSchema);
    if (!appRead.ok) problems.push(appRead.error);
    const units: IngressUnit[] = [];
    let complete = true;
    for (const unit of [...relation.units].sort((a, b) =>
      a.name.localeCompare(b.name, 'en', { numeric: true }),
    )) {
      const keys = [...relation.data(unit).keys()].filter((k) => !JUJU_UNIT_KEYS.has(k));
      // A unit that has not written yet is not an error: the request is just not complete.
      if (keys.length === 0) {
        complete = false;
        continue;
      }
      const read = tryReadDatabag(relation, unit, IngressRequirerUnitSchema);
      if (!read.ok) {
        problems.push(read.error);
        continue;
      }
      units.push({ name: unit.name, host: read.value.host, ip: read.value.ip ?? null });
    }
    if (!appRead.ok || problems.length > 0 || !complete) return { request: null, problems };
    const bag = appRead.value;
    return {
      request: {
        relationId: relation.id,
        name: bag.name,
        model: bag.model,
        port: bag.port,
        scheme: bag.scheme ?? 'http',
        stripPrefix: bag['strip-prefix'] ?? false,
        redirectHttps: bag['redirect-https'] ?? false,
        units,
      },
      problems,
    };
  }
}
