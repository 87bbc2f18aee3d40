import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILT_CHARM_META_FILE, NO_SKIP_MARKER, QUEUE_EMPTY_MARKER } from '@charmkit/ops/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCharm, buildCharm, DISPATCH_SCRIPT } from '../../src/build/index.js';

const charmDir = join(import.meta.dirname, '../fixtures/skip-charm');
const work = mkdtempSync(join(tmpdir(), 'charmkit-skip-'));
const tools = join(work, 'tools');
let built: BuiltCharm;

beforeAll(async () => {
  built = await buildCharm({ charmDir, outDir: join(work, 'charm') });
  mkdirSync(tools);
  // Fake hook tools: config-get answers from $MODE; the rest succeed silently.
  const fakes: Record<string, string> = {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    'config-get': 'printf \'{"mode":"%s"}\\n\' "${MODE:-}"',
    'status-set': '',
    'juju-log': '',
    'is-leader': 'echo true',
  };
  for (const [tool, body] of Object.entries(fakes)) {
    writeFileSync(join(tools, tool), `#!/bin/sh\n${body}\n`);
    chmodSync(join(tools, tool), 0o755);
  }
}, 180_000); // a build (esbuild + the build-time probe) on a loaded CI machine
afterAll(() => rmSync(work, { recursive: true, force: true }));

function hook(
  name: string,
  extra: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const dir = built.outDir;
  const result = spawnSync(join(dir, 'dispatch'), [], {
    cwd: dir,
    env: {
      PATH: `${tools}:${dirname(process.execPath)}:/usr/bin:/bin`,
      JUJU_CHARM_DIR: dir,
      JUJU_UNIT_NAME: 'skip-charm/0',
      JUJU_MODEL_NAME: 'test',
      JUJU_DISPATCH_PATH: `hooks/${name}`,
      ...extra,
    },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const skipped = (name: string) => `charmkit: skipped hooks/${name}`;

// Every test starts built hooks as Node processes.
describe('a built charm skips the hooks it does not observe', { timeout: 60_000 }, () => {
  it('probes the charm at build time and writes the manifest and a skipping dispatch script', () => {
    expect(built.probeError).toBeNull();
    expect(built.dispatchManifest).toEqual({
      format: 'charmkit-dispatch/1',
      skippable: true,
      reasons: [],
      observed: ['config_changed'],
    });
    expect(readFileSync(built.dispatch, 'utf8')).toContain(`[ -e ${QUEUE_EMPTY_MARKER} ]`);
    expect(existsSync(join(built.outDir, 'dist', BUILT_CHARM_META_FILE))).toBe(true);
  });

  it('runs Node until the framework has recorded an empty queue, then skips only unobserved hooks', () => {
    const first = hook('start');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('DEBUG');
    expect(existsSync(join(built.outDir, QUEUE_EMPTY_MARKER))).toBe(true);

    expect(hook('start')).toMatchObject({
      code: 0,
      stdout: `${skipped('start')} (nothing observes it, no deferred event pending)\n`,
    });
    expect(hook('cluster-relation-changed').stdout).toContain(skipped('cluster-relation-changed'));
    expect(hook('config-changed').stdout).toContain('DEBUG Emitting Juju event config_changed.');
    // Asked not to skip:
    expect(hook('start', { CHARMKIT_NO_SKIP: '1' }).stdout).toContain('DEBUG');
  });

  it('never skips while a deferred event is pending', () => {
    expect(hook('config-changed', { MODE: 'defer' }).code).toBe(0);
    expect(existsSync(join(built.outDir, QUEUE_EMPTY_MARKER))).toBe(false);
    const start = hook('start', { MODE: 'defer' });
    expect(start.stdout).toContain('Re-emitting deferred SkipCharm/on/config_changed');
    const done = hook('start');
    expect(done.stdout).toContain('Re-emitting deferred SkipCharm/on/config_changed');
    expect(existsSync(join(built.outDir, QUEUE_EMPTY_MARKER))).toBe(true);
    expect(hook('start').stdout).toContain(skipped('start'));
  });

  it('stops skipping for good when the charm no longer matches its manifest', () => {
    const manifestPath = join(built.outDir, 'dist', 'dispatch-manifest.json');
    const original = readFileSync(manifestPath, 'utf8');
    try {
      // As if the build had seen fewer observers than the charm has at run time.
      writeFileSync(manifestPath, original.replace('"config_changed"', '"update_status"'));
      expect(hook('config-changed').code).toBe(0);
      expect(readFileSync(join(built.outDir, NO_SKIP_MARKER), 'utf8')).toContain('config_changed');
      expect(hook('start').stdout).toContain('DEBUG');
    } finally {
      writeFileSync(manifestPath, original);
      rmSync(join(built.outDir, NO_SKIP_MARKER), { force: true });
    }
  });

  it('reads the YAML metadata (a lazily loaded chunk) when the built JSON is gone', () => {
    rmSync(join(built.outDir, 'dist', BUILT_CHARM_META_FILE));
    const result = hook('config-changed');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('DEBUG Emitting Juju event config_changed.');
  });

  it('writes the plain dispatch script when asked not to skip', async () => {
    const plain = await buildCharm({ charmDir, outDir: join(work, 'plain'), skipUnobservedHooks: false });
    expect(plain.dispatchManifest).toBeNull();
    expect(readFileSync(plain.dispatch, 'utf8')).toBe(DISPATCH_SCRIPT);
  });
});

describe('a built charm with a startup snapshot', { timeout: 180_000 }, () => {
  it('starts hooks from the snapshot, and without it once Node refuses it', async () => {
    const snap = await buildCharm({ charmDir, outDir: join(work, 'snapshot'), startupSnapshot: true });
    expect(snap.snapshotError).toBeNull();
    expect(snap.snapshot).toBe(join(snap.outDir, 'dist', 'charm.blob'));
    const run = (name: string) =>
      spawnSync(snap.dispatch, [], {
        cwd: snap.outDir,
        env: {
          PATH: `${tools}:${dirname(process.execPath)}:/usr/bin:/bin`,
          JUJU_CHARM_DIR: snap.outDir,
          JUJU_UNIT_NAME: 'skip-charm/0',
          JUJU_MODEL_NAME: 'test',
          JUJU_DISPATCH_PATH: `hooks/${name}`,
        },
        encoding: 'utf8',
      });
    const first = run('config-changed');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('DEBUG Emitting Juju event config_changed.');

    // As if another Node version had built it: Node exits 14 before running anything.
    const blob = readFileSync(snap.snapshot as string);
    const version = Buffer.from(process.versions.node);
    const at = blob.indexOf(version);
    blob.write('0'.repeat(version.length), at);
    writeFileSync(snap.snapshot as string, blob);
    const second = run('config-changed');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain('cannot start from dist/charm.blob');
    expect(second.stdout).toContain('DEBUG Emitting Juju event config_changed.');
    expect(existsSync(snap.snapshot as string)).toBe(false);
  });
});
