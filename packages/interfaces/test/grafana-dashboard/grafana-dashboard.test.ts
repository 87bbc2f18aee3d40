import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  type DashboardStatusChangedEvent,
  GrafanaDashboardConsumer,
  GrafanaDashboardProvider,
  lzmaBase64Compress,
  lzmaBase64Decompress,
} from '../../src/grafana-dashboard/index.js';
import { fixture } from '../prometheus-scrape/fixture.js';

const UUID = '00000000-0000-4000-8000-000000000000';
const charmDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'grafana-dashboard',
  'charm',
);
const statuses: { valid: boolean; message: string }[] = [];
let extra: string | null = null;

class ZincCharm extends CharmBase {
  static override readonly handleKind = 'ZincCharm';
  readonly dashboards = new GrafanaDashboardProvider(this);
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.dashboards.on.dashboardStatusChanged, this.onStatus);
    this.observe(this.on.start, this.onStart);
  }
  onStatus(event: DashboardStatusChangedEvent): void {
    statuses.push({ valid: event.valid, message: event.errorMessage });
  }
  onStart(): void {
    if (extra) this.dashboards.addDashboard(extra);
  }
}

const meta = {
  metadata: { name: 'zinc-k8s', provides: { 'grafana-dashboard': { interface: 'grafana_dashboard' } } },
};
const providerCtx = new Context(ZincCharm, { meta, charmDir });

function shake(text: string, bytes: number): string {
  return createHash('shake256', { outputLength: bytes }).update(text).digest('hex');
}

describe('GrafanaDashboardProvider (Context)', () => {
  it('the leader sends the directory dashboards as the Python library does', async () => {
    const rel = new Relation('grafana-dashboard', { remoteAppName: 'grafana' });
    const out = await providerCtx.run(
      providerCtx.on.relationCreated(rel),
      new State({ leader: true, relations: [rel], model: { name: 'cos', uuid: UUID } }),
    );
    const sent = JSON.parse(out.getRelation(rel.id).localAppData.dashboards ?? '') as {
      templates: Record<string, { content: string } & Record<string, unknown>>;
      uuid: string;
    };
    expect(Object.keys(sent.templates)).toEqual(['file:kept.json', 'file:zinc']);
    expect(sent.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const zinc = sent.templates['file:zinc'];
    expect(Object.keys(zinc ?? {})).toEqual([
      'charm',
      'content',
      'juju_topology',
      'inject_dropdowns',
      'dashboard_alt_uid',
    ]);
    expect(zinc).toMatchObject({
      charm: 'zinc-k8s',
      juju_topology: { model: 'cos', model_uuid: UUID, application: 'zinc-k8s', unit: 'zinc-k8s/0' },
      inject_dropdowns: true,
      dashboard_alt_uid: shake('zinc-k8s-file:zinc', 8),
    });
    expect(JSON.parse(await lzmaBase64Decompress(zinc?.content ?? ''))).toEqual({
      title: 'Zinc overview',
      panels: [],
      uid: shake('zinc-k8s-src/grafana_dashboards/zinc.json', 20),
      tags: ['charm: zinc-k8s'],
    });
    const kept = JSON.parse(await lzmaBase64Decompress(sent.templates['file:kept.json']?.content ?? ''));
    expect(kept).toEqual({ title: 'Kept uid', uid: 'ab'.repeat(20), tags: ['charm: other'] });
  });

  it('a non-leader sends nothing; addDashboard() is sent by the leader at once', async () => {
    const rel = new Relation('grafana-dashboard', { remoteAppName: 'grafana' });
    const follower = await providerCtx.run(
      providerCtx.on.relationCreated(rel),
      new State({ relations: [rel] }),
    );
    expect(follower.getRelation(rel.id).localAppData).toEqual({});
    extra = '{"title": "Added"}';
    const out = await providerCtx.run(providerCtx.on.start(), new State({ leader: true, relations: [rel] }));
    extra = null;
    const ids = Object.keys(JSON.parse(out.getRelation(rel.id).localAppData.dashboards ?? '').templates);
    expect(ids).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith('prog:'))).toHaveLength(1);
  });

  it("reports Grafana's verdict from its event key", async () => {
    statuses.length = 0;
    const rel = new Relation('grafana-dashboard', {
      remoteAppName: 'grafana',
      remoteAppData: { event: '{"errors": [{"dashboard_id": "file:zinc", "error": "bad template"}]}' },
    });
    await providerCtx.run(
      providerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(statuses).toEqual([{ valid: false, message: 'bad template' }]);
  });
});

const received: string[][] = [];

class GrafanaCharm extends CharmBase {
  static override readonly handleKind = 'GrafanaCharm';
  readonly dashboards = new GrafanaDashboardConsumer(this);
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.dashboards.on.dashboardsChanged, this.onDashboards);
  }
  async onDashboards(): Promise<void> {
    received.push((await this.dashboards.dashboards()).map((d) => `${d.id} ${JSON.parse(d.content).title}`));
  }
}

const consumerCtx = new Context(GrafanaCharm, {
  meta: {
    metadata: { name: 'grafana-k8s', requires: { 'grafana-dashboard': { interface: 'grafana_dashboard' } } },
  },
});
const python = fixture<{ app: { dashboards: string } }>('grafana-dashboard', 'provider.json');

describe('GrafanaDashboardConsumer (Context)', () => {
  for (const leader of [true, false]) {
    it(`decodes the Python provider's xz dashboards and ours (leader: ${leader})`, async () => {
      received.length = 0;
      const python1 = new Relation('grafana-dashboard', {
        remoteAppName: 'zinc-k8s',
        remoteAppData: python.app,
      });
      const ours = new Relation('grafana-dashboard', {
        remoteAppName: 'web',
        remoteAppData: {
          dashboards: JSON.stringify({
            templates: { 'prog:1': { content: lzmaBase64Compress('{"title": "Web"}') } },
          }),
        },
      });
      let state = new State({ leader, relations: [python1, ours] });
      state = await consumerCtx.run(consumerCtx.on.relationChanged(python1, { remoteUnit: 0 }), state);
      await consumerCtx.run(consumerCtx.on.relationBroken(ours), state);
      expect(received).toEqual([
        [`grafana-dashboard:${python1.id}/file:zinc Zinc`, `grafana-dashboard:${ours.id}/prog:1 Web`],
        [`grafana-dashboard:${python1.id}/file:zinc Zinc`],
      ]);
    });
  }

  it('tells the sender about a dashboard that does not decode, and leaves its dashboards out', async () => {
    received.length = 0;
    const rel = new Relation('grafana-dashboard', {
      remoteAppName: 'zinc-k8s',
      remoteAppData: { dashboards: '{"templates": {"file:x": {"content": "bm90IGx6bWE="}}, "uuid": "u"}' },
    });
    const out = await consumerCtx.run(
      consumerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(received).toEqual([[]]);
    const event = JSON.parse(out.getRelation(rel.id).localAppData.event ?? '{}');
    expect(event.errors).toHaveLength(1);
    expect(event.errors[0].dashboard_id).toBe('file:x');
  });

  it('blocks on a dashboards key that is not the interface', async () => {
    const rel = new Relation('grafana-dashboard', {
      remoteAppName: 'zinc-k8s',
      remoteAppData: { dashboards: '{"templates": []}' },
    });
    const out = await consumerCtx.run(
      consumerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'grafana-dashboard: app zinc-k8s sent invalid dashboards.templates',
    });
  });
});
