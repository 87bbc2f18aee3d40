import { ObjectEvents, RelationEvent } from '@charmkit/ops';

/**
 * The scrape jobs or alert rules of a related application changed (it published new ones, a unit
 * joined or left, or the relation broke): regenerate the Prometheus configuration from
 * `consumer.jobs()` and `consumer.alertRules()`.
 */
export class MetricsTargetsChangedEvent extends RelationEvent {
  declare protected readonly brandTargetsChanged: undefined;
}

/** The events of a `MetricsEndpointConsumer`. */
export class MetricsEndpointConsumerEvents extends ObjectEvents {
  readonly targetsChanged = this.event('targets_changed', MetricsTargetsChangedEvent);
}
