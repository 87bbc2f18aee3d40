import { isIP } from 'node:net';
import {
  type CharmBase,
  OpsObject,
  type Relation,
  type RelationBrokenEvent,
  type RelationEvent,
} from '@charmkit/ops';
import {
  checkEndpoint,
  encodeDatabag,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  unitAddress,
  writeDatabag,
} from '../shared/index.js';
import { IngressRequirerEvents } from './ingress-events.js';
import {
  IngressProviderAppSchema,
  type IngressRequirerApp,
  IngressRequirerAppSchema,
  IngressRequirerUnitSchema,
  type IngressScheme,
} from './schemas.js';

/** Options of {@link IngressRequirer}. */
export interface IngressRequirerOptions {
  /** The `requires` endpoint (interface `ingress`); default `ingress`. */
  readonly endpoint?: string;
  /** The port the workload listens on. */
  readonly port: number;
  /** The scheme of the URL the provider builds; default `http`. */
  readonly scheme?: IngressScheme;
  /** Ask the provider to strip the path prefix (`/<model>-<app>`) before forwarding. */
  readonly stripPrefix?: boolean;
  /** Ask the provider to redirect plain HTTP to HTTPS. */
  readonly redirectHttps?: boolean;
  /**
   * The host the provider forwards to for this unit; default the unit's `ingress-address` in the
   * relation (what Juju says other applications reach it at).
   */
  readonly host?: string;
}

/**
 * The requirer side of `ingress` v2, wire-compatible with traefik-k8s' `IngressPerAppRequirer`:
 * the leader publishes the application's model, name, port and scheme, every unit its host and
 * IP (from `ingress-address`), and `ready` is emitted when the provider's URL appears or changes,
 * `revoked` when it goes away. A provider bag that does not match sets the unit blocked.
 */
export class IngressRequirer extends OpsObject {
  static override readonly handleKind = 'IngressRequirer';
  readonly on = new IngressRequirerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;

  #options: IngressRequirerOptions;
  readonly #stored: { url: string | null };
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: IngressRequirerOptions) {
    const endpoint = options.endpoint ?? 'ingress';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', 'IngressRequirer');
    this.endpoint = endpoint;
    this.#options = options;
    encodeDatabag(IngressRequirerAppSchema, this.#appData(), `the request of IngressRequirer(${endpoint})`);
    this.#stored = this.storedState('url', { url: null as string | null });
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onRelationEvent);
    this.observe(events.joined, this.onRelationEvent);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(events.broken, this.onRelationBroken);
    this.observe(charm.on.leaderElected, this.onRepublish);
    this.observe(charm.on.upgradeCharm, this.onRepublish);
  }

  /** The live relations of the endpoint (usually one). */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** The URL the provider published, or null. */
  get url(): string | null {
    for (const relation of this.relations) {
      const url = this.#urlOf(relation);
      if (url !== null) return url;
    }
    return null;
  }

  /** True when a URL is published. */
  get isReady(): boolean {
    return this.url !== null;
  }

  /**
   * Publishes new settings (a port or scheme that changed with config) on every relation: the
   * application's on the leader, this unit's everywhere.
   *
   * @throws {DatabagWriteError} a value does not fit the interface (a port out of range).
   */
  provide(changes: Partial<Omit<IngressRequirerOptions, 'endpoint'>>): void {
    const next = { ...this.#options, ...changes };
    encodeDatabag(
      IngressRequirerAppSchema,
      this.#appDataOf(next),
      `the request of IngressRequirer(${this.endpoint})`,
    );
    this.#options = next;
    for (const relation of this.relations) this.#publish(relation);
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    this.#publish(event.relation);
    await this.#announce(event.relation);
  }

  /** @internal */
  onRepublish(): void {
    for (const relation of this.relations) this.#publish(relation);
  }

  /** @internal */
  async onRelationBroken(event: RelationBrokenEvent): Promise<void> {
    if (this.#stored.url === null) return;
    this.#stored.url = null;
    await this.on.revoked.emit(event.relation, event.relation.app, null);
  }

  async #announce(relation: Relation): Promise<void> {
    const url = this.#urlOf(relation);
    if (url === this.#stored.url) return;
    this.#stored.url = url;
    if (url === null) await this.on.revoked.emit(relation, relation.app, null);
    else await this.on.ready.emit(relation, relation.app, null, url);
  }

  #urlOf(relation: Relation): string | null {
    if (!relation.app) return null;
    const read = tryReadDatabag(relation, relation.app, IngressProviderAppSchema);
    if (!read.ok) {
      this.#status.report(read.error);
      return null;
    }
    return read.value.ingress?.url ?? null;
  }

  #publish(relation: Relation): void {
    if (this.model.unit.isLeader())
      writeDatabag(relation, this.model.app, IngressRequirerAppSchema, this.#appData());
    const address = unitAddress(relation, this.model.unit);
    const host = this.#options.host ?? address;
    // Juju writes ingress-address when the unit enters the relation; until then there is nothing to say.
    if (host === null) return;
    const ip = address !== null && isIP(address) !== 0 ? address : undefined;
    writeDatabag(relation, this.model.unit, IngressRequirerUnitSchema, { host, ip });
  }

  #appData(): IngressRequirerApp {
    return this.#appDataOf(this.#options);
  }

  /** Fields at their default value are left out, as the Python library writes them. */
  #appDataOf(options: IngressRequirerOptions): IngressRequirerApp {
    return {
      model: this.model.name,
      name: this.model.app.name,
      port: options.port,
      ...(options.scheme && options.scheme !== 'http' ? { scheme: options.scheme } : {}),
      ...(options.stripPrefix ? { 'strip-prefix': true } : {}),
      ...(options.redirectHttps ? { 'redirect-https': true } : {}),
    };
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      if (!relation.app) continue;
      const read = tryReadDatabag(relation, relation.app, IngressProviderAppSchema);
      if (!read.ok) problems.push(read.error);
    }
    return problems;
  }
}
