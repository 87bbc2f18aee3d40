import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  DatabagWriteError,
  MetricsEndpointConsumer,
  MetricsEndpointProvider,
  type MetricsEndpointProviderOptions,
  MetricsTargetsChangedEvent,
} from '../../src/prometheus-scrape/index.js';
import { fixture } from './fixture.js';

const UUID = '00000000-0000-4000-8000-000000000000';
const OWN = { 'ingress-address': '10.1.2.3', 'egress-subnets': '10.1.2.3/32' };

let providerOptions: MetricsEndpointProviderOptions = {};
let newJobs: MetricsEndpointProviderOptions['jobs'] | null = null;

class ZincCharm extends CharmBase {
  static override readonly handleKind = 'ZincCharm';
  readonly metrics: MetricsEndpointProvider;
  constructor(framework: Framework) {
    super(framework);
    this.metrics = new MetricsEndpointProvider(this, providerOptions);
    this.observe(this.on.configChanged, this.onConfigChanged);
  }
  onConfigChanged(): void {
    if (newJobs) this.metrics.update({ jobs: newJobs });
  }
}

const providerCtx = new Context(ZincCharm, {
  meta: {
    metadata: {
      name: 'zinc-k8s',
      provides: { 'metrics-endpoint': { interface: 'prometheus_scrape' } },
      containers: { zinc: { resource: 'zinc-image' } },
    },
  },
});

describe('MetricsEndpointProvider (Context)', () => {
  it('the leader writes app and unit data byte for byte as the Python library', async () => {
    providerOptions = {
      jobs: [{ static_configs: [{ targets: ['*:4080'] }], job_name: 'zinc', honor_labels: true }],
      alertRules: {
        groups: [
          {
            name: 'zinc',
            rules: [{ alert: 'Down', expr: 'up < 1', for: '0m', labels: { severity: 'critical' } }],
          },
        ],
      },
    };
    const rel = new Relation('metrics-endpoint', { remoteAppName: 'prometheus', localUnitData: OWN });
    const out = await providerCtx.run(
      providerCtx.on.relationJoined(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel], model: { name: 'cos', uuid: UUID } }),
    );
    const app = out.getRelation(rel.id).localAppData;
    expect(app.scrape_metadata).toBe(
      `{"model": "cos", "model_uuid": "${UUID}", "application": "zinc-k8s", "unit": "zinc-k8s/0", "charm_name": "zinc-k8s"}`,
    );
    // Default job keys first, then the allowed ones; keys Prometheus does not take are dropped.
    expect(app.scrape_jobs).toBe(
      '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:4080"]}], "job_name": "zinc"}]',
    );
    expect(JSON.parse(app.alert_rules ?? '')).toEqual({
      groups: [
        {
          name: 'cos_00000000_zinc-k8s_zinc',
          rules: [
            {
              alert: 'Down',
              expr: 'up < 1',
              for: '0m',
              labels: {
                juju_model: 'cos',
                juju_model_uuid: UUID,
                juju_application: 'zinc-k8s',
                juju_charm: 'zinc-k8s',
                severity: 'critical',
              },
            },
          ],
        },
      ],
    });
    expect(out.getRelation(rel.id).localUnitData).toEqual({
      ...OWN,
      prometheus_scrape_unit_address: '10.1.2.3',
      prometheus_scrape_unit_name: 'zinc-k8s/0',
    });
  });

  it('sends the default job when none is given, and a non-leader only its unit data', async () => {
    providerOptions = {};
    const rel = new Relation('metrics-endpoint', { localUnitData: OWN });
    const leader = await providerCtx.run(
      providerCtx.on.relationCreated(rel),
      new State({ leader: true, relations: [rel] }),
    );
    expect(leader.getRelation(rel.id).localAppData.scrape_jobs).toBe(
      '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:80"]}]}]',
    );
    const follower = await providerCtx.run(
      providerCtx.on.updateStatus(),
      new State({ leader: false, relations: [rel] }),
    );
    expect(follower.getRelation(rel.id).localAppData).toEqual({});
    expect(follower.getRelation(rel.id).localUnitData.prometheus_scrape_unit_name).toBe('zinc-k8s/0');
  });

  it('an external URL gives the scrape host and path', async () => {
    providerOptions = { externalUrl: 'https://zinc.example.com/cos-zinc' };
    const rel = new Relation('metrics-endpoint', { localUnitData: OWN });
    const out = await providerCtx.run(
      providerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localUnitData).toMatchObject({
      prometheus_scrape_unit_address: 'zinc.example.com',
      prometheus_scrape_unit_path: '/cos-zinc',
    });
  });

  it('republishes new jobs on update() and refuses a job Prometheus cannot read', async () => {
    providerOptions = {};
    newJobs = [{ metrics_path: '/m', static_configs: [{ targets: ['*:9000'] }] }];
    const rel = new Relation('metrics-endpoint', { localUnitData: OWN });
    const out = await providerCtx.run(
      providerCtx.on.configChanged(),
      new State({ leader: true, relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localAppData.scrape_jobs).toBe(
      '[{"metrics_path": "/m", "static_configs": [{"targets": ["*:9000"]}]}]',
    );
    newJobs = [{ static_configs: [{ targets: 'not-a-list' }] } as never];
    const failure = await providerCtx
      .run(providerCtx.on.configChanged(), new State({ leader: true, relations: [rel] }))
      .catch((e: unknown) => e);
    newJobs = null;
    expect((failure as Error).cause).toBeInstanceOf(DatabagWriteError);
  });
});

