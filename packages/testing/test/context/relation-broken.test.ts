import { CharmBase, type Framework, type RelationBrokenEvent } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import { Context, PeerRelation, Relation, State } from '../../src/index.js';

const meta = {
  metadata: {
    name: 'web',
    peers: { cluster: { interface: 'web-cluster' } },
    requires: { db: { interface: 'pgsql' } },
  },
};

const seen: {
  active: boolean;
  app: string | null;
  unit: string | null;
  listed: number[];
  data: string | null;
}[] = [];

class BrokenCharm extends CharmBase {
  static override readonly handleKind = 'BrokenCharm';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.relation('db').broken, this.onBroken);
    framework.observe(this.on.relation('cluster').broken, this.onBroken);
  }
  onBroken(event: RelationBrokenEvent): void {
    seen.push({
      active: event.relation.active,
      app: event.app?.name ?? null,
      unit: event.unit?.name ?? null,
      listed: this.model.relations(event.relation.name).map((r) => r.id),
      // The broken relation's data is still readable in its own hook.
      data: event.relation.unitData.get('k') ?? null,
    });
  }
}

describe('Context on relation-broken (as dispatch under Juju)', () => {
  const ctx = new Context(BrokenCharm, { meta });

  it('gives an inactive relation, the remote app, no unit, and hides it from model.relations', async () => {
    seen.length = 0;
    const db = new Relation('db', {
      remoteAppName: 'pg',
      localUnitData: { k: 'v' },
      remoteUnitsData: { 0: {} },
    });
    await ctx.run(ctx.on.relationBroken(db), new State({ relations: [db] }));
    expect(seen).toEqual([{ active: false, app: 'pg', unit: null, listed: [], data: 'v' }]);
  });

  it('gives a null app for a peer relation', async () => {
    seen.length = 0;
    const peers = new PeerRelation('cluster', { localUnitData: { k: 'p' } });
    await ctx.run(ctx.on.relationBroken(peers), new State({ relations: [peers] }));
    expect(seen).toEqual([{ active: false, app: null, unit: null, listed: [], data: 'p' }]);
  });
});
