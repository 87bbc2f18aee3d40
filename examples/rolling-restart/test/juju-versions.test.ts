// The built charm as real processes, with its demo workload as a real HTTP server per unit, under
// Juju 3.6 and Juju 4, through a whole life: deploy, leader change, config change (the rolling
// restart), scale up, scale down (the leader). The config change restarts each unit exactly once,
// one at a time (at least N - 1 workloads answer after every hook of the roll).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCharm, type HookRecord, runLifecycle, Simulator } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProcessRestarter } from '../src/local-process-restarter.js';
import { answers } from './helpers/workload-health.js';

const outDir = mkdtempSync(join(tmpdir(), 'rolling-restart-built-'));
beforeAll(async () => {
  await buildCharm({ charmDir: join(import.meta.dirname, '..'), outDir });
}, 180_000); // a build on a loaded CI machine
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The hooks in which `unit` restarted its workload (the coordinator says "restarting" then). */
function restarts(hooks: readonly HookRecord[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const hook of hooks) {
    if (hook.outcome !== 'ok') continue;
    if (hook.toolCalls.some((c) => c.tool === 'status-set' && c.args.includes('restarting')))
      count.set(hook.unit, (count.get(hook.unit) ?? 0) + 1);
  }
  return count;
}

describe.each([
  ['3.6', 23610],
  ['4', 23710],
])('rolling-restart as real processes, Juju %s', (juju, port) => {
  it('restarts each unit once per config change, one at a time, through a whole life', async () => {
    const sim = await Simulator.create({
      juju,
      mode: 'process',
      charmDir: outDir,
      units: 3,
      seed: 3,
      config: { workload: 'local-process', port, greeting: 'hello' },
    });
    const portOf = (unit: string) => port + Number(unit.split('/')[1]);
    let rolling = false;
    sim.addInvariant('at least N - 1 workloads answer during the roll', (world) => {
      if (!rolling) return true;
      const units = Object.keys(world.units);
      const healthy = units.filter((u) => answers(portOf(u))).length;
      return healthy >= units.length - 1 || `only ${healthy} of ${units.length} workloads answer`;
    });
    try {
      await runLifecycle(sim, {
        config: { greeting: 'bonjour' },
        after: (phase, s) => {
          const world = s.snapshot();
          const hooks = s.trace.hooks.slice(phase.firstHook);
          const greeting = phase.name === 'deploy' || phase.name === 'leader-change' ? 'hello' : 'bonjour';
          for (const [unit, info] of Object.entries(world.units)) {
            expect(info.workloadStatus, `${phase.name} ${unit}`).toEqual({
              status: 'active',
              message: `serving "${greeting}"`,
            });
          }
          if (phase.name === 'config-change') {
            expect(Object.fromEntries(restarts(hooks))).toEqual({
              'rolling-restart/0': 1,
              'rolling-restart/1': 1,
              'rolling-restart/2': 1,
            });
          } else {
            // A new unit starts with the current greeting; nothing else restarts anything.
            expect(restarts(hooks).size, phase.name).toBe(0);
          }
          rolling = phase.name === 'leader-change'; // the next phase is the roll
        },
      });
      expect(sim.violations).toEqual([]);
      expect(Object.keys(sim.snapshot().units)).toHaveLength(3);
      const hooks = sim.trace.hooks;
      const tools = new Set(hooks.flatMap((h) => h.toolCalls.map((c) => c.tool)));
      if (juju === '4') {
        expect(hooks.map((h) => h.hook)).not.toContain('leader-settings-changed');
        expect(tools.has('leader-get') || tools.has('leader-set')).toBe(false);
      }
    } finally {
      // Workloads of units still there (a removed unit stopped its own in its stop hook).
      for (const unit of Object.keys(sim.snapshot().units)) {
        const dir = join(sim.workDir, 'units', unit.replace('/', '-'), 'charm');
        if (existsSync(dir)) await new LocalProcessRestarter(dir, '', 0, '').stop();
      }
      await sim.close();
    }
  }, 180_000);
});
