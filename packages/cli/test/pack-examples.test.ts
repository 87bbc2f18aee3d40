import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Simulator } from '@charmkit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { initCommand, packCommand } from '../src/index.js';
import { captureIo, removeTempDirs, repoDir, repoTempDir, tempDir } from './helpers.js';
import { zipFiles, zipModes } from './zip-reader.js';

// Every example with an entry, and a charm fresh from `charmkit init`: pack it, unpack the .charm
// as Juju would, and deploy one unit of what was unpacked on the simulator in process mode.
const examples = readdirSync(join(repoDir, 'examples'))
  .filter((name) => existsSync(join(repoDir, 'examples', name, 'src', 'charm.ts')))
  .map((name) => ({ name, dir: join(repoDir, 'examples', name) }));
const scratch = repoTempDir('init-');
const initDir = join(scratch, 'hello-charm');
initCommand(initDir, {}, captureIo(scratch));

const sims: Simulator[] = [];
afterAll(async () => {
  for (const sim of sims) await sim.close();
  removeTempDirs();
});

function unpack(zip: Uint8Array): string {
  const dir = tempDir('charmkit-unpacked-');
  const modes = zipModes(zip);
  for (const [path, data] of Object.entries(zipFiles(zip))) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
    chmodSync(full, modes.get(path) ?? 0o644);
  }
  return dir;
}

describe('charmkit pack → unpacked .charm → simulator (process mode)', () => {
  for (const example of [...examples, { name: 'charmkit init', dir: initDir }]) {
    it(`${example.name}: packs in charmcraft's layout and deploys`, async () => {
      const out = tempDir('charmkit-pack-');
      const result = await packCommand(example.dir, { out, base: 'ubuntu@24.04' }, captureIo(repoDir));
      const zip = new Uint8Array(readFileSync(result.charmFile));
      const modes = zipModes(zip);
      expect(modes.get('dispatch')).toBe(0o755);
      expect(modes.get('hooks/install')).toBe(0o755);
      expect(result.files).toEqual(
        expect.arrayContaining([
          'dispatch',
          'manifest.yaml',
          'metadata.yaml',
          'dist/charm.cjs',
          'dist/better_sqlite3.node',
          'bin/node',
        ]),
      );
      // No startup snapshot unless asked for (on Node 24 the compile cache alone is faster).
      expect(result.snapshot).toBe(false);
      expect(result.files).not.toContain('dist/charm.blob');
      expect(new TextDecoder().decode(zipFiles(zip)['manifest.yaml'])).toMatch(
        /bases:\n {2}- name: ubuntu\n {4}channel: "24.04"/,
      );

      const sim = await Simulator.create({ mode: 'process', charmDir: unpack(zip), units: 1, seed: 3 });
      sims.push(sim);
      const settled = await sim.settle({ updateStatusRounds: 0 });
      expect(settled.settled, settled.report).toBe(true);
      const unit = Object.values(sim.snapshot().units)[0];
      expect(unit?.status.status).not.toBe('error');
      expect(sim.trace.hooks.map((h) => h.hook)).toContain('start');
    }, 600_000); // the first pack on a machine fetches Node and compiles the addon
  }
});
