import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmMeta } from '@charmkit/ops';
import { type SimSnapshot, Simulator } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { LeadershipPasswordCharm } from '../src/leadership-password-charm.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const meta = loadCharmMeta(charmDir);
const FILE = 'secret/admin-password';

function published(world: SimSnapshot): string | undefined {
  return world.relations.find((r) => r.endpoint === 'cluster')?.appData['leadership-password']?.[
    'admin-password'
  ];
}

/** Runs a deploy with the given faults and checks the seed's promises after every hook. */
async function deploy(
  units: number,
  seed: number,
  extra: (sim: Simulator) => Promise<void> = async () => undefined,
  juju = '4',
) {
  const sim = await Simulator.create({
    juju,
    mode: 'in-process',
    charm: LeadershipPasswordCharm,
    meta,
    units,
    seed,
    config: { 'password-file': FILE },
    faults: { seed: seed * 7 + 1, hookFailure: 0.05, leaderChange: 0.03, maxTopologyChanges: 3 },
  });
  let first: string | undefined;
  const fileOf = (unit: string) => join(sim.workDir, 'units', unit.replace('/', '-'), FILE);
  sim.addInvariant('the password never changes once set', (world) => {
    const now = published(world);
    if (first === undefined) first = now;
    return now === first || `the password changed from ${first} to ${now}`;
  });
  sim.addInvariant('no unit writes an empty, partial or foreign password, and files are 0600', (world) => {
    for (const unit of Object.keys(world.units)) {
      const path = fileOf(unit);
      if (!existsSync(path)) continue;
      const content = readFileSync(path, 'utf8');
      if (content !== published(world)) return `${unit} wrote ${JSON.stringify(content)}`;
      if ((statSync(path).mode & 0o777) !== 0o600)
        return `${unit}'s file mode is ${(statSync(path).mode & 0o777).toString(8)}`;
    }
    return true;
  });
  await sim.settle({ maxHooks: 5000 });
  await extra(sim);
  const result = await sim.settle({ maxHooks: 5000 });
  return { sim, result, fileOf };
}

describe.each(['3.6', '4'])('leadership-password on the simulator, Juju %s', (juju) => {
  for (const units of [3, 7]) {
    it(`${units} units, with a leader change mid-run and a unit added late, agree on one password`, async () => {
      for (const seed of [1, 2, 3]) {
        const { sim, result, fileOf } = await deploy(
          units,
          seed,
          async (s) => {
            const others = Object.keys(s.snapshot().units).filter((u) => u !== s.leader);
            s.changeLeader(others[0]);
            await s.settle({ maxHooks: 5000 });
            await s.addUnit();
          },
          juju,
        );
        try {
          expect(result.settled, sim.trace.format()).toBe(true);
          expect(sim.violations).toEqual([]);
          const world = sim.snapshot();
          const password = published(world);
          expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
          for (const [unit, info] of Object.entries(world.units)) {
            expect(readFileSync(fileOf(unit), 'utf8')).toBe(password);
            expect(info.workloadStatus).toEqual({ status: 'active', message: 'password ready' });
          }
          expect(Object.keys(world.units)).toHaveLength(units + 1);
        } finally {
          await sim.close();
        }
      }
    }, 60_000);
  }
});
