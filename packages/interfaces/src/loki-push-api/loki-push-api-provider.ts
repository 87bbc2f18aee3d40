import { type CharmBase, OpsObject, type Relation, type RelationEvent } from '@charmkit/ops';
import type { RelationAlertRules } from '../prometheus-scrape/metrics-endpoint-consumer.js';
import type { AlertRules } from '../prometheus-scrape/schemas.js';
import {
  checkEndpoint,
  encodeDatabag,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  unitAddress,
  writeDatabag,
} from '../shared/index.js';
import { LokiPushApiProviderEvents } from './loki-push-api-events.js';
import { LokiConsumerAppSchema, LokiProviderUnitSchema } from './schemas.js';

/** Options of {@link LokiPushApiProvider}. */
export interface LokiPushApiProviderOptions {
  /** The `provides` endpoint (interface `loki_push_api`); default `logging`. */
  readonly endpoint?: string;
  /**
   * The base URL of this unit's Loki (scheme, host, port), without the push path. Default
   * `<scheme>://<ingress-address>:<port>`.
   */
  readonly url?: string;
  /** Default 3100. */
  readonly port?: number;
  /** Default `http`. */
  readonly scheme?: 'http' | 'https';
  /** Default `loki/api/v1/push`, as the Python library uses. */
  readonly path?: string;
}

/**
 * The provider side of `loki_push_api` (v0), what Loki runs, wire-compatible with loki-k8s'
 * `LokiPushApiProvider`: every unit publishes its push URL (`endpoint`: JSON `{"url": ...}`), and
 * the log senders' alert rules are read back ({@link LokiPushApiProvider.alertRules}), emitting
 * `alertRulesChanged` when a sender's data changes.
 */
export class LokiPushApiProvider extends OpsObject {
  static override readonly handleKind = 'LokiPushApiProvider';
  readonly on = new LokiPushApiProviderEvents(this);
  /** The `provides` endpoint. */
  readonly endpoint: string;
  #options: LokiPushApiProviderOptions;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: LokiPushApiProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'logging';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'LokiPushApiProvider');
    this.endpoint = endpoint;
    this.#options = options;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onPublish);
    this.observe(events.joined, this.onPublish);
    this.observe(events.changed, this.onRelationChanged);
    this.observe(events.departed, this.onRulesChanged);
    this.observe(events.broken, this.onRulesChanged);
    this.observe(charm.on.upgradeCharm, this.onRefresh);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /**
   * Publishes a new push URL on every relation (an ingress appeared).
   *
   * @throws {DatabagWriteError} the URL is empty.
   */
  updateEndpoint(changes: Omit<LokiPushApiProviderOptions, 'endpoint'>): void {
    this.#options = { ...this.#options, ...changes };
    this.onRefresh();
  }

  /** The push URL this unit publishes in `relation`, or null before Juju gave it an address. */
  pushUrl(relation: Relation): string | null {
    let base = this.#options.url;
    if (base === undefined) {
      const address = unitAddress(relation, this.model.unit);
      if (address === null) return null;
      const host = address.includes(':') ? `[${address}]` : address;
      base = `${this.#options.scheme ?? 'http'}://${host}:${this.#options.port ?? 3100}`;
    }
    const path = (this.#options.path ?? 'loki/api/v1/push').replace(/^\/+/, '');
    return `${base.replace(/\/+$/, '')}/${path}`;
  }

  /** The log alert rules each related application sent (non-empty ones only). */
  alertRules(): RelationAlertRules[] {
    const out: RelationAlertRules[] = [];
    for (const relation of this.relations) {
      if (!relation.app || relation.data(relation.app).get('alert_rules') === undefined) continue;
      const read = tryReadDatabag(relation, relation.app, LokiConsumerAppSchema);
      if (!read.ok) {
        this.#status.report(read.error);
        continue;
      }
      const rules = read.value.alert_rules;
      if (!('groups' in rules) || (rules as AlertRules).groups.length === 0) continue;
      out.push({ relation, metadata: read.value.metadata, rules: rules as AlertRules });
    }
    return out;
  }

  /** @internal */
  onPublish(event: RelationEvent): void {
    this.#publish(event.relation);
  }

  /** @internal */
  onRefresh(): void {
    for (const relation of this.relations) this.#publish(relation);
  }

  /** @internal */
  async onRelationChanged(event: RelationEvent): Promise<void> {
    this.#publish(event.relation);
    await this.onRulesChanged(event);
  }

  /** @internal */
  async onRulesChanged(event: RelationEvent): Promise<void> {
    await this.on.alertRulesChanged.emit(event.relation, event.app, event.unit);
  }

  #publish(relation: Relation): void {
    const url = this.pushUrl(relation);
    if (url === null) return;
    const where = `the endpoint of LokiPushApiProvider(${this.endpoint})`;
    encodeDatabag(LokiProviderUnitSchema, { endpoint: { url } }, where);
    writeDatabag(relation, this.model.unit, LokiProviderUnitSchema, { endpoint: { url } });
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      if (!relation.app || relation.data(relation.app).get('alert_rules') === undefined) continue;
      const read = tryReadDatabag(relation, relation.app, LokiConsumerAppSchema);
      if (!read.ok) problems.push(read.error);
    }
    return problems;
  }
}
