/**
 * The `loki_push_api` relation interface (v0), both sides, wire-compatible with loki-k8s'
 * `loki_push_api` library (v1): `LokiPushApiProvider` for Loki, `LokiPushApiConsumer` for a charm
 * that pushes logs itself, `LogForwarder` for a Kubernetes charm whose Pebble forwards its
 * services' logs.
 *
 * @module @charmkit/interfaces/loki-push-api
 */

export type { AlertRules, RelationAlertRules } from '../prometheus-scrape/index.js';
export { type DatabagIssue, DatabagWriteError, RemoteDatabagError } from '../shared/index.js';
export { LogForwarder } from './log-forwarder.js';
export { LokiConsumerBase, type LokiConsumerOptions, type LokiEndpoint } from './loki-consumer-base.js';
export { LokiPushApiConsumer } from './loki-push-api-consumer.js';
export {
  LokiAlertRulesChangedEvent,
  LokiEndpointDepartedEvent,
  LokiEndpointJoinedEvent,
  LokiPushApiConsumerEvents,
  LokiPushApiProviderEvents,
} from './loki-push-api-events.js';
export { LokiPushApiProvider, type LokiPushApiProviderOptions } from './loki-push-api-provider.js';
export {
  type LokiConsumerApp,
  LokiConsumerAppSchema,
  type LokiProviderUnit,
  LokiProviderUnitSchema,
} from './schemas.js';
