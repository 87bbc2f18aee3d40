/**
 * The `grafana_dashboard` relation interface (v0), both sides, wire-compatible with grafana-k8s'
 * `grafana_dashboard` library: `GrafanaDashboardProvider` for a charm that ships dashboards,
 * `GrafanaDashboardConsumer` for Grafana. Dashboards travel LZMA-compressed and base64
 * (`lzmaBase64Compress`/`lzmaBase64Decompress`, the COS libraries' `LZMABase64`).
 *
 * @module @charmkit/interfaces/grafana-dashboard
 */

export { type DatabagIssue, InterfaceNotLeaderError, RemoteDatabagError } from '../shared/index.js';
export { LzmaContentError } from './errors.js';
export {
  GrafanaDashboardConsumer,
  type GrafanaDashboardConsumerOptions,
  type InvalidDashboard,
  type ReceivedDashboard,
} from './grafana-dashboard-consumer.js';
export {
  type DashboardError,
  DashboardStatusChangedEvent,
  DashboardsChangedEvent,
  GrafanaDashboardConsumerEvents,
  GrafanaDashboardProviderEvents,
} from './grafana-dashboard-events.js';
export {
  GrafanaDashboardProvider,
  type GrafanaDashboardProviderOptions,
} from './grafana-dashboard-provider.js';
export { lzmaBase64Compress, lzmaBase64Decompress } from './lzma-base64.js';
export {
  type DashboardConsumerApp,
  DashboardConsumerAppSchema,
  type DashboardProviderApp,
  DashboardProviderAppSchema,
  type DashboardTemplate,
  DashboardTemplateSchema,
} from './schemas.js';
