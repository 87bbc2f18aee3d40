// The built charm as real processes, under Juju 3.6 and Juju 4, through a whole life: deploy,
// leader change, config change, scale up, scale down (the leader). The password chosen at deploy
// stays the one every unit holds; on Juju 4 nothing touches leader settings.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCharm, runLifecycle, type SimSnapshot, Simulator } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'leadership-password-built-'));
beforeAll(async () => {
  await buildCharm({ charmDir: join(import.meta.dirname, '..'), outDir });
}, 180_000); // a build on a loaded CI machine
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function published(world: SimSnapshot): string | undefined {
  return world.relations.find((r) => r.endpoint === 'cluster')?.appData['leadership-password']?.[
    'admin-password'
  ];
}

describe.each(['3.6', '4'])('leadership-password as real processes, Juju %s', (juju) => {
  it('keeps one password through deploy, leader change, config change, scale up and down', async () => {
    const sim = await Simulator.create({
      juju,
      mode: 'process',
      charmDir: outDir,
      units: 3,
      seed: 7,
      config: { 'password-file': 'secret/admin-password' },
    });
    const fileOf = (unit: string, file: string) =>
      join(sim.workDir, 'units', unit.replace('/', '-'), 'charm', file);
    let password: string | undefined;
    try {
      const phases = await runLifecycle(sim, {
        // Moving the file: every unit writes the same password to the new place.
        config: { 'password-file': 'moved/admin-password' },
        after: (phase, s) => {
          const world = s.snapshot();
          password ??= published(world);
          expect(published(world), phase.name).toBe(password);
          const file = phase.name === 'deploy' || phase.name === 'leader-change' ? 'secret' : 'moved';
          for (const [unit, info] of Object.entries(world.units)) {
            expect(
              readFileSync(fileOf(unit, `${file}/admin-password`), 'utf8'),
              `${phase.name} ${unit}`,
            ).toBe(password);
            expect(info.workloadStatus, `${phase.name} ${unit}`).toEqual({
              status: 'active',
              message: 'password ready',
            });
          }
        },
      });
      expect(phases.map((p) => p.name)).toEqual([
        'deploy',
        'leader-change',
        'config-change',
        'scale-up',
        'scale-down',
      ]);
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Object.keys(sim.snapshot().units)).toHaveLength(3);
      expect(existsSync(fileOf('leadership-password/3', 'moved/admin-password'))).toBe(true);
      const hooks = sim.trace.hooks;
      expect(hooks.every((h) => h.outcome === 'ok')).toBe(true);
      const tools = new Set(hooks.flatMap((h) => h.toolCalls.map((c) => c.tool)));
      if (juju === '4') {
        expect(hooks.map((h) => h.hook)).not.toContain('leader-settings-changed');
        expect(tools.has('leader-get') || tools.has('leader-set')).toBe(false);
      } else {
        expect(hooks.map((h) => h.hook)).toContain('leader-settings-changed');
      }
    } finally {
      await sim.close();
    }
  }, 180_000);
});
