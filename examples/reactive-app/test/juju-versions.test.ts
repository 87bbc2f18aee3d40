// The built charm (its bash handler included) as real processes, under Juju 3.6 and Juju 4,
// through a whole life with the database already answering: deploy, leader change, config
// change, scale up, scale down (the leader). Each unit renders and restarts its service once at
// deploy and once for the new admin password; nothing else restarts anything.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCharm, runLifecycle, Simulator } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeSystemctl, systemctlCalls } from './helpers/fake-systemctl.js';

const outDir = mkdtempSync(join(tmpdir(), 'reactive-app-built-'));
let fakeBin: string;
beforeAll(async () => {
  await buildCharm({ charmDir: join(import.meta.dirname, '..'), outDir });
  fakeBin = installFakeSystemctl();
}, 180_000); // a build on a loaded CI machine
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

const credentials = { host: '10.1.2.3', port: '5432', user: 'myapp', password: 'db-secret' };

describe.each(['3.6', '4'])('reactive-app as real processes, Juju %s', (juju) => {
  it('renders and restarts once per change, on every unit, through a whole life', async () => {
    const sim = await Simulator.create({
      juju,
      mode: 'process',
      charmDir: outDir,
      units: 3,
      seed: 11,
      config: { 'admin-pass': 'correct-horse', 'config-file': 'app.conf' },
      remoteApps: [{ app: 'postgresql', endpoint: 'db', unitData: { 'postgresql/0': credentials } }],
    });
    const dirOf = (unit: string) => join(sim.workDir, 'units', unit.replace('/', '-'), 'charm');
    try {
      await runLifecycle(sim, {
        config: { 'admin-pass': 'battery-staple' },
        after: (phase, s) => {
          const changed = !(phase.name === 'deploy' || phase.name === 'leader-change');
          for (const [unit, info] of Object.entries(s.snapshot().units)) {
            expect(info.workloadStatus.status, `${phase.name} ${unit}`).toBe('active');
            const conf = readFileSync(join(dirOf(unit), 'app.conf'), 'utf8');
            expect(conf).toContain('myapp:db-secret@10.1.2.3:5432');
            expect(conf).toContain(changed ? 'battery-staple' : 'correct-horse');
            // A unit deployed after the change restarts once, with the new password.
            const born = Number(unit.split('/')[1]) >= 3;
            const expected = changed && !born ? 2 : 1;
            expect(systemctlCalls(dirOf(unit)), `${phase.name} ${unit}`).toEqual(
              Array(expected).fill('restart myapp'),
            );
          }
        },
      });
      expect(Object.keys(sim.snapshot().units)).toHaveLength(3);
      const hooks = sim.trace.hooks;
      expect(hooks.every((h) => h.outcome === 'ok')).toBe(true);
      if (juju === '4') {
        expect(hooks.map((h) => h.hook)).not.toContain('leader-settings-changed');
        const tools = new Set(hooks.flatMap((h) => h.toolCalls.map((c) => c.tool)));
        expect(tools.has('leader-get') || tools.has('leader-set')).toBe(false);
      }
    } finally {
      await sim.close();
    }
  }, 180_000);
});
