import { CharmBase, type Framework } from '@charmkit/ops';
import { Container, Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  LogForwarder,
  LokiEndpointDepartedEvent,
  LokiEndpointJoinedEvent,
  LokiPushApiConsumer,
  LokiPushApiProvider,
} from '../../src/loki-push-api/index.js';
import { fixture } from '../prometheus-scrape/fixture.js';

const UUID = '00000000-0000-4000-8000-000000000000';
const bags = fixture<{
  provider: Record<string, Record<string, string>>;
  consumerApp: Record<string, string>;
}>('loki-push-api', 'bags.json');
const lokiUnits = { 0: bags.provider['loki-k8s/0'] ?? {}, 1: bags.provider['loki-k8s/1'] ?? {} };
const URL0 = 'http://loki-k8s-0.loki-k8s-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push';
const URL1 = 'http://loki-k8s-1.loki-k8s-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push';

const seen: { event: string; urls: string[] }[] = [];

class ShipperCharm extends CharmBase {
  static override readonly handleKind = 'ShipperCharm';
  readonly logging: LokiPushApiConsumer;
  constructor(framework: Framework) {
    super(framework);
    this.logging = new LokiPushApiConsumer(this, {
      alertRules: {
        groups: [
          {
            name: 'errors',
            rules: [
              { alert: 'TooManyErrors', expr: 'rate({x="y"}[5m]) > 1', labels: { severity: 'warning' } },
            ],
          },
        ],
      },
    });
    this.observe(this.logging.on.endpointJoined, this.onEndpoint);
    this.observe(this.logging.on.endpointDeparted, this.onEndpoint);
  }
  onEndpoint(event: LokiEndpointJoinedEvent | LokiEndpointDepartedEvent): void {
    seen.push({ event: event.constructor.name, urls: this.logging.endpoints().map((e) => e.url) });
  }
}

const consumerMeta = { metadata: { name: 'shipper', requires: { logging: { interface: 'loki_push_api' } } } };
const consumerCtx = new Context(ShipperCharm, { meta: consumerMeta });

describe('LokiPushApiConsumer (Context)', () => {
  it('the leader writes metadata and sorted alert_rules as the Python library', async () => {
    const rel = new Relation('logging', { remoteAppName: 'loki-k8s' });
    const out = await consumerCtx.run(
      consumerCtx.on.relationCreated(rel),
      new State({ leader: true, relations: [rel], model: { name: 'cos', uuid: UUID } }),
    );
    const app = out.getRelation(rel.id).localAppData;
    expect(app.metadata).toBe(
      `{"model": "cos", "model_uuid": "${UUID}", "application": "shipper", "unit": "shipper/0", "charm_name": "shipper"}`,
    );
    // json.dumps(..., sort_keys=True): every object's keys sorted.
    expect(app.alert_rules).toBe(
      `{"groups": [{"name": "cos_00000000_shipper_errors", "rules": [{"alert": "TooManyErrors", "expr": "rate({x=\\"y\\"}[5m]) > 1", "labels": {"juju_application": "shipper", "juju_charm": "shipper", "juju_model": "cos", "juju_model_uuid": "${UUID}", "severity": "warning"}}]}]}`,
    );
    const follower = await consumerCtx.run(
      consumerCtx.on.relationCreated(rel),
      new State({ leader: false, relations: [rel] }),
    );
    expect(follower.getRelation(rel.id).localAppData).toEqual({});
  });

  for (const leader of [true, false]) {
    it(`lists the Python Loki units' endpoints and emits joined/departed (leader: ${leader})`, async () => {
      seen.length = 0;
      const rel = new Relation('logging', { remoteAppName: 'loki-k8s', remoteUnitsData: lokiUnits });
      let state = new State({ leader, relations: [rel] });
      state = await consumerCtx.run(consumerCtx.on.relationChanged(rel, { remoteUnit: 1 }), state);
      await consumerCtx.run(consumerCtx.on.relationBroken(rel), state);
      expect(seen[0]).toEqual({ event: LokiEndpointJoinedEvent.name, urls: [URL0, URL1] });
      expect(seen[1]?.event).toBe(LokiEndpointDepartedEvent.name);
    });
  }

  it('blocks on an endpoint that is not JSON, and keeps the valid ones', async () => {
    seen.length = 0;
    const rel = new Relation('logging', {
      remoteAppName: 'loki-k8s',
      remoteUnitsData: { 0: lokiUnits[0], 1: { endpoint: 'http://not-json' } },
    });
    const out = await consumerCtx.run(
      consumerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(seen[0]?.urls).toEqual([URL0]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'logging: unit loki-k8s/1 sent invalid endpoint',
    });
  });
});

