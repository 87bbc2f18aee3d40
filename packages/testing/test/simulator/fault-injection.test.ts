import { describe, expect, it } from 'vitest';
import { type FaultOptions, type SimSnapshot, Simulator } from '../../src/simulator/index.js';
import { SimCharm } from '../fixtures/sim-charm/src/sim-charm.js';
import { appToken, convergenceProblem, simCharmMeta } from '../helpers/sim-charm.js';

/** Invariants the test charm keeps whatever happens. */
function addSafetyInvariants(sim: Simulator): void {
  sim.addInvariant('at most one leader, and a present one', (world: SimSnapshot) => {
    const leaders = Object.values(world.units).filter((u) => u.leader).length;
    if (leaders > 1) return `${leaders} leaders`;
    return (
      world.leader === null || world.units[world.leader] !== undefined || `leader ${world.leader} is gone`
    );
  });
  let token: string | undefined;
  sim.addInvariant('the token never changes once every unit has it', (world) => {
    const current = appToken(world);
    if (token !== undefined && current !== token) return `token changed from ${token} to ${current}`;
    if (convergenceProblem(world) === null) token = current;
    return true;
  });
  sim.addInvariant('active units show the app token', (world) => {
    const current = appToken(world);
    for (const [name, unit] of Object.entries(world.units)) {
      if (unit.status.status === 'active' && unit.status.message !== `token ${current}`) {
        return `${name} shows "${unit.status.message}" but the app token is ${current}`;
      }
    }
    return true;
  });
}

describe('random faults (in process)', () => {
  const faults: FaultOptions = {
    leaderChange: 0.04,
    hookFailure: 0.1,
    removeUnit: 0.02,
    addUnit: 0.02,
    configChange: 0.03,
    maxTopologyChanges: 6,
  };

  const seen = new Set<string>();

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: every live unit ends active with the same token',
    async (seed) => {
      const sim = await Simulator.create({
        juju: '3.6',
        mode: 'in-process',
        charm: SimCharm,
        meta: simCharmMeta,
        units: 4,
        seed,
        faults: { ...faults, seed: seed * 31 },
      });
      addSafetyInvariants(sim);
      const result = await sim.settle({ maxHooks: 5000 });
      expect(result.report).toMatch(/^settled/);
      expect(sim.violations).toEqual([]);
      expect(convergenceProblem(sim.snapshot())).toBeNull();
      const failures = sim.trace.hooks.filter((h) => h.outcome === 'failed');
      // Each failed hook was retried until it succeeded.
      for (const failed of failures) {
        const retry = sim.trace.hooks.find(
          (h) =>
            h.index > failed.index && h.unit === failed.unit && h.hook === failed.hook && h.outcome === 'ok',
        );
        expect(retry, `retry of #${failed.index}`).toBeDefined();
      }
      if (failures.length > 0) seen.add('hook-failure');
      for (const entry of sim.trace.entries) {
        if (entry.type === 'event' && entry.afterHooks > 0)
          seen.add(entry.description.split(' ')[0] as string);
      }
      await sim.close();
    },
  );

  it('the seeds above met every kind of fault', () => {
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['add-unit', 'config', 'hook-failure', 'leader-change', 'remove-unit']),
    );
  });

  it('covers every fault kind at scheduled points', async () => {
    const sim = await Simulator.create({
      juju: '3.6',
      mode: 'in-process',
      charm: SimCharm,
      meta: simCharmMeta,
      units: 3,
      seed: 21,
      faults: {
        schedule: [
          { at: 2, kind: 'hook-failure', hook: 'leader-elected', atCall: 'relation-set' },
          { at: 10, kind: 'leader-change', unit: 'sim-charm/1' },
          { at: 9, kind: 'hook-failure', atCall: 0 },
          { at: 12, kind: 'remove-unit', unit: 'sim-charm/1' },
          { at: 14, kind: 'add-unit' },
          { at: 20, kind: 'config-change', values: { greeting: 'bonjour' } },
          { at: 25, kind: 'sigkill', atCall: 2 },
        ],
      },
    });
    addSafetyInvariants(sim);
    const result = await sim.settle();
    expect(result.settled).toBe(true);
    expect(sim.violations).toEqual([]);
    const events = sim.trace.entries.filter((e) => e.type === 'event').map((e) => e.description);
    expect(events).toEqual(
      expect.arrayContaining([
        'leader-change sim-charm/0 -> sim-charm/1',
        'remove-unit sim-charm/1',
        'add-unit sim-charm/3',
        'config {"greeting":"bonjour"}',
      ]),
    );
    const faulted = sim.trace.hooks.filter((h) => h.fault !== null);
    expect(faulted).toHaveLength(3);
    expect(faulted.every((h) => h.outcome === 'failed')).toBe(true);
    expect(faulted.some((h) => h.error?.includes('before it started'))).toBe(true);
    const world = sim.snapshot();
    expect(convergenceProblem(world)).toBeNull();
    expect(Object.keys(world.units)).toEqual(['sim-charm/0', 'sim-charm/2', 'sim-charm/3']);
    expect(world.relations[0]?.unitData['sim-charm/3']?.greeting).toBe('bonjour');
    await sim.close();
  });
});
