import { CharmBase, type Framework } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import {
  type HookRecord,
  InvariantViolationError,
  Simulator,
  type SimulatorBaseOptions,
} from '../../src/simulator/index.js';
import { SimCharm } from '../fixtures/sim-charm/src/sim-charm.js';
import { appToken, convergenceProblem, simCharmMeta } from '../helpers/sim-charm.js';

// These suites pin Juju 3.6: the test charm shares its token with leader-set, and they check
// leader-settings-changed ordering. What Juju 4 changes is covered by juju-versions.test.ts.
function create(options: SimulatorBaseOptions = {}): Promise<Simulator> {
  return Simulator.create({
    juju: '3.6',
    mode: 'in-process',
    charm: SimCharm,
    meta: simCharmMeta,
    units: 3,
    ...options,
  });
}

/** Hook names of the successful runs of `unit`, with the remote unit for relation hooks. */
function okHooks(hooks: readonly HookRecord[], unit: string): string[] {
  return hooks
    .filter((h) => h.unit === unit && h.outcome === 'ok')
    .map((h) => (h.remoteUnit ? `${h.hook}(${h.remoteUnit})` : h.hook));
}

describe('the deploy sequence', () => {
  it('runs install, relation-created, leader hooks, config-changed and start, then joins the peers', async () => {
    const sim = await create({ seed: 11 });
    const result = await sim.settle();
    expect(result).toMatchObject({ settled: true, reason: 'settled' });
    expect(convergenceProblem(sim.snapshot())).toBeNull();
    for (const unit of sim.units()) {
      const hooks = okHooks(sim.trace.hooks, unit);
      const leaderHook = unit === 'sim-charm/0' ? 'leader-elected' : 'leader-settings-changed';
      expect(hooks.slice(0, 5)).toEqual([
        'install',
        'cluster-relation-created',
        leaderHook,
        'config-changed',
        'start',
      ]);
      const others = sim.units().filter((u) => u !== unit);
      for (const other of others) {
        const joined = hooks.indexOf(`cluster-relation-joined(${other})`);
        const changed = hooks.indexOf(`cluster-relation-changed(${other})`);
        // Joined comes after start, and is followed by a changed for the same unit.
        expect(joined).toBeGreaterThan(hooks.indexOf('start'));
        expect(changed).toBeGreaterThan(joined);
      }
      // update-status runs only after start (one round by default).
      expect(hooks.at(-1)).toBe('update-status');
    }
    await sim.close();
  });

  it('is reproducible: the same seed gives the same trace, another seed another one', async () => {
    const faults = { hookFailure: 0.15, leaderChange: 0.05, seed: 9 };
    const signatures: string[] = [];
    for (const seed of [42, 42, 43]) {
      const sim = await create({ seed, faults });
      expect((await sim.settle()).settled).toBe(true);
      signatures.push(sim.trace.signature());
      await sim.close();
    }
    expect(signatures[1]).toBe(signatures[0]);
    expect(signatures[2]).not.toBe(signatures[0]);
  });
});

describe('relation data', () => {
  it('publishes relation writes only when the hook succeeds; a failed hook is retried with its writes discarded', async () => {
    const sim = await create({ seed: 5 });
    await sim.settle();
    expect(sim.setConfig({ greeting: 'hi' })).toBe(true);
    // Fail app/1's config-changed after its relation-set was buffered (status-set comes later, at commit).
    sim.failNextHook({ unit: 'sim-charm/1', hook: 'config-changed', atCall: 'status-set' });
    let failed: HookRecord | null = null;
    while (!failed) {
      const record = await sim.step();
      if (!record) throw new Error('ran out of hooks before the failure');
      if (record.unit === 'sim-charm/1' && record.hook === 'config-changed') failed = record;
    }
    expect(failed.outcome).toBe('failed');
    expect(failed.toolCalls.map((c) => c.tool)).toContain('relation-set');
    const world = sim.snapshot();
    expect(world.relations[0]?.unitData['sim-charm/1']?.greeting).toBe('hello');
    expect(world.units['sim-charm/1']?.status).toEqual({
      status: 'error',
      message: 'hook failed: "config-changed"',
    });
    expect(sim.queue('sim-charm/1')[0]).toBe('config-changed');
    for (const other of ['sim-charm/0', 'sim-charm/2']) {
      expect(sim.queue(other)).not.toContain('cluster-relation-changed(sim-charm/1)');
    }

    await sim.settle();
    const hooks = sim.trace.hooks;
    const retry = hooks.find(
      (h) => h.unit === 'sim-charm/1' && h.hook === 'config-changed' && h.index > failed.index,
    );
    expect(retry).toMatchObject({ outcome: 'ok', attempt: 2 });
    for (const other of ['sim-charm/0', 'sim-charm/2']) {
      const changed = hooks.filter(
        (h) =>
          h.unit === other &&
          h.hook === 'cluster-relation-changed' &&
          h.remoteUnit === 'sim-charm/1' &&
          h.index > failed.index,
      );
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.every((h) => h.index > (retry as HookRecord).index)).toBe(true);
    }
    const after = sim.snapshot();
    expect(after.relations[0]?.unitData['sim-charm/1']?.greeting).toBe('hi');
    expect(convergenceProblem(after)).toBeNull();
    await sim.close();
  });

  it('coalesces: at most one pending relation-changed per unit, relation and remote unit', async () => {
    const sim = await create({ seed: 2 });
    await sim.settle();
    sim.setConfig({ greeting: 'a' });
    // Run app/0's config-changed only: it writes its databag, queueing changed(app/0) on the others.
    while ((await sim.step())?.unit !== 'sim-charm/0') {
      // other units' hooks
    }
    sim.setConfig({ greeting: 'b' });
    while (sim.queue('sim-charm/0').includes('config-changed')) await sim.step();
    for (const other of ['sim-charm/1', 'sim-charm/2']) {
      const pending = sim.queue(other).filter((h) => h === 'cluster-relation-changed(sim-charm/0)');
      expect(pending.length).toBeLessThanOrEqual(1);
    }
    await sim.settle();
    expect(sim.snapshot().relations[0]?.unitData['sim-charm/2']?.greeting).toBe('b');
    await sim.close();
  });
});

