import { type CharmBase, OpsObject, type Relation } from '@charmkit/ops';
import { checkEndpoint, encodeDatabag, unitAddress, writeDatabag } from '../shared/index.js';
import { labelAlertRules } from './alert-rules.js';
import { type JujuTopology, topologyOf } from './juju-topology.js';
import {
  type AlertRules,
  type ScrapeJob,
  ScrapeProviderAppSchema,
  ScrapeProviderUnitSchema,
} from './schemas.js';

/** Options of {@link MetricsEndpointProvider}. */
export interface MetricsEndpointProviderOptions {
  /** The `provides` endpoint (interface `prometheus_scrape`); default `metrics-endpoint`. */
  readonly endpoint?: string;
  /**
   * The scrape jobs; default one job scraping `/metrics` on port 80 of every unit. Use `*:<port>`
   * as the target to mean "each unit": Prometheus scrapes every unit at its own address.
   */
  readonly jobs?: readonly ScrapeJob[];
  /** Alert rules to forward (Prometheus rule-file format); topology labels are added. */
  readonly alertRules?: AlertRules;
  /**
   * The URL the units are reached at when it is not their own address (an ingress or proxy): its
   * host becomes the scrape address and its path the scrape path prefix.
   */
  readonly externalUrl?: string;
  /** This unit's fully qualified host name, sent for TLS name checks; default none. */
  readonly fqdn?: string;
}

/** Only these keys of a job reach Prometheus (the Python library drops the rest the same way). */
const ALLOWED_JOB_KEYS = new Set([
  'job_name',
  'metrics_path',
  'static_configs',
  'scrape_interval',
  'scrape_timeout',
  'proxy_url',
  'relabel_configs',
  'metric_relabel_configs',
  'sample_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'scheme',
  'basic_auth',
  'tls_config',
  'authorization',
  'params',
]);

/** The job sent when a charm gives none: `/metrics` on port 80 of every unit. */
export const DEFAULT_SCRAPE_JOB: ScrapeJob = {
  metrics_path: '/metrics',
  static_configs: [{ targets: ['*:80'] }],
};

/** A job as the Python library sends it: the default job's keys first, then the allowed ones given. */
function sanitizeJob(job: ScrapeJob): ScrapeJob {
  const kept = Object.fromEntries(Object.entries(job).filter(([key]) => ALLOWED_JOB_KEYS.has(key)));
  return { ...DEFAULT_SCRAPE_JOB, ...kept } as ScrapeJob;
}

/**
 * The provider side of `prometheus_scrape` (v0), wire-compatible with prometheus-k8s'
 * `MetricsEndpointProvider`: the charm whose workload exposes metrics. The leader publishes the
 * scrape jobs, the Juju topology and the alert rules; every unit publishes the address it is
 * scraped at (its `ingress-address`, or the host of `externalUrl`). Republished on relation
 * events, leader election, upgrade, every update-status (a pod may come back with a new address)
 * and each container's pebble-ready.
 */
export class MetricsEndpointProvider extends OpsObject {
  static override readonly handleKind = 'MetricsEndpointProvider';
  /** The `provides` endpoint. */
  readonly endpoint: string;
  readonly #charm: CharmBase;
  #options: MetricsEndpointProviderOptions;

  constructor(charm: CharmBase, options: MetricsEndpointProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'metrics-endpoint';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'MetricsEndpointProvider');
    this.endpoint = endpoint;
    this.#charm = charm;
    this.#options = options;
    this.#check(options);
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onRefresh);
    this.observe(events.joined, this.onRefresh);
    this.observe(events.changed, this.onRefresh);
    this.observe(charm.on.leaderElected, this.onRefresh);
    this.observe(charm.on.upgradeCharm, this.onRefresh);
    this.observe(charm.on.updateStatus, this.onRefresh);
    for (const name of charm.framework.meta.containers.keys()) {
      this.observe(charm.on.container(name).pebbleReady, this.onRefresh);
    }
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** The topology this charm reports (`scrape_metadata`). */
  get topology(): JujuTopology {
    return topologyOf(this.#charm);
  }

  /**
   * Publishes new jobs, rules or URL (after a config change) on every relation.
   *
   * @throws {DatabagWriteError} a job or rule does not have the shape Prometheus reads.
   */
  update(changes: Omit<MetricsEndpointProviderOptions, 'endpoint'>): void {
    const next = { ...this.#options, ...changes };
    this.#check(next);
    this.#options = next;
    this.onRefresh();
  }

  /** @internal */
  onRefresh(): void {
    for (const relation of this.relations) this.#publish(relation);
  }

  #check(options: MetricsEndpointProviderOptions): void {
    const where = `the scrape jobs of MetricsEndpointProvider(${this.endpoint})`;
    encodeDatabag(ScrapeProviderAppSchema, this.#appData(options), where);
  }

  #appData(options: MetricsEndpointProviderOptions) {
    const jobs = (options.jobs ?? []).map(sanitizeJob);
    const rules = options.alertRules ? labelAlertRules(options.alertRules, this.topology) : { groups: [] };
    return {
      scrape_metadata: this.topology,
      scrape_jobs: jobs.length > 0 ? jobs : [DEFAULT_SCRAPE_JOB],
      alert_rules: rules,
    };
  }

  #publish(relation: Relation): void {
    if (this.model.unit.isLeader()) {
      writeDatabag(relation, this.model.app, ScrapeProviderAppSchema, this.#appData(this.#options));
    }
    const external = this.#options.externalUrl;
    let address: string | null;
    let path = '';
    if (external) {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(external) ? external : `http://${external}`);
      address = url.hostname;
      path = url.pathname === '/' ? '' : url.pathname;
    } else {
      address = unitAddress(relation, this.model.unit);
    }
    // Before Juju wrote ingress-address there is nothing to scrape yet.
    if (address === null) return;
    // Juju drops keys set to "", which is what the Python library's empty path and fqdn become.
    writeDatabag(relation, this.model.unit, ScrapeProviderUnitSchema, {
      prometheus_scrape_unit_address: address,
      prometheus_scrape_unit_name: this.model.unit.name,
      prometheus_scrape_unit_path: path || undefined,
      prometheus_scrape_unit_fqdn: external ? undefined : this.#options.fqdn || undefined,
    });
  }
}