const seen: { event: string; jobs: unknown[] }[] = [];

class PrometheusCharm extends CharmBase {
  static override readonly handleKind: string = 'PrometheusCharm';
  readonly scrape = new MetricsEndpointConsumer(this);
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.scrape.on.targetsChanged, this.onTargets);
  }
  onTargets(event: MetricsTargetsChangedEvent): void {
    seen.push({ event: event.constructor.name, jobs: this.scrape.jobs() });
  }
}

const consumerCtx = new Context(PrometheusCharm, {
  meta: {
    metadata: {
      name: 'prometheus-k8s',
      requires: { 'metrics-endpoint': { interface: 'prometheus_scrape' } },
    },
  },
});
const python = fixture<{ app: Record<string, string>; units: Record<string, Record<string, string>> }>(
  'prometheus-scrape',
  'provider.json',
);

describe('MetricsEndpointConsumer (Context)', () => {
  for (const leader of [true, false]) {
    it(`expands the Python provider's wildcard job into one job per unit (leader: ${leader})`, async () => {
      seen.length = 0;
      const rel = new Relation('metrics-endpoint', {
        remoteAppName: 'zinc-k8s',
        remoteAppData: python.app,
        remoteUnitsData: { 0: python.units['zinc-k8s/0'] ?? {}, 1: python.units['zinc-k8s/1'] ?? {} },
      });
      await consumerCtx.run(
        consumerCtx.on.relationChanged(rel, { remoteUnit: 1 }),
        new State({ leader, relations: [rel] }),
      );
      expect(seen.map((s) => s.event)).toEqual([MetricsTargetsChangedEvent.name]);
      const labels = {
        juju_model: 'cos',
        juju_model_uuid: 'c2e9f4d5-dcb3-4870-8509-330eb9745ee8',
        juju_application: 'zinc-k8s',
        juju_charm: 'zinc-k8s',
      };
      expect(seen[0]?.jobs).toEqual([
        {
          job_name: 'juju_cos_c2e9f4d5_zinc-k8s_prometheus_scrape_zinc-k8s_0',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['10.1.0.5:4080'], labels: { ...labels, juju_unit: 'zinc-k8s/0' } }],
        },
        {
          job_name: 'juju_cos_c2e9f4d5_zinc-k8s_prometheus_scrape_zinc-k8s_1',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['10.1.0.6:4080'], labels: { ...labels, juju_unit: 'zinc-k8s/1' } }],
        },
      ]);
    });
  }

  it('exposes the alert rules with their topology, and none after broken', async () => {
    let rules: unknown[] = [];
    class RulesCharm extends PrometheusCharm {
      static override readonly handleKind = 'RulesCharm';
      constructor(framework: Framework) {
        super(framework);
        this.observe(this.scrape.on.targetsChanged, this.onRules);
      }
      onRules(): void {
        rules = this.scrape.alertRules().map((r) => [r.metadata.application, r.rules.groups.length]);
      }
    }
    const ctx = new Context(RulesCharm, {
      meta: {
        metadata: {
          name: 'prometheus-k8s',
          requires: { 'metrics-endpoint': { interface: 'prometheus_scrape' } },
        },
      },
    });
    const rel = new Relation('metrics-endpoint', { remoteAppName: 'zinc-k8s', remoteAppData: python.app });
    await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), new State({ relations: [rel] }));
    expect(rules).toEqual([['zinc-k8s', 1]]);
    await ctx.run(ctx.on.relationBroken(rel), new State({ relations: [rel] }));
    expect(rules).toEqual([]);
  });

  it('blocks on scrape_jobs that are not the interface, without crashing', async () => {
    seen.length = 0;
    const rel = new Relation('metrics-endpoint', {
      remoteAppName: 'zinc-k8s',
      remoteAppData: { ...python.app, scrape_jobs: '[{"metrics_path": "/m"}]' },
    });
    const out = await consumerCtx.run(
      consumerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(seen[0]?.jobs).toEqual([]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'metrics-endpoint: app zinc-k8s sent invalid scrape_jobs.0.static_configs',
    });
  });
});
