import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCharm, buildCharm } from '../../src/build/index.js';
import { type HookRecord, type SimSnapshot, Simulator } from '../../src/simulator/index.js';
import { SimCharm } from '../fixtures/sim-charm/src/sim-charm.js';
import { convergenceProblem, simCharmDir, simCharmMeta } from '../helpers/sim-charm.js';

// One build for the whole file: bundling takes a few hundred milliseconds.
let built: BuiltCharm;
const outDir = mkdtempSync(join(tmpdir(), 'charmkit-sim-charm-'));

beforeAll(async () => {
  built = await buildCharm({ charmDir: simCharmDir, outDir });
}, 180_000); // a build on a loaded CI machine
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** What must match between modes: statuses, leadership and databags. */
function modelState(world: SimSnapshot): unknown {
  return {
    leader: world.leader,
    leaderSettings: world.leaderSettings,
    units: Object.fromEntries(
      Object.entries(world.units).map(([name, u]) => [name, { status: u.status, life: u.life }]),
    ),
    relations: world.relations.map((r) => ({ appData: r.appData, unitData: r.unitData })),
  };
}

function hookSequence(hooks: readonly HookRecord[]): string[] {
  return hooks.map((h) => `${h.unit} ${h.hook} ${h.remoteUnit ?? ''} ${h.outcome}`);
}

describe('buildCharm', { timeout: 60_000 }, () => {
  it('writes a bundle, the SQLite addon, an executable dispatch and the metadata', async () => {
    expect(built.bundleBytes).toBeGreaterThan(10_000);
    expect(existsSync(built.addon)).toBe(true);
    accessSync(built.dispatch, constants.X_OK);
    expect(built.metadataFiles).toEqual(['metadata.yaml', 'config.yaml']);
    // Outside a hook the charm fails cleanly (no JUJU_UNIT_NAME), through dispatch and node.
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(built.dispatch, [], { env: { PATH: process.env.PATH ?? '' } }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('JUJU_UNIT_NAME is not set');
  });
});

describe('process mode', () => {
  it('a 3-unit deploy settles to the same model state, through the same hooks, as in process', async () => {
    const process = await Simulator.create({
      juju: '3.6',
      mode: 'process',
      charmDir: outDir,
      units: 3,
      seed: 5,
    });
    const inProcess = await Simulator.create({
      juju: '3.6',
      mode: 'in-process',
      charm: SimCharm,
      meta: simCharmMeta,
      units: 3,
      seed: 5,
    });
    const [a, b] = [await process.settle(), await inProcess.settle()];
    expect(a.settled).toBe(true);
    expect(b.settled).toBe(true);
    expect(convergenceProblem(process.snapshot())).toBeNull();
    expect(modelState(process.snapshot())).toEqual(modelState(inProcess.snapshot()));
    expect(hookSequence(process.trace.hooks)).toEqual(hookSequence(inProcess.trace.hooks));
    // Each unit ran in its own copy of the charm, with its own SQLite state.
    for (const unit of process.units()) {
      expect(
        existsSync(join(process.workDir, 'units', unit.replace('/', '-'), 'charm', '.unit-state.db')),
      ).toBe(true);
    }
    // The framework's INFO logging reached juju-log.
    expect(process.stats().toolCalls).toBeGreaterThan(process.hooksRun);
    await process.close();
    await inProcess.close();
  }, 60_000);

  it('survives SIGKILLed hooks, failures and a leader change: every unit ends active with the same token', async () => {
    const sim = await Simulator.create({
      juju: '3.6',
      mode: 'process',
      charmDir: outDir,
      units: 3,
      seed: 17,
      faults: {
        seed: 4,
        sigkill: 0.15,
        hookFailure: 0.05,
        schedule: [
          { at: 4, kind: 'sigkill', atCall: 2 },
          { at: 12, kind: 'leader-change' },
          { at: 20, kind: 'sigkill', hook: 'cluster-relation-changed', atCall: 'status-set' },
        ],
      },
    });
    sim.addInvariant(
      'at most one leader',
      (world) => Object.values(world.units).filter((u) => u.leader).length <= 1 || 'two leaders',
    );
    const result = await sim.settle({ maxHooks: 400 });
    expect(result.report).toMatch(/^settled/);
    expect(sim.violations).toEqual([]);
    const killed = sim.trace.hooks.filter((h) => h.outcome === 'killed');
    expect(killed.length).toBeGreaterThanOrEqual(2);
    expect(killed[0]?.error).toContain('SIGKILL');
    for (const hook of killed) {
      const retried = sim.trace.hooks.some(
        (h) => h.index > hook.index && h.unit === hook.unit && h.hook === hook.hook && h.outcome === 'ok',
      );
      expect(retried, `retry of #${hook.index}`).toBe(true);
    }
    expect(convergenceProblem(sim.snapshot())).toBeNull();
    await sim.close();
  }, 60_000);
});
