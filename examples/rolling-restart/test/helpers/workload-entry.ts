import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { RollingRestartCharm } from '../../src/rolling-restart-charm.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles the charm's entry into a fresh temp dir and makes it the demo workload's program, as a
 * built charm's `dist/charm.mjs` would be. Returns the temp dir (remove it after the tests).
 */
export function bundleWorkloadEntry(prefix: string): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const entry = join(work, 'charm.mjs');
  buildSync({
    entryPoints: [join(charmDir, 'src', 'charm.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: entry,
    conditions: ['@charmkit/source'],
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  RollingRestartCharm.workloadEntry = entry;
  return work;
}
