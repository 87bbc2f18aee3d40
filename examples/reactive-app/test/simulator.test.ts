import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The simulator and buildCharm are not exported from @charmkit/testing yet; switch to the
// package entry once they are.
import { buildCharm, Simulator } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeSystemctl, systemctlCalls } from './helpers/fake-systemctl.js';

const exampleDir = join(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'reactive-app-built-'));
let fakeBin: string;

beforeAll(async () => {
  await buildCharm({ charmDir: exampleDir, outDir });
  // The build carries the charm's reactive/ handlers, executable as they were.
  if (!(statSync(join(outDir, 'reactive', 'restart-service.sh')).mode & 0o100))
    throw new Error('reactive/ handler not copied executable');
  fakeBin = installFakeSystemctl();
}, 180_000); // a build on a loaded CI machine
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

const credentials = { host: '10.1.2.3', port: '5432', user: 'myapp', password: 'db-secret' };

describe('reactive-app on the simulator (process mode: the built charm, real processes, bash)', () => {
  it('waits for the database, then renders and restarts once; a new password restarts once more', async () => {
    const sim = await Simulator.create({
      mode: 'process',
      charmDir: outDir,
      units: 1,
      config: { 'admin-pass': 'correct-horse', 'config-file': 'app.conf' },
      // The relation exists, but the provider has published nothing yet.
      remoteApps: [{ app: 'postgresql', endpoint: 'db' }],
    });
    try {
      const unit = 'reactive-app/0';
      const unitDir = join(sim.workDir, 'units', 'reactive-app-0', 'charm');
      expect((await sim.settle()).settled).toBe(true);
      expect(sim.snapshot().units[unit]?.status).toMatchObject({
        status: 'waiting',
        message: 'Waiting on database',
      });
      expect(systemctlCalls(unitDir)).toEqual([]);
      const [relationId] = sim.relationIds('db');
      expect(sim.snapshot().relations.find((r) => r.endpoint === 'db')?.unitData[unit]?.database).toBe(
        'myapp',
      );

      sim.setRemoteUnitData(relationId as number, 'postgresql/0', credentials);
      expect((await sim.settle()).settled).toBe(true);
      expect(sim.snapshot().units[unit]?.status).toMatchObject({ status: 'active' });
      expect(readFileSync(join(unitDir, 'app.conf'), 'utf8')).toContain('myapp:db-secret@10.1.2.3:5432');
      expect(systemctlCalls(unitDir)).toEqual(['restart myapp']);

      sim.setConfig({ 'admin-pass': 'battery-staple' });
      expect((await sim.settle()).settled).toBe(true);
      expect(systemctlCalls(unitDir)).toEqual(['restart myapp', 'restart myapp']);

      // The trace: handler runs are logged at INFO (through juju-log) per hook.
      const byHook = new Map<number, string[]>();
      for (const line of sim.logs(unit)) {
        // In relation hooks juju-log prefixes messages with the relation (`db:0: `).
        const match = /^(?:\S+:\d+: )?reactive: (\S+): (hook phase|round \d+): (.+)$/.exec(line.message);
        if (match)
          byHook.set(line.hookIndex, [...(byHook.get(line.hookIndex) ?? []), `${match[2]}: ${match[3]}`]);
      }
      const hooks = sim.trace.hooks.map((h) => `${h.hook}: ${(byHook.get(h.index) ?? []).join(', ') || '-'}`);
      expect(hooks.filter((h) => !h.endsWith(': -'))).toEqual([
        'db-relation-joined: round 0: db.requestDatabase, round 0: db.updateAvailable',
        'db-relation-changed: round 0: db.updateAvailable, round 1: renderConfig, round 2: reactive/restart-service.sh:restart_service',
        'update-status: round 0: renderConfig',
        'config-changed: round 0: renderConfig, round 1: reactive/restart-service.sh:restart_service',
        'update-status: round 0: renderConfig',
      ]);
    } finally {
      await sim.close();
    }
  }, 60_000);
});
