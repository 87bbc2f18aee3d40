import { type CharmBase, OpsObject, type Relation, type RelationEvent } from '@charmkit/ops';
import {
  checkEndpoint,
  pythonJson,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
} from '../shared/index.js';
import { GrafanaDashboardConsumerEvents } from './grafana-dashboard-events.js';
import { lzmaBase64Decompress } from './lzma-base64.js';
import { DashboardProviderAppSchema, type DashboardTemplate } from './schemas.js';

/** Options of {@link GrafanaDashboardConsumer}. */
export interface GrafanaDashboardConsumerOptions {
  /** The `requires` endpoint (interface `grafana_dashboard`); default `grafana-dashboard`. */
  readonly endpoint?: string;
}

/** One dashboard a related application sent, decompressed. */
export interface ReceivedDashboard {
  /** `<endpoint>:<relation id>/<original id>`, unique across relations (as the Python library). */
  readonly id: string;
  /** The sender's id: `file:<name>` or `prog:<…>`. */
  readonly originalId: string;
  readonly relation: Relation;
  /** The dashboard's JSON text. */
  readonly content: string;
  /** The template as sent (charm, topology, `inject_dropdowns`, `dashboard_alt_uid`). */
  readonly template: DashboardTemplate;
}

/** A dashboard that could not be decompressed. */
export interface InvalidDashboard {
  readonly relation: Relation;
  readonly originalId: string;
  readonly error: string;
}

/**
 * The consumer side of `grafana_dashboard` (v0), what Grafana runs: decodes each related
 * application's dashboards (`.xz` from Python charms, `.lzma` from charmkit ones) with
 * {@link GrafanaDashboardConsumer.dashboards}; `dashboardsChanged` fires when a sender's data
 * changes or it leaves. On the leader, a dashboard that does not decode is reported back to its
 * sender (the `event` key, as the Python library does) and that relation's dashboards are left
 * out; a bag that is not the interface blocks the unit.
 */
export class GrafanaDashboardConsumer extends OpsObject {
  static override readonly handleKind = 'GrafanaDashboardConsumer';
  readonly on = new GrafanaDashboardConsumerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: GrafanaDashboardConsumerOptions = {}) {
    const endpoint = options.endpoint ?? 'grafana-dashboard';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', 'GrafanaDashboardConsumer');
    this.endpoint = endpoint;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.changed, this.onRelationChanged);
    this.observe(events.broken, this.onRelationBroken);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** Every dashboard of every relation whose dashboards all decode. */
  async dashboards(): Promise<ReceivedDashboard[]> {
    const out: ReceivedDashboard[] = [];
    for (const relation of this.relations) {
      const { valid, invalid } = await this.decode(relation);
      if (invalid.length === 0) out.push(...valid);
    }
    return out;
  }

  /** The dashboards of one relation, split into those that decode and those that do not. */
  async decode(relation: Relation): Promise<{ valid: ReceivedDashboard[]; invalid: InvalidDashboard[] }> {
    const valid: ReceivedDashboard[] = [];
    const invalid: InvalidDashboard[] = [];
    if (!relation.app || relation.data(relation.app).get('dashboards') === undefined)
      return { valid, invalid };
    const read = tryReadDatabag(relation, relation.app, DashboardProviderAppSchema);
    if (!read.ok) {
      this.#status.report(read.error);
      return { valid, invalid };
    }
    for (const [originalId, template] of Object.entries(read.value.dashboards.templates)) {
      try {
        const content = await lzmaBase64Decompress(template.content);
        valid.push({
          id: `${relation.name}:${relation.id}/${originalId}`,
          originalId,
          relation,
          content,
          template,
        });
      } catch (error) {
        invalid.push({ relation, originalId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { valid, invalid };
  }

  /** @internal */
  async onRelationChanged(event: RelationEvent): Promise<void> {
    const { invalid } = await this.decode(event.relation);
    if (this.model.unit.isLeader()) {
      const bag = event.relation.data(this.model.app);
      if (invalid.length > 0) {
        const errors = invalid.map((d) => ({ dashboard_id: d.originalId, error: d.error }));
        bag.update({ event: pythonJson({ errors }) });
      } else if (bag.has('event')) {
        bag.update({ event: pythonJson({ valid: true, errors: [] }) });
      }
    }
    await this.on.dashboardsChanged.emit(event.relation, event.app, event.unit);
  }

  /** @internal */
  async onRelationBroken(event: RelationEvent): Promise<void> {
    await this.on.dashboardsChanged.emit(event.relation, event.app, event.unit);
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      if (!relation.app || relation.data(relation.app).get('dashboards') === undefined) continue;
      const read = tryReadDatabag(relation, relation.app, DashboardProviderAppSchema);
      if (!read.ok) problems.push(read.error);
    }
    return problems;
  }
}