describe('leadership', () => {
  it('leader-set queues leader-settings-changed on the other units, not on the leader', async () => {
    const sim = await create({ seed: 3 });
    await sim.settle();
    sim.changeLeader('sim-charm/2');
    await sim.settle();
    const hooks = sim.trace.hooks;
    const elected = hooks.find(
      (h) => h.unit === 'sim-charm/2' && h.hook === 'leader-elected' && h.outcome === 'ok',
    );
    expect(elected?.toolCalls.map((c) => `${c.tool} ${c.args.join(' ')}`)).toContain(
      'leader-set -- leader=sim-charm/2',
    );
    const index = (elected as HookRecord).index;
    for (const other of ['sim-charm/0', 'sim-charm/1']) {
      expect(
        hooks.some((h) => h.unit === other && h.hook === 'leader-settings-changed' && h.index > index),
      ).toBe(true);
    }
    expect(
      hooks.some((h) => h.unit === 'sim-charm/2' && h.hook === 'leader-settings-changed' && h.index > index),
    ).toBe(false);
    // Nobody gets a deposed hook.
    expect(hooks.some((h) => h.hook === 'leader-deposed')).toBe(false);
    const world = sim.snapshot();
    expect(world.leader).toBe('sim-charm/2');
    expect(world.leaderSettings).toEqual({ leader: 'sim-charm/2' });
    expect(convergenceProblem(world)).toBeNull();
    await sim.close();
  });
});

describe('topology', () => {
  it('removing a unit runs departed on both sides, then broken, stop and remove on it', async () => {
    const sim = await create({ seed: 8 });
    await sim.settle();
    const from = sim.hooksRun;
    sim.removeUnit('sim-charm/1');
    await sim.settle();
    const later = sim.trace.hooks.filter((h) => h.index >= from);
    const removed = okHooks(later, 'sim-charm/1');
    expect(removed.slice(0, 2).sort()).toEqual([
      'cluster-relation-departed(sim-charm/0)',
      'cluster-relation-departed(sim-charm/2)',
    ]);
    expect(removed.slice(2)).toEqual(['cluster-relation-broken', 'stop', 'remove']);
    for (const other of ['sim-charm/0', 'sim-charm/2']) {
      expect(okHooks(later, other)).toContain('cluster-relation-departed(sim-charm/1)');
    }
    const world = sim.snapshot();
    expect(Object.keys(world.units)).toEqual(['sim-charm/0', 'sim-charm/2']);
    expect(Object.keys(world.relations[0]?.unitData ?? {})).toEqual(['sim-charm/0', 'sim-charm/2']);
    expect(convergenceProblem(world)).toBeNull();
    await sim.close();
  });

  it('removing the leader elects another unit, which gets leader-elected; the token survives', async () => {
    const sim = await create({ seed: 4 });
    await sim.settle();
    const token = appToken(sim.snapshot());
    sim.removeUnit('sim-charm/0');
    await sim.settle();
    const world = sim.snapshot();
    expect(world.leader).not.toBeNull();
    expect(world.leader).not.toBe('sim-charm/0');
    expect(okHooks(sim.trace.hooks, world.leader as string)).toContain('leader-elected');
    expect(appToken(world)).toBe(token);
    expect(convergenceProblem(world)).toBeNull();
    await sim.close();
  });

  it('an added unit runs the deploy sequence and joins the others', async () => {
    const sim = await create({ seed: 6 });
    await sim.settle();
    const added = await sim.addUnit();
    expect(added).toBe('sim-charm/3');
    await sim.settle();
    expect(okHooks(sim.trace.hooks, added).slice(0, 5)).toEqual([
      'install',
      'cluster-relation-created',
      'leader-settings-changed',
      'config-changed',
      'start',
    ]);
    for (const other of ['sim-charm/0', 'sim-charm/1', 'sim-charm/2']) {
      expect(okHooks(sim.trace.hooks, other)).toContain(`cluster-relation-joined(${added})`);
      expect(okHooks(sim.trace.hooks, added)).toContain(`cluster-relation-joined(${other})`);
    }
    expect(convergenceProblem(sim.snapshot())).toBeNull();
    await sim.close();
  });
});

