/**
 * The `prometheus_scrape` relation interface (v0), both sides, wire-compatible with prometheus-k8s'
 * `prometheus_scrape` library: `MetricsEndpointProvider` for a charm whose workload exposes
 * metrics, `MetricsEndpointConsumer` for Prometheus.
 *
 * @module @charmkit/interfaces/prometheus-scrape
 */

export { type DatabagIssue, DatabagWriteError, RemoteDatabagError } from '../shared/index.js';
export { labelAlertRules } from './alert-rules.js';
export {
  type JujuTopology,
  topologyIdentifier,
  topologyLabels,
  topologyOf,
} from './juju-topology.js';
export {
  MetricsEndpointConsumer,
  type MetricsEndpointConsumerOptions,
  type RelationAlertRules,
  type ScrapeTarget,
} from './metrics-endpoint-consumer.js';
export {
  DEFAULT_SCRAPE_JOB,
  MetricsEndpointProvider,
  type MetricsEndpointProviderOptions,
} from './metrics-endpoint-provider.js';
export { MetricsEndpointConsumerEvents, MetricsTargetsChangedEvent } from './prometheus-scrape-events.js';
export {
  type AlertRules,
  AlertRulesSchema,
  type ScrapeJob,
  ScrapeJobSchema,
  type ScrapeMetadata,
  ScrapeMetadataSchema,
  type ScrapeProviderApp,
  ScrapeProviderAppSchema,
  type ScrapeProviderUnit,
  ScrapeProviderUnitSchema,
} from './schemas.js';
