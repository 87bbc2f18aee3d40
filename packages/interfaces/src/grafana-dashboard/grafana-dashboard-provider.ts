import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type CharmBase, OpsObject, type Relation, type RelationEvent } from '@charmkit/ops';
import { checkEndpoint, InterfaceNotLeaderError, tryReadDatabag, writeDatabag } from '../shared/index.js';
import { GrafanaDashboardProviderEvents } from './grafana-dashboard-events.js';
import { lzmaBase64Compress } from './lzma-base64.js';
import { DashboardConsumerAppSchema, DashboardProviderAppSchema, type DashboardTemplate } from './schemas.js';

/** Options of {@link GrafanaDashboardProvider}. */
export interface GrafanaDashboardProviderOptions {
  /** The `provides` endpoint (interface `grafana_dashboard`); default `grafana-dashboard`. */
  readonly endpoint?: string;
  /**
   * A directory of dashboards (`*.json`, `*.json.tmpl`, `*.tmpl`), relative to the charm
   * directory; default `src/grafana_dashboards`, as the Python library. A missing one means none.
   */
  readonly dashboardsPath?: string;
  /** Ask Grafana to add the Juju topology drop-downs to every dashboard (default true). */
  readonly injectDropdowns?: boolean;
}

/** shake_256 hex digest of `text`, `bytes` long: the COS libraries' dashboard ids. */
function shake(text: string, bytes: number): string {
  return createHash('shake256', { outputLength: bytes }).update(text, 'utf8').digest('hex');
}

/**
 * The provider side of `grafana_dashboard` (v0), wire-compatible with grafana-k8s'
 * `GrafanaDashboardProvider`: the leader sends the charm's dashboards (from `dashboardsPath`
 * and {@link GrafanaDashboardProvider.addDashboard}), each LZMA-compressed and base64 as
 * `cosl.LZMABase64`, with the Juju topology Grafana uses for its drop-downs. Re-sent on relation
 * created, leader elected, upgrade and config changed; `dashboardStatusChanged` reports what
 * Grafana said about them.
 */
export class GrafanaDashboardProvider extends OpsObject {
  static override readonly handleKind = 'GrafanaDashboardProvider';
  readonly on = new GrafanaDashboardProviderEvents(this);
  /** The `provides` endpoint. */
  readonly endpoint: string;
  readonly #charm: CharmBase;
  readonly #options: GrafanaDashboardProviderOptions;
  /** Dashboards added in code, kept across hooks (any unit may lead later). */
  readonly #stored: { programmatic: string };

