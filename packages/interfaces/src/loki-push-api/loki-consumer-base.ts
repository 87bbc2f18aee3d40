import { type CharmBase, OpsObject, type Relation, type RelationEvent } from '@charmkit/ops';
import { labelAlertRules } from '../prometheus-scrape/alert-rules.js';
import { type JujuTopology, topologyOf } from '../prometheus-scrape/juju-topology.js';
import type { AlertRules } from '../prometheus-scrape/schemas.js';
import {
  checkEndpoint,
  encodeDatabag,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  writeDatabag,
} from '../shared/index.js';
import { LokiPushApiConsumerEvents } from './loki-push-api-events.js';
import { LokiConsumerAppSchema, LokiProviderUnitSchema } from './schemas.js';

/** Options shared by {@link LokiPushApiConsumer} and {@link LogForwarder}. */
export interface LokiConsumerOptions {
  /** The `requires` endpoint (interface `loki_push_api`); default `logging`. */
  readonly endpoint?: string;
  /** LogQL alert rules to forward to Loki's ruler; topology labels are added. */
  readonly alertRules?: AlertRules;
}

/** One Loki push endpoint, with the Loki unit that published it. */
export interface LokiEndpoint {
  readonly unit: string;
  readonly url: string;
}

/** Recursively sorted keys: the Python library writes `alert_rules` with `sort_keys=True`. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/**
 * What both log-sending sides of `loki_push_api` do: the leader publishes the topology
 * (`metadata`) and the alert rules (`alert_rules`) as loki-k8s' `ConsumerBase` does, and
 * {@link LokiConsumerBase.endpoints} lists the push URLs the Loki units published.
 */
export abstract class LokiConsumerBase extends OpsObject {
  readonly on = new LokiPushApiConsumerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;
  protected readonly charm: CharmBase;
  #rules: AlertRules | undefined;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: LokiConsumerOptions, who: string) {
    const endpoint = options.endpoint ?? 'logging';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', who);
    this.endpoint = endpoint;
    this.charm = charm;
    this.#rules = options.alertRules;
    encodeDatabag(LokiConsumerAppSchema, this.#appData(), `the alert rules of ${who}(${endpoint})`);
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** The topology this charm reports (`metadata`). */
  get topology(): JujuTopology {
    return topologyOf(this.charm);
  }

  /** Every push endpoint Loki published, one per URL (a scaled Loki coordinator repeats its URL). */
  endpoints(): LokiEndpoint[] {
    const seen = new Set<string>();
    const out: LokiEndpoint[] = [];
    for (const relation of this.relations) {
      for (const endpoint of this.endpointsOf(relation)) {
        if (seen.has(endpoint.url)) continue;
        seen.add(endpoint.url);
        out.push(endpoint);
      }
    }
    return out;
  }

  /** The push endpoints the Loki units of `relation` published. */
  endpointsOf(relation: Relation): LokiEndpoint[] {
    const out: LokiEndpoint[] = [];
    for (const unit of relation.units) {
      if (relation.data(unit).get('endpoint') === undefined) continue;
      const read = tryReadDatabag(relation, unit, LokiProviderUnitSchema);
      if (!read.ok) {
        this.#status.report(read.error);
        continue;
      }
      out.push({ unit: unit.name, url: read.value.endpoint.url });
    }
    return out.sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  }

  /**
   * Publishes new alert rules (leader only; others keep them for when they lead).
   *
   * @throws {DatabagWriteError} the rules are not in rule-file form.
   */
  setAlertRules(rules: AlertRules | undefined): void {
    const previous = this.#rules;
    this.#rules = rules;
    try {
      encodeDatabag(LokiConsumerAppSchema, this.#appData(), `the alert rules of ${this.endpoint}`);
    } catch (error) {
      this.#rules = previous;
      throw error;
    }
    for (const relation of this.relations) this.publish(relation);
  }

  /** Writes `metadata` and `alert_rules` into the application bag, on the leader. */
  protected publish(relation: Relation): void {
    if (!this.model.unit.isLeader()) return;
    writeDatabag(relation, this.model.app, LokiConsumerAppSchema, this.#appData());
  }

  /** Announces a Loki unit's arrival or departure as the typed events. */
  protected async announce(event: RelationEvent, departed: boolean): Promise<void> {
    if (departed) await this.on.endpointDeparted.emit(event.relation, event.app, event.unit);
    else if (this.endpointsOf(event.relation).length > 0) {
      await this.on.endpointJoined.emit(event.relation, event.app, event.unit);
    }
  }

  #appData() {
    const rules = this.#rules ? labelAlertRules(this.#rules, this.topology) : { groups: [] };
    return { metadata: this.topology, alert_rules: sortKeys(rules) as AlertRules };
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      for (const unit of relation.units) {
        if (relation.data(unit).get('endpoint') === undefined) continue;
        const read = tryReadDatabag(relation, unit, LokiProviderUnitSchema);
        if (!read.ok) problems.push(read.error);
      }
    }
    return problems;
  }
}