class WorkloadCharm extends CharmBase {
  static override readonly handleKind = 'WorkloadCharm';
  readonly forwarder = new LogForwarder(this);
}

const forwarderCtx = new Context(WorkloadCharm, {
  meta: {
    metadata: {
      name: 'zinc-k8s',
      requires: { logging: { interface: 'loki_push_api' } },
      containers: { zinc: { resource: 'zinc-image' } },
    },
  },
});

describe('LogForwarder (Context)', () => {
  const labels = {
    product: 'Juju',
    charm: 'zinc-k8s',
    juju_model: 'cos',
    juju_model_uuid: UUID,
    juju_application: 'zinc-k8s',
    juju_unit: 'zinc-k8s/0',
    job: 'juju_cos_00000000_zinc-k8s',
  };

  it('adds a Pebble loki log target per Loki unit, and switches off one whose unit left', async () => {
    const rel = new Relation('logging', { remoteAppName: 'loki-k8s', remoteUnitsData: lokiUnits });
    const zinc = new Container('zinc');
    let state = new State({ relations: [rel], containers: [zinc], model: { name: 'cos', uuid: UUID } });
    state = await forwarderCtx.run(forwarderCtx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    expect(state.getContainer('zinc').plan.logTargets).toEqual({
      'loki-k8s/0': { override: 'replace', services: ['all'], type: 'loki', location: URL0, labels },
      'loki-k8s/1': { override: 'replace', services: ['all'], type: 'loki', location: URL1, labels },
    });
    state = await forwarderCtx.run(forwarderCtx.on.relationDeparted(rel, { remoteUnit: 1 }), state);
    const targets = state.getContainer('zinc').plan.logTargets;
    expect(targets['loki-k8s/0']?.services).toEqual(['all']);
    expect(targets['loki-k8s/1']).toMatchObject({ services: ['-all'], location: '(removed)' });
    state = await forwarderCtx.run(forwarderCtx.on.relationBroken(rel), state);
    expect(state.getContainer('zinc').plan.logTargets['loki-k8s/0']?.services).toEqual(['-all']);
  });

  it('configures a container that was not up at its pebble-ready', async () => {
    const rel = new Relation('logging', { remoteAppName: 'loki-k8s', remoteUnitsData: lokiUnits });
    const down = new Container('zinc', { canConnect: false });
    let state = new State({ relations: [rel], containers: [down], model: { name: 'cos', uuid: UUID } });
    state = await forwarderCtx.run(forwarderCtx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    expect(state.getContainer('zinc').plan.logTargets).toEqual({});
    const up = new Container('zinc');
    state = await forwarderCtx.run(forwarderCtx.on.pebbleReady(up), state.with({ containers: [up] }));
    expect(Object.keys(state.getContainer('zinc').plan.logTargets)).toEqual(['loki-k8s/0', 'loki-k8s/1']);
  });
});

const rulesSeen: string[][] = [];

class LokiCharm extends CharmBase {
  static override readonly handleKind = 'LokiCharm';
  readonly loki = new LokiPushApiProvider(this);
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.loki.on.alertRulesChanged, this.onRules);
  }
  onRules(): void {
    rulesSeen.push(this.loki.alertRules().map((r) => r.rules.groups[0]?.name ?? ''));
  }
}

const providerCtx = new Context(LokiCharm, {
  meta: { metadata: { name: 'loki-k8s', provides: { logging: { interface: 'loki_push_api' } } } },
});

describe('LokiPushApiProvider (Context)', () => {
  for (const leader of [true, false]) {
    it(`publishes the push URL from ingress-address and reads Python alert rules (leader: ${leader})`, async () => {
      rulesSeen.length = 0;
      const rel = new Relation('logging', {
        remoteAppName: 'zinc-k8s',
        remoteAppData: bags.consumerApp,
        localUnitData: { 'ingress-address': '10.1.0.9' },
      });
      const out = await providerCtx.run(
        providerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
        new State({ leader, relations: [rel] }),
      );
      expect(out.getRelation(rel.id).localUnitData.endpoint).toBe(
        '{"url": "http://10.1.0.9:3100/loki/api/v1/push"}',
      );
      expect(rulesSeen).toEqual([['cos_c2e9f4d5_zinc-k8s_errors_alerts']]);
    });
  }

  it('blocks on alert_rules that are not the interface', async () => {
    const rel = new Relation('logging', {
      remoteAppName: 'zinc-k8s',
      remoteAppData: { ...bags.consumerApp, alert_rules: '{"groups": "nope"}' },
    });
    const out = await providerCtx.run(
      providerCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'logging: app zinc-k8s sent invalid alert_rules',
    });
  });
});