  constructor(charm: CharmBase, options: GrafanaDashboardProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'grafana-dashboard';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'GrafanaDashboardProvider');
    this.endpoint = endpoint;
    this.#charm = charm;
    this.#options = options;
    // Kept as JSON text: the templates are JSON, but their zod type is wider than a stored value's.
    this.#stored = this.storedState('dashboards', { programmatic: '{}' });
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.onRefresh);
    this.observe(events.changed, this.onRelationChanged);
    this.observe(charm.on.leaderElected, this.onRefresh);
    this.observe(charm.on.upgradeCharm, this.onRefresh);
    this.observe(charm.on.configChanged, this.onRefresh);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /**
   * Adds a dashboard (its JSON text, or an object to serialize) under id `prog:<…>`, as the Python
   * library's `add_dashboard`. Every unit keeps it; the leader sends it at once.
   */
  addDashboard(content: string | object, options: { injectDropdowns?: boolean } = {}): string {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    const encoded = lzmaBase64Compress(text);
    const id = `prog:${encoded.slice(-24, -16)}`;
    this.#stored.programmatic = JSON.stringify({
      ...this.#programmatic(),
      [id]: this.#template(encoded, id, options.injectDropdowns ?? this.#options.injectDropdowns ?? true),
    });
    this.onRefresh();
    return id;
  }

  /** Removes every dashboard added with {@link GrafanaDashboardProvider.addDashboard}. */
  removeNonBuiltinDashboards(): void {
    this.#stored.programmatic = '{}';
    this.onRefresh();
  }

  /** Every dashboard this charm sends, by id (`file:<name>`, `prog:<…>`). */
  templates(): Record<string, DashboardTemplate> {
    return { ...this.#fileTemplates(), ...this.#programmatic() };
  }

  #programmatic(): Record<string, DashboardTemplate> {
    return JSON.parse(this.#stored.programmatic) as Record<string, DashboardTemplate>;
  }

  /**
   * Sends the dashboards now on every relation.
   *
   * @throws {InterfaceNotLeaderError} on a unit that is not the leader.
   */
  updateDashboards(): void {
    if (!this.model.unit.isLeader()) {
      throw new InterfaceNotLeaderError(
        'GrafanaDashboardProvider.updateDashboards() runs on the leader only',
      );
    }
    this.onRefresh();
  }

  /** @internal */
  onRefresh(): void {
    if (!this.model.unit.isLeader()) return;
    const templates = this.templates();
    for (const relation of this.relations) this.#publish(relation, templates);
  }

  /** @internal */
  async onRelationChanged(event: RelationEvent): Promise<void> {
    if (!this.model.unit.isLeader() || !event.app) return;
    const read = tryReadDatabag(event.relation, event.app, DashboardConsumerAppSchema);
    const report = read.ok ? read.value.event : undefined;
    if (!report || Object.keys(report).length === 0) return;
    const errors = (report.errors ?? []).map((e) => ({
      dashboardId: e.dashboard_id ?? null,
      error: e.error,
    }));
    const valid = (report.valid ?? true) && errors.length === 0;
    await this.on.dashboardStatusChanged.emit(valid, errors);
  }

  #publish(relation: Relation, templates: Record<string, DashboardTemplate>): void {
    const current = tryReadDatabag(relation, this.model.app, DashboardProviderAppSchema);
    // Keep the uuid when nothing changed, so Grafana is not woken for nothing.
    if (current.ok && JSON.stringify(current.value.dashboards.templates) === JSON.stringify(templates))
      return;
    writeDatabag(relation, this.model.app, DashboardProviderAppSchema, {
      dashboards: { templates, uuid: randomUUID() },
    });
  }

  #template(content: string, id: string, injectDropdowns: boolean): DashboardTemplate {
    const name = this.#charm.framework.meta.name;
    return {
      charm: name,
      content,
      juju_topology: injectDropdowns
        ? {
            model: this.model.name,
            model_uuid: this.model.uuid,
            application: this.model.app.name,
            unit: this.model.unit.name,
          }
        : {},
      inject_dropdowns: injectDropdowns,
      dashboard_alt_uid: shake(`${name}-${id}`, 8),
    };
  }

  #fileTemplates(): Record<string, DashboardTemplate> {
    const charmDir = this.framework.charmDir ?? process.cwd();
    const rel = this.#options.dashboardsPath ?? 'src/grafana_dashboards';
    const dir = isAbsolute(rel) ? rel : join(charmDir, rel);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return {};
    }
    const name = this.#charm.framework.meta.name;
    const out: Record<string, DashboardTemplate> = {};
    for (const file of names) {
      const ending = ['.json.tmpl', '.json', '.tmpl'].find((e) => file.endsWith(e));
      const path = join(dir, file);
      if (!ending || !statSync(path).isFile()) continue;
      let dashboard: Record<string, unknown>;
      try {
        dashboard = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        this.framework.log.log('ERROR', `cannot load dashboard ${path}: ${String(error)}`);
        continue;
      }
      const uid = typeof dashboard.uid === 'string' ? dashboard.uid : '';
      // A 40-hex uid was made by a COS library already (an aggregator forwarding it): keep it.
      if (!/^[0-9a-f]{40}$/i.test(uid)) dashboard.uid = shake(`${name}-${relative(charmDir, path)}`, 20);
      const tags = Array.isArray(dashboard.tags) ? (dashboard.tags as unknown[]).map(String) : [];
      if (!tags.some((t) => t.startsWith('charm: '))) tags.push(`charm: ${name}`);
      dashboard.tags = tags;
      // Python's stem drops only the last suffix: `a.json.tmpl` is `file:a.json`.
      const stem = file.slice(0, file.lastIndexOf('.'));
      const id = `file:${stem}`;
      out[id] = this.#template(
        lzmaBase64Compress(JSON.stringify(dashboard)),
        id,
        this.#options.injectDropdowns ?? true,
      );
    }
    return out;
  }
}
