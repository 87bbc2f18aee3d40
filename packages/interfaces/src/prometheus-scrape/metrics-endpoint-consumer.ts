import { type CharmBase, OpsObject, type Relation, type RelationEvent } from '@charmkit/ops';
import { checkEndpoint, type RemoteDatabagError, RemoteDataStatus, tryReadDatabag } from '../shared/index.js';
import { topologyIdentifier } from './juju-topology.js';
import { MetricsEndpointConsumerEvents } from './prometheus-scrape-events.js';
import {
  type AlertRules,
  type ScrapeJob,
  type ScrapeMetadata,
  type ScrapeProviderApp,
  ScrapeProviderAppSchema,
  ScrapeProviderUnitSchema,
} from './schemas.js';

/** Options of {@link MetricsEndpointConsumer}. */
export interface MetricsEndpointConsumerOptions {
  /** The `requires` endpoint (interface `prometheus_scrape`); default `metrics-endpoint`. */
  readonly endpoint?: string;
}

/** One unit of a scraped application, from its databag. */
export interface ScrapeTarget {
  readonly unit: string;
  readonly address: string;
  readonly path: string;
}

/** The alert rules one related application sent, with who sent them. */
export interface RelationAlertRules {
  readonly relation: Relation;
  readonly metadata: ScrapeMetadata;
  readonly rules: AlertRules;
}

const WILDCARD = /^\*(?::(\d+))?$/;

/**
 * The consumer side of `prometheus_scrape` (v0), what Prometheus itself runs: reads each related
 * application's jobs, topology and rules as prometheus-k8s' `MetricsEndpointConsumer` does, and
 * turns them into scrape configs ({@link MetricsEndpointConsumer.jobs}): job names prefixed with
 * `juju_<model>_<uuid8>_<app>_prometheus_scrape`, each `*:<port>` target expanded into one job per
 * unit at its published address, with the `juju_*` topology labels. A bag that does not match the
 * interface blocks the unit with a status naming the application and field.
 */
export class MetricsEndpointConsumer extends OpsObject {
  static override readonly handleKind = 'MetricsEndpointConsumer';
  readonly on = new MetricsEndpointConsumerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: MetricsEndpointConsumerOptions = {}) {
    const endpoint = options.endpoint ?? 'metrics-endpoint';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', 'MetricsEndpointConsumer');
    this.endpoint = endpoint;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(events.departed, this.onRelationEvent);
    this.observe(events.broken, this.onRelationEvent);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** Every scrape job of every related application, ready for `scrape_configs`. */
  jobs(): ScrapeJob[] {
    return this.relations.flatMap((relation) => this.jobsOf(relation));
  }

  /** The scrape jobs of one relation (empty until its application and a unit have published). */
  jobsOf(relation: Relation): ScrapeJob[] {
    const app = this.#app(relation);
    if (!app || relation.units.size === 0) return [];
    const meta = app.scrape_metadata;
    const prefix = `juju_${topologyIdentifier(meta)}_prometheus_scrape`;
    const targets = this.targetsOf(relation);
    const out: ScrapeJob[] = [];
    for (const job of app.scrape_jobs) {
      const name = job.job_name ? `${prefix}_${job.job_name}` : prefix;
      const labels = {
        juju_model: meta.model,
        juju_model_uuid: meta.model_uuid,
        juju_application: meta.application,
        ...(meta.charm_name ? { juju_charm: meta.charm_name } : {}),
      };
      const fixed: typeof job.static_configs = [];
      for (const config of job.static_configs) {
        const wild = config.targets.filter((t) => WILDCARD.test(t));
        const plain = config.targets.filter((t) => !WILDCARD.test(t));
        if (plain.length > 0)
          fixed.push({ ...config, targets: plain, labels: { ...config.labels, ...labels } });
        for (const target of targets) {
          const hosts = wild.map((t) => {
            const port = WILDCARD.exec(t)?.[1];
            return port ? `${bracket(target.address)}:${port}` : bracket(target.address);
          });
          if (hosts.length === 0) continue;
          out.push({
            ...job,
            job_name: `${name}_${target.unit.replace('/', '_')}`,
            metrics_path: `${target.path}${job.metrics_path ?? '/metrics'}`,
            static_configs: [
              { ...config, targets: hosts, labels: { ...config.labels, ...labels, juju_unit: target.unit } },
            ],
          });
        }
      }
      if (fixed.length > 0) out.push({ ...job, job_name: name, static_configs: fixed });
    }
    return out;
  }

  /** The units of `relation` that published where to scrape them. */
  targetsOf(relation: Relation): ScrapeTarget[] {
    const targets: ScrapeTarget[] = [];
    for (const unit of relation.units) {
      const read = tryReadDatabag(relation, unit, ScrapeProviderUnitSchema);
      if (!read.ok) continue;
      targets.push({
        unit: read.value.prometheus_scrape_unit_name,
        address: read.value.prometheus_scrape_unit_address,
        path: read.value.prometheus_scrape_unit_path ?? '',
      });
    }
    return targets.sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  }

  /** The alert rules of every related application that sent some. */
  alertRules(): RelationAlertRules[] {
    const out: RelationAlertRules[] = [];
    for (const relation of this.relations) {
      const app = this.#app(relation);
      const rules = app?.alert_rules;
      if (!app || !rules || !('groups' in rules) || rules.groups.length === 0) continue;
      out.push({ relation, metadata: app.scrape_metadata, rules: rules as AlertRules });
    }
    return out;
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    this.#app(event.relation);
    await this.on.targetsChanged.emit(event.relation, event.app, event.unit);
  }

  #app(relation: Relation): ScrapeProviderApp | null {
    if (!relation.app || relation.data(relation.app).get('scrape_jobs') === undefined) return null;
    const read = tryReadDatabag(relation, relation.app, ScrapeProviderAppSchema);
    if (read.ok) return read.value;
    this.#status.report(read.error);
    return null;
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      if (!relation.app || relation.data(relation.app).get('scrape_jobs') === undefined) continue;
      const read = tryReadDatabag(relation, relation.app, ScrapeProviderAppSchema);
      if (!read.ok) problems.push(read.error);
      for (const unit of relation.units) {
        if (relation.data(unit).get('prometheus_scrape_unit_address') === undefined) continue;
        const unitRead = tryReadDatabag(relation, unit, ScrapeProviderUnitSchema);
        if (!unitRead.ok) problems.push(unitRead.error);
      }
    }
    return problems;
  }
}

/** An IPv6 address in a `host:port` target needs brackets. */
function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
