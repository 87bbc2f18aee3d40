import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCharm, buildCharm } from '../../src/build/index.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const work = mkdtempSync(join(tmpdir(), 'charmkit-bundle-format-'));
const tools = join(work, 'tools');
const statusLog = join(work, 'status.log');

beforeAll(() => {
  mkdirSync(tools);
  // status-set records its arguments; the other tools succeed silently.
  writeFileSync(join(tools, 'status-set'), `#!/bin/sh\necho "$*" >> ${statusLog}\n`);
  writeFileSync(join(tools, 'juju-log'), '#!/bin/sh\n');
  for (const tool of ['status-set', 'juju-log']) chmodSync(join(tools, tool), 0o755);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `install` of a built charm and returns the status it set. */
function install(built: BuiltCharm): string {
  rmSync(statusLog, { force: true });
  const run = spawnSync(join(built.outDir, 'dispatch'), [], {
    cwd: built.outDir,
    env: {
      PATH: `${tools}:${dirname(process.execPath)}:/usr/bin:/bin`,
      JUJU_CHARM_DIR: built.outDir,
      JUJU_UNIT_NAME: `${basename(built.outDir)}/0`,
      JUJU_MODEL_NAME: 'test',
      JUJU_DISPATCH_PATH: 'hooks/install',
    },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(statusLog, 'utf8').trim();
}

describe('the bundle format', { timeout: 120_000 }, () => {
  it('cjs: one CommonJS file the dispatch script runs, with import.meta.url its own URL', async () => {
    const built = await buildCharm({
      charmDir: join(fixtures, 'format-charm'),
      outDir: join(work, 'format-charm'),
      format: 'cjs',
    });
    expect(built).toMatchObject({ format: 'cjs', formatNote: null });
    expect(built.bundle).toBe(join(work, 'format-charm', 'dist', 'charm.cjs'));
    expect(existsSync(join(built.outDir, 'dist', 'charm.mjs'))).toBe(false);
    expect(existsSync(join(built.outDir, 'dist', 'chunks'))).toBe(false);
    expect(readFileSync(built.dispatch, 'utf8')).toContain('exec node "$JUJU_CHARM_DIR/dist/charm.cjs"');
    expect(install(built)).toBe('-- active running dist/charm.cjs');

    // Built again as an ES module into the same directory: the CommonJS file does not linger.
    const esm = await buildCharm({ charmDir: join(fixtures, 'format-charm'), outDir: built.outDir });
    expect(esm.format).toBe('esm');
    expect(existsSync(join(built.outDir, 'dist', 'charm.cjs'))).toBe(false);
    expect(install(esm)).toBe('-- active running dist/charm.mjs');
  });

  it('cjs falls back to an ES module for a charm that needs one, and says why', async () => {
    const built = await buildCharm({
      charmDir: join(fixtures, 'esm-only-charm'),
      outDir: join(work, 'esm-only-charm'),
      format: 'cjs',
      splitting: false,
    });
    expect(built.format).toBe('esm');
    expect(built.formatNote).toMatch(/cannot bundle it as CommonJS: .*[Tt]op-level await/);
    expect(existsSync(join(built.outDir, 'dist', 'charm.cjs'))).toBe(false);
    expect(readFileSync(built.dispatch, 'utf8')).toContain('exec node "$JUJU_CHARM_DIR/dist/charm.mjs"');
    expect(install(built)).toBe('-- active ready');
  });
});
