import { CharmBase, type Framework, type RelationEvent } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { IngressProvider, IngressRequirer } from '../../src/ingress/index.js';

// Both sides written with this package: the requirer's request reaches the provider, the URL
// comes back.

let url: string | null = null;

class Web extends CharmBase {
  static override readonly handleKind = 'Web';
  readonly ingress: IngressRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.ingress = new IngressRequirer(this, { port: 8080, stripPrefix: true });
    this.observe(this.ingress.on.ready, this.onReady);
  }
  onReady(): void {
    url = this.ingress.url;
  }
}

class ProxyCharm extends CharmBase {
  static override readonly handleKind = 'ProxyCharm';
  readonly ingress: IngressProvider;
  constructor(framework: Framework) {
    super(framework);
    this.ingress = new IngressProvider(this);
    this.observe(this.ingress.on.dataProvided, this.onProvided);
  }
  onProvided(event: RelationEvent): void {
    const request = this.ingress.request(event.relation);
    if (request && this.unit.isLeader()) {
      this.ingress.publishUrl(event.relation, `https://example.com/${request.model}-${request.name}`);
    }
  }
}

const web = new Context(Web, {
  meta: { metadata: { name: 'web', requires: { ingress: { interface: 'ingress' } } } },
});
const proxy = new Context(ProxyCharm, {
  meta: { metadata: { name: 'proxy', provides: { ingress: { interface: 'ingress' } } } },
});

describe('ingress: our requirer and our provider', () => {
  it('settle with the requirer holding its URL', async () => {
    const own = { 'ingress-address': '10.1.0.5' };
    const rel = new Relation('ingress', { id: 2, remoteAppName: 'proxy', localUnitData: own });
    const asked = await web.run(
      web.on.relationJoined(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    const mine = asked.getRelation(2);

    const toProxy = new Relation('ingress', {
      id: 2,
      remoteAppName: 'web',
      remoteAppData: mine.localAppData,
      remoteUnitsData: { 0: mine.localUnitData },
    });
    const answered = await proxy.run(
      proxy.on.relationChanged(toProxy, { remoteUnit: 0 }),
      new State({ leader: true, relations: [toProxy] }),
    );

    const back = mine.with({ remoteAppData: answered.getRelation(2).localAppData });
    url = null;
    await web.run(web.on.relationChanged(back, { remoteUnit: 0 }), asked.with({ relations: [back] }));
    expect(url).toBe('https://example.com/test-model-web');
  });
});
