import { CharmBase, type Framework, type RelationEvent } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  DatabagWriteError,
  IngressReadyEvent,
  IngressRequirer,
  type IngressRequirerOptions,
  IngressRevokedEvent,
} from '../../src/ingress/index.js';
import { fixture } from './helpers.js';

const meta = { metadata: { name: 'webapp', requires: { ingress: { interface: 'ingress', limit: 1 } } } };

const seen: { event: string; url: string | null }[] = [];
let options: IngressRequirerOptions = { port: 8080 };
let newPort: number | null = null;

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  readonly ingress: IngressRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.ingress = new IngressRequirer(this, options);
    this.observe(this.ingress.on.ready, this.onIngress);
    this.observe(this.ingress.on.revoked, this.onIngress);
    this.observe(this.on.configChanged, this.onConfigChanged);
  }
  onIngress(event: RelationEvent): void {
    seen.push({ event: event.constructor.name, url: this.ingress.url });
  }
  onConfigChanged(): void {
    if (newPort !== null) this.ingress.provide({ port: newPort });
  }
}

const ctx = new Context(WebCharm, { meta });
const OWN = { 'ingress-address': '10.1.2.3', 'egress-subnets': '10.1.2.3/32' };
const provider = fixture<{ app: Record<string, string> }>('provider.json');

describe('IngressRequirer (Context)', () => {
  it('the leader publishes app and unit data byte for byte as the Python library does', async () => {
    options = { port: 8080 };
    const rel = new Relation('ingress', { remoteAppName: 'traefik', localUnitData: OWN });
    const out = await ctx.run(
      ctx.on.relationJoined(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localAppData).toEqual({
      model: '"test-model"',
      name: '"webapp"',
      port: '8080',
    });
    expect(out.getRelation(rel.id).localUnitData).toEqual({ ...OWN, host: '"10.1.2.3"', ip: '"10.1.2.3"' });
  });

  it('writes the optional fields only when they differ from their defaults', async () => {
    options = {
      port: 3000,
      scheme: 'https',
      stripPrefix: true,
      redirectHttps: true,
      host: 'web-0.web-endpoints.m.svc.cluster.local',
    };
    const rel = new Relation('ingress', { localUnitData: OWN });
    const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: true, relations: [rel] }));
    expect(out.getRelation(rel.id).localAppData).toEqual({
      model: '"test-model"',
      name: '"webapp"',
      port: '3000',
      scheme: '"https"',
      'strip-prefix': 'true',
      'redirect-https': 'true',
    });
    expect(out.getRelation(rel.id).localUnitData.host).toBe('"web-0.web-endpoints.m.svc.cluster.local"');
  });

  it('a non-leader publishes only its unit data', async () => {
    options = { port: 8080 };
    const rel = new Relation('ingress', { localUnitData: OWN });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: false, relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localAppData).toEqual({});
    expect(out.getRelation(rel.id).localUnitData.host).toBe('"10.1.2.3"');
  });

  it('uses ingress-address, never private-address (Juju 4 writes none)', async () => {
    options = { port: 8080 };
    const juju4 = new Context(WebCharm, { meta, jujuVersion: '4.0.0' });
    const rel = new Relation('ingress', {
      localUnitData: { 'private-address': '192.168.0.9', 'ingress-address': '10.9.9.9' },
    });
    const out = await juju4.run(
      juju4.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localUnitData.host).toBe('"10.9.9.9"');
    // Before Juju wrote ingress-address, there is no address to send.
    const early = new Relation('ingress', { localUnitData: { 'private-address': '192.168.0.9' } });
    const none = await juju4.run(juju4.on.relationCreated(early), new State({ relations: [early] }));
    expect(none.getRelation(early.id).localUnitData).toEqual({ 'private-address': '192.168.0.9' });
  });

  for (const leader of [true, false]) {
    it(`emits ready with the Python provider's URL, once, and revoked on broken (leader: ${leader})`, async () => {
      options = { port: 8080 };
      seen.length = 0;
      const rel = new Relation('ingress', {
        localUnitData: OWN,
        remoteAppName: 'traefik',
        remoteAppData: provider.app,
      });
      let state = new State({ leader, relations: [rel] });
      state = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
      state = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
      await ctx.run(ctx.on.relationBroken(rel), state);
      expect(seen).toEqual([
        { event: IngressReadyEvent.name, url: 'http://foo.bar:80/model_name-app_name/0' },
        { event: IngressRevokedEvent.name, url: null },
      ]);
    });
  }

  it('emits revoked when the provider withdraws the URL', async () => {
    options = { port: 8080 };
    seen.length = 0;
    const rel = new Relation('ingress', { localUnitData: OWN, remoteAppData: provider.app });
    const state = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    const wiped = rel.with({ remoteAppData: {} });
    await ctx.run(ctx.on.relationChanged(wiped, { remoteUnit: 0 }), state.with({ relations: [wiped] }));
    expect(seen.map((s) => s.event)).toEqual([IngressReadyEvent.name, IngressRevokedEvent.name]);
  });

  it('blocks on a provider bag that is not the interface, without crashing', async () => {
    options = { port: 8080 };
    seen.length = 0;
    const rel = new Relation('ingress', {
      localUnitData: OWN,
      remoteAppName: 'traefik',
      remoteAppData: { ingress: '{"url": "foo.bar/no-scheme"}' },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(seen).toEqual([]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'ingress: app traefik sent invalid ingress.url',
    });
  });

  it('re-publishes a new port through provide()', async () => {
    options = { port: 8080 };
    newPort = 9090;
    const rel = new Relation('ingress', { localUnitData: OWN });
    const out = await ctx.run(ctx.on.configChanged(), new State({ leader: true, relations: [rel] }));
    newPort = null;
    expect(out.getRelation(rel.id).localAppData.port).toBe('9090');
  });

  it('refuses a port out of range at construction', async () => {
    options = { port: 70000 };
    const rel = new Relation('ingress', { localUnitData: OWN });
    const failure = await ctx.run(ctx.on.install(), new State({ relations: [rel] })).catch((e: unknown) => e);
    expect((failure as Error).cause).toBeInstanceOf(DatabagWriteError);
    expect((failure as Error).message).toContain('port: Too big');
    options = { port: 8080 };
  });
});
