import { ActiveStatus, CharmBase, type Framework, MaintenanceStatus } from '@charmkit/ops';
import { Reactive } from '@charmkit/reactive';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { Coordinator, GRANTS_KEY, REQUESTS_KEY } from '../src/index.js';

const restarts: string[] = [];

/** Seed 001's example in reactive form: request on config-changed, restart when granted. */
class Seed001 extends CharmBase {
  static override readonly handleKind = 'Seed001';
  // Reactive first: its loop runs at hook end before the coordinator releases the lock.
  readonly reactive = new Reactive(this);
  readonly coordinator = new Coordinator(this, { policy: 'simple' });

  constructor(framework: Framework) {
    super(framework);
    this.reactive.addFlagProvider(this.coordinator, { prefix: 'coordinator.' });
    this.reactive.hook('config-changed', this.configChanged);
    this.reactive.when(['coordinator.granted.restart'], this.restart);
  }

  configChanged(): void {
    this.coordinator.acquire('restart');
  }

  restart(): void {
    this.unit.status = new MaintenanceStatus('Rolling restart');
    restarts.push(this.unit.name);
    this.unit.status = new ActiveStatus('Live');
  }
}

const meta = { metadata: { name: 'seed', peers: { coordinator: { interface: 'coordinator' } } } };

describe('seed 001 in reactive form', () => {
  it('a lone leader restarts in the hook that asks', async () => {
    restarts.length = 0;
    const ctx = new Context(Seed001, { meta });
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ leader: true, relations: [new PeerRelation('coordinator', { id: 1 })] }),
    );
    expect(restarts).toEqual(['seed/0']);
    expect(out.unitStatus).toEqual({ name: 'active', message: 'Live' });
    expect(out.getRelation(1).localUnitData[REQUESTS_KEY]).toBeUndefined();
  });

  it('a follower asks, waits, and restarts in the hook where the grant shows; the flag is gone after', async () => {
    restarts.length = 0;
    const ctx = new Context(Seed001, { meta, unitId: 1 });
    const peers = new PeerRelation('coordinator', { id: 1, peersData: { 0: {} } });
    const asked = await ctx.run(ctx.on.configChanged(), new State({ relations: [peers] }));
    expect(restarts).toEqual([]);
    const granted = asked.with({
      relations: [
        (asked.getRelation(1) as PeerRelation).with({
          localAppData: { [GRANTS_KEY]: '{"seed/1":{"restart":1}}' },
        }),
      ],
    });
    const done = await ctx.run(ctx.on.relationChanged(granted.getRelation(1), { remoteUnit: null }), granted);
    expect(restarts).toEqual(['seed/1']);
    // Released at the end of that hook: in the next hook the stale grant does not re-fire.
    await ctx.run(ctx.on.updateStatus(), done);
    expect(restarts).toEqual(['seed/1']);
  });
});
