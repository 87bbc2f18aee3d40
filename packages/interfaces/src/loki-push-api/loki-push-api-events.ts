import { ObjectEvents, RelationEvent } from '@charmkit/ops';

/** A Loki unit published its push endpoint, or a new one. */
export class LokiEndpointJoinedEvent extends RelationEvent {
  declare protected readonly brandEndpointJoined: undefined;
}

/** A Loki endpoint went away (a unit left or the relation broke). */
export class LokiEndpointDepartedEvent extends RelationEvent {
  declare protected readonly brandEndpointDeparted: undefined;
}

/** The events of a `LokiPushApiConsumer` and a `LogForwarder`. */
export class LokiPushApiConsumerEvents extends ObjectEvents {
  readonly endpointJoined = this.event('loki_push_api_endpoint_joined', LokiEndpointJoinedEvent);
  readonly endpointDeparted = this.event('loki_push_api_endpoint_departed', LokiEndpointDepartedEvent);
}

/** A related application's log alert rules changed: rewrite the ruler's files. */
export class LokiAlertRulesChangedEvent extends RelationEvent {
  declare protected readonly brandAlertRulesChanged: undefined;
}

/** The events of a `LokiPushApiProvider`. */
export class LokiPushApiProviderEvents extends ObjectEvents {
  readonly alertRulesChanged = this.event('loki_push_api_alert_rules_changed', LokiAlertRulesChangedEvent);
}
