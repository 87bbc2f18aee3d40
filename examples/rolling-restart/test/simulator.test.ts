import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmMeta } from '@charmkit/ops';
import { Simulator } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProcessRestarter } from '../src/local-process-restarter.js';
import { RollingRestartCharm } from '../src/rolling-restart-charm.js';
import { bundleWorkloadEntry } from './helpers/workload-entry.js';
import { answers } from './helpers/workload-health.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASE_PORT = 21200;
let work: string;

beforeAll(() => {
  work = bundleWorkloadEntry('rolling-restart-sim-');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('rolling-restart on the simulator, with real workload processes', () => {
  it('restarts 3 units one at a time: at least N - 1 answer after every hook, and all serve the new greeting', async () => {
    const units = 3;
    const sim = await Simulator.create({
      mode: 'in-process',
      charm: RollingRestartCharm,
      meta: loadCharmMeta(charmDir),
      units,
      seed: 5,
      config: { workload: 'local-process', port: BASE_PORT, greeting: 'hello' },
    });
    const unitDir = (unit: string) => join(sim.workDir, 'units', unit.replace('/', '-'));
    let rolling = false;
    let minHealthy = units;
    sim.addInvariant('at least N - 1 workloads answer during the roll', (world) => {
      if (!rolling) return true;
      const healthy = Object.keys(world.units).filter((u) =>
        answers(BASE_PORT + Number(u.split('/')[1])),
      ).length;
      minHealthy = Math.min(minHealthy, healthy);
      return healthy >= units - 1 || `only ${healthy} of ${units} workloads answer`;
    });
    try {
      expect((await sim.settle()).settled).toBe(true);
      const before = await Promise.all(
        [0, 1, 2].map(
          async (n) =>
            (await (await fetch(`http://127.0.0.1:${BASE_PORT + n}/`)).json()) as {
              pid: number;
              greeting: string;
            },
        ),
      );
      expect(before.map((b) => b.greeting)).toEqual(['hello', 'hello', 'hello']);

      rolling = true;
      sim.setConfig({ greeting: 'bonjour' });
      const rolled = await sim.settle();
      expect(rolled.settled, sim.trace.format()).toBe(true);
      expect(sim.violations).toEqual([]);
      const after = await Promise.all(
        [0, 1, 2].map(
          async (n) =>
            (await (await fetch(`http://127.0.0.1:${BASE_PORT + n}/`)).json()) as {
              pid: number;
              greeting: string;
            },
        ),
      );
      expect(after.map((a) => a.greeting)).toEqual(['bonjour', 'bonjour', 'bonjour']);
      // Each workload process really was replaced.
      for (const [i, a] of after.entries()) expect(a.pid).not.toBe(before[i]?.pid);
      expect(minHealthy).toBeGreaterThanOrEqual(units - 1);
      for (const unit of Object.keys(sim.snapshot().units)) {
        expect(sim.snapshot().units[unit]?.workloadStatus).toEqual({
          status: 'active',
          message: 'serving "bonjour"',
        });
      }
    } finally {
      for (const unit of Object.keys(sim.snapshot().units)) {
        if (existsSync(unitDir(unit))) await new LocalProcessRestarter(unitDir(unit), '', 0, '').stop();
      }
      await sim.close();
    }
  }, 60_000);
});
