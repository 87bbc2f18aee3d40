import {
  type CharmBase,
  type Container,
  type PebbleReadyEvent,
  type Relation,
  RelationBrokenEvent,
  RelationDepartedEvent,
  type RelationEvent,
} from '@charmkit/ops';
import type { LogTargetDefinition } from '@charmkit/ops/pebble';
import { topologyIdentifier } from '../prometheus-scrape/juju-topology.js';
import { LokiConsumerBase, type LokiConsumerOptions, type LokiEndpoint } from './loki-consumer-base.js';

/**
 * The `loki_push_api` consumer for Kubernetes charms, like loki-k8s' `LogForwarder` (Juju ≥ 3.4,
 * whose Pebble can forward logs): for every Loki unit, each workload container gets a Pebble log
 * target of type `loki` named after that unit, forwarding all services' output with the Juju
 * topology as labels (layer `<container>-log-forwarding`, combined). A target whose Loki unit is
 * gone is switched off (`services: ['-all']`) rather than left pointing nowhere. Containers that
 * are not up yet are configured at their pebble-ready.
 */
export class LogForwarder extends LokiConsumerBase {
  static override readonly handleKind = 'LogForwarder';

  constructor(charm: CharmBase, options: LokiConsumerOptions = {}) {
    super(charm, options, 'LogForwarder');
    const events = charm.on.relation(this.endpoint);
    this.observe(events.joined, this.onRelationEvent);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(events.departed, this.onRelationEvent);
    this.observe(events.broken, this.onRelationEvent);
    this.observe(charm.on.leaderElected, this.onRepublish);
    this.observe(charm.on.upgradeCharm, this.onRepublish);
    for (const name of charm.framework.meta.containers.keys()) {
      this.observe(charm.on.container(name).pebbleReady, this.onPebbleReady);
    }
  }

  /**
   * The log targets a container gets for `endpoints`, keyed by Loki unit name (exported for
   * tests and for charms that build their own layers).
   */
  logTargets(endpoints: readonly LokiEndpoint[]): Record<string, LogTargetDefinition> {
    const t = this.topology;
    const labels = {
      product: 'Juju',
      charm: t.charm_name,
      juju_model: t.model,
      juju_model_uuid: t.model_uuid,
      juju_application: t.application,
      juju_unit: t.unit,
      job: `juju_${topologyIdentifier(t)}`,
    };
    return Object.fromEntries(
      endpoints.map((e) => [
        e.unit,
        {
          override: 'replace',
          services: ['all'],
          type: 'loki',
          location: e.url,
          labels,
        } as LogTargetDefinition,
      ]),
    );
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    const broken = event instanceof RelationBrokenEvent ? event.relation : null;
    // The departing unit may still be listed during its relation-departed; its endpoint is gone.
    const gone =
      event instanceof RelationDepartedEvent ? (event.departingUnit ?? event.unit)?.name : undefined;
    for (const name of this.charm.framework.meta.containers.keys()) {
      const container = this.model.unit.container(name);
      if (await container.canConnect()) await this.#configure(container, broken, gone);
    }
    this.publish(event.relation);
    const departed = event instanceof RelationDepartedEvent || broken !== null;
    await this.announce(event, departed);
  }

  /** @internal */
  async onPebbleReady(event: PebbleReadyEvent): Promise<void> {
    await this.#configure(event.workload, null, undefined);
  }

  /** @internal */
  onRepublish(): void {
    for (const relation of this.relations) this.publish(relation);
  }

  async #configure(container: Container, broken: Relation | null, gone: string | undefined): Promise<void> {
    const active = this.relations
      .filter((r) => broken === null || r.id !== broken.id)
      .flatMap((r) => this.endpointsOf(r))
      .filter((e) => e.unit !== gone);
    const wanted = this.logTargets(active);
    const plan = await container.getPlan();
    const targets: Record<string, LogTargetDefinition> = { ...wanted };
    for (const [name, target] of Object.entries(plan.logTargets)) {
      if (name in wanted || target.type !== 'loki' || target.services?.includes('-all')) continue;
      targets[name] = { override: 'replace', services: ['-all'], type: 'loki', location: '(removed)' };
    }
    if (Object.keys(targets).length === 0) return;
    await container.addLayer(`${container.name}-log-forwarding`, { logTargets: targets }, { combine: true });
  }
}