describe('invariants and failures', () => {
  it('checks invariants after every hook and collects violations with the hook that caused them', async () => {
    const sim = await create({ seed: 12, faults: { hookFailure: 0.2, seed: 3 } });
    let checks = 0;
    sim.addInvariant('counted', () => {
      checks++;
      return true;
    });
    sim.addInvariant('one leader among present units', (world) => {
      const leaders = Object.values(world.units).filter((u) => u.leader).length;
      return leaders === 1 || `${leaders} leaders`;
    });
    sim.addInvariant('no unit in error', (world) => {
      const broken = Object.entries(world.units).find(([, u]) => u.status.status === 'error');
      return broken === undefined || `${broken[0]}: ${broken[1].status.message}`;
    });
    await sim.settle();
    expect(checks).toBe(sim.hooksRun);
    const violations = sim.violations;
    expect(violations.every((v) => v.invariant === 'no unit in error')).toBe(true);
    const failed = sim.trace.hooks.filter((h) => h.outcome !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    expect(violations.map((v) => v.hookIndex)).toContain(failed[0]?.index);
    expect(violations[0]).toMatchObject({ unit: failed[0]?.unit, hook: failed[0]?.hook });
    expect(convergenceProblem(sim.snapshot())).toBeNull();
    await sim.close();
  });

  it('throws at the first violation in strict mode', async () => {
    const sim = await create({ seed: 1, strict: true });
    sim.addInvariant('never more than 4 hooks', (_world, hook) => hook.index < 4 || 'too many hooks');
    await expect(sim.settle()).rejects.toThrow(InvariantViolationError);
    expect(sim.hooksRun).toBe(5);
    await sim.close();
  });

  it('ends the run with a report when a hook keeps failing', async () => {
    class NeverStarts extends CharmBase {
      static override readonly handleKind = 'NeverStarts';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.start, this.onStart);
      }
      onStart(): void {
        throw new Error('the workload cannot start');
      }
    }
    const sim = await Simulator.create({
      juju: '3.6',
      mode: 'in-process',
      charm: NeverStarts,
      meta: simCharmMeta,
      units: 2,
      maxAttempts: 3,
    });
    const result = await sim.settle();
    expect(result).toMatchObject({ settled: false, reason: 'retry-limit' });
    expect(result.stuck).toMatchObject({ hook: 'start', attempts: 3 });
    expect(result.report).toContain('the workload cannot start');
    expect(sim.trace.format()).toContain('error: Error: the workload cannot start');
    await sim.close();
  });
});

describe('remote applications', () => {
  it('relate at deploy: created, then joined and changed per remote unit and for the app data; removal departs and breaks', async () => {
    const sim = await create({
      units: 2,
      seed: 9,
      remoteApps: [
        {
          app: 'pg',
          endpoint: 'db',
          units: 2,
          appData: { host: 'pg-host' },
          unitData: { 'pg/1': { role: 'replica' } },
        },
      ],
    });
    await sim.settle();
    const [db] = sim.relationIds('db');
    expect(db).toBe(1);
    for (const unit of sim.units()) {
      const hooks = okHooks(sim.trace.hooks, unit);
      expect(hooks.indexOf('db-relation-created')).toBeLessThan(hooks.indexOf('start'));
      for (const remote of ['pg/0', 'pg/1']) {
        expect(hooks.indexOf(`db-relation-joined(${remote})`)).toBeGreaterThan(hooks.indexOf('start'));
        expect(hooks.indexOf(`db-relation-changed(${remote})`)).toBeGreaterThan(
          hooks.indexOf(`db-relation-joined(${remote})`),
        );
      }
      expect(
        sim.trace.hooks.some(
          (h) => h.unit === unit && h.hook === 'db-relation-changed' && h.remoteUnit === '',
        ),
      ).toBe(true);
    }
    expect(sim.snapshot().relations[1]).toMatchObject({
      endpoint: 'db',
      peer: false,
      remoteApp: 'pg',
      appData: { pg: { host: 'pg-host' } },
      unitData: { 'pg/1': { role: 'replica', 'private-address': '10.2.0.3' } },
    });

    sim.setRemoteAppData(db as number, { host: 'pg-new' });
    sim.setRemoteUnitData(db as number, 'pg/0', { role: 'primary' });
    expect(sim.queue('sim-charm/0')).toEqual(['db-relation-changed', 'db-relation-changed(pg/0)']);
    await sim.settle({ updateStatusRounds: 0 });

    const from = sim.hooksRun;
    sim.removeRelation(db as number);
    await sim.settle({ updateStatusRounds: 0 });
    for (const unit of sim.units()) {
      const hooks = okHooks(
        sim.trace.hooks.filter((h) => h.index >= from),
        unit,
      );
      expect(hooks).toEqual([
        'db-relation-departed(pg/0)',
        'db-relation-departed(pg/1)',
        'db-relation-broken',
      ]);
    }
    expect(convergenceProblem(sim.snapshot())).toBeNull();
    await sim.close();
  });
});
