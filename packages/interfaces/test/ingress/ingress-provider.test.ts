import { CharmBase, type Framework, type RelationEvent } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  IngressDataProvidedEvent,
  IngressDataRemovedEvent,
  IngressProvider,
  type IngressRequest,
  InterfaceNotLeaderError,
} from '../../src/ingress/index.js';
import { type Bags, fixture } from './helpers.js';

const meta = { metadata: { name: 'traefik', provides: { ingress: { interface: 'ingress' } } } };

const seen: { event: string; request: IngressRequest | null }[] = [];
let refused: unknown = null;
let wipe = false;

class ProxyCharm extends CharmBase {
  static override readonly handleKind = 'ProxyCharm';
  readonly ingress: IngressProvider;
  constructor(framework: Framework) {
    super(framework);
    this.ingress = new IngressProvider(this);
    this.observe(this.ingress.on.dataProvided, this.onProvided);
    this.observe(this.ingress.on.dataRemoved, this.onRemoved);
  }
  onProvided(event: RelationEvent): void {
    const request = this.ingress.request(event.relation);
    seen.push({ event: event.constructor.name, request });
    if (!request) return;
    try {
      if (wipe) this.ingress.wipeUrl(event.relation);
      else
        this.ingress.publishUrl(event.relation, `http://proxy.example:80/${request.model}-${request.name}`);
    } catch (error) {
      refused = error;
    }
  }
  onRemoved(event: RelationEvent): void {
    seen.push({ event: event.constructor.name, request: null });
  }
}

const ctx = new Context(ProxyCharm, { meta });
const good = fixture<Record<'minimal' | 'full', Bags>>('requirer.json');
const bad = fixture<Record<'not-json' | 'no-host', Bags>>('requirer-invalid.json');

function requirer(bags: Bags, id = 4, remoteAppName = 'remote'): Relation {
  return new Relation('ingress', { id, remoteAppName, remoteAppData: bags.app, remoteUnitsData: bags.units });
}

describe('IngressProvider (Context)', () => {
  it('reads the interface tests’ requirer data and publishes the URL as the Python library writes it', async () => {
    seen.length = 0;
    wipe = false;
    const rel = requirer(good.minimal);
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(seen).toEqual([
      {
        event: IngressDataProvidedEvent.name,
        request: {
          relationId: 4,
          name: 'remote',
          model: 'bar',
          port: 42,
          scheme: 'http',
          stripPrefix: false,
          redirectHttps: false,
          units: [{ name: 'remote/0', host: '0.0.0.42', ip: null }],
        },
      },
    ]);
    expect(out.getRelation(rel.id).localAppData).toEqual({
      ingress: '{"url": "http://proxy.example:80/bar-remote"}',
    });
  });

  it('reads every unit and the optional fields of the Python requirer', async () => {
    seen.length = 0;
    const rel = requirer(good.full, 5, 'grafana');
    await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 1 }),
      new State({ leader: false, relations: [rel] }),
    );
    expect(seen[0]?.request).toEqual({
      relationId: 5,
      name: 'grafana',
      model: 'cos',
      port: 3000,
      scheme: 'https',
      stripPrefix: true,
      redirectHttps: true,
      units: [
        { name: 'grafana/0', host: 'grafana-0.grafana-endpoints.cos.svc.cluster.local', ip: '10.1.32.7' },
        { name: 'grafana/1', host: 'grafana-1.grafana-endpoints.cos.svc.cluster.local', ip: '10.1.32.9' },
      ],
    });
    // On a non-leader, publishing is refused before anything is written.
    expect(refused).toBeInstanceOf(InterfaceNotLeaderError);
  });

  for (const [name, bags, fields] of [
    ['not-json', bad['not-json'], 'app remote sent invalid model, name'],
    ['no-host', bad['no-host'], 'unit remote/0 sent invalid host'],
  ] as const) {
    it(`does not act on the interface tests’ invalid data (${name}): blocked, nothing published`, async () => {
      seen.length = 0;
      const rel = requirer(bags);
      const out = await ctx.run(
        ctx.on.relationChanged(rel, { remoteUnit: 0 }),
        new State({ leader: true, relations: [rel] }),
      );
      expect(seen).toEqual([]);
      expect(out.getRelation(rel.id).localAppData).toEqual({});
      expect(out.unitStatus).toEqual({ name: 'blocked', message: `ingress: ${fields}` });
    });
  }

  it('waits, without blocking, for a unit that has not written yet', async () => {
    seen.length = 0;
    const rel = requirer({ app: good.minimal.app, units: { 0: { 'ingress-address': '10.0.0.1' } } });
    const out = await ctx.run(
      ctx.on.relationJoined(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(seen).toEqual([]);
    expect(out.unitStatus.name).toBe('unknown');
  });

  it('withdraws a URL and emits dataRemoved on relation-broken', async () => {
    seen.length = 0;
    wipe = false;
    const rel = requirer(good.minimal);
    const published = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    wipe = true;
    const wiped = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), published);
    wipe = false;
    expect(wiped.getRelation(rel.id).localAppData).toEqual({});
    await ctx.run(ctx.on.relationBroken(rel), wiped);
    expect(seen.map((s) => s.event)).toEqual([
      IngressDataProvidedEvent.name,
      IngressDataProvidedEvent.name,
      IngressDataRemovedEvent.name,
    ]);
  });
});
