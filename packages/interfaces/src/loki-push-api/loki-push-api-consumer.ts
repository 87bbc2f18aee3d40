import type { CharmBase, RelationEvent } from '@charmkit/ops';
import { LokiConsumerBase, type LokiConsumerOptions } from './loki-consumer-base.js';

/**
 * The consumer side of `loki_push_api` (v0), wire-compatible with loki-k8s'
 * `LokiPushApiConsumer`: for a charm that pushes logs itself (a log shipper, or a workload
 * configured with the URL). Read {@link LokiPushApiConsumer.endpoints} when `endpointJoined` or
 * `endpointDeparted` fires. For a Kubernetes charm whose workloads run under Pebble, use
 * `LogForwarder` instead: it configures Pebble to ship the services' output.
 */
export class LokiPushApiConsumer extends LokiConsumerBase {
  static override readonly handleKind = 'LokiPushApiConsumer';

  constructor(charm: CharmBase, options: LokiConsumerOptions = {}) {
    super(charm, options, 'LokiPushApiConsumer');
    const events = charm.on.relation(this.endpoint);
    this.observe(events.created, this.onRelationEvent);
    this.observe(events.joined, this.onRelationEvent);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(events.departed, this.onDeparted);
    this.observe(events.broken, this.onDeparted);
    this.observe(charm.on.leaderElected, this.onRepublish);
    this.observe(charm.on.upgradeCharm, this.onRepublish);
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    this.publish(event.relation);
    if (event.unit !== null) await this.announce(event, false);
  }

  /** @internal */
  async onDeparted(event: RelationEvent): Promise<void> {
    await this.announce(event, true);
  }

  /** @internal */
  onRepublish(): void {
    for (const relation of this.relations) this.publish(relation);
  }
}
