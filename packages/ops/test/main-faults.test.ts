import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActiveStatus, CharmBase, type Framework, main } from '../src/index.js';
import { SqliteStorage } from '../src/internal/index.js';
import { connectionOf } from '../src/storage/sqlite-storage.js';
import { FakeHookTools } from './hook-tools/fake-hook-tools.js';

const here = dirname(fileURLToPath(import.meta.url));
let fake: FakeHookTools;
let charmDir: string;
let stderr: string;

beforeEach(() => {
  fake = new FakeHookTools();
  charmDir = mkdtempSync(join(tmpdir(), 'charmkit-main-faults-'));
  writeFileSync(join(charmDir, 'metadata.yaml'), 'name: web\n');
  stderr = '';
});
afterEach(() => {
  vi.restoreAllMocks();
  fake.dispose();
  rmSync(charmDir, { recursive: true, force: true });
});

const run = (charm: Parameters<typeof main>[0], hook: string, extra: Record<string, string> = {}) =>
  main(charm, {
    env: fake.env({ JUJU_UNIT_NAME: 'web/0', JUJU_CHARM_DIR: charmDir, JUJU_DISPATCH_PATH: hook, ...extra }),
    exit: false,
    stderr: (t) => {
      stderr += t;
    },
    stdout: () => undefined,
  });

const errorLogs = () =>
  fake
    .calls()
    .filter((c) => c.tool === 'juju-log' && c.args.includes('ERROR'))
    .map((c) => c.args.at(-1) ?? '');

/** Fills the database up in its handler: the stored-state write at commit hits SQLITE_FULL. */
class FillsDisk extends CharmBase {
  static override readonly handleKind = 'FillsDisk';
  readonly stored = this.storedState('stored', { blob: '' });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.install, this.onInstall);
  }
  onInstall(): void {
    const db = connectionOf(this.framework.storage as SqliteStorage);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    this.stored.blob = 'x'.repeat(200_000);
  }
}

class Quiet extends CharmBase {
  static override readonly handleKind = 'Quiet';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.install, this.onInstall);
  }
  onInstall(): void {
    this.unit.status = new ActiveStatus('installed');
  }
}

describe('main() under storage faults', () => {
  it('on a full disk ends with exit 1 and the real SQLITE_FULL reason, and nothing escapes', async () => {
    const code = await run(FillsDisk, 'hooks/install');
    expect(code).toBe(1);
    expect(stderr).toMatch(/charmkit: the hook failed: .*database or disk is full/);
    expect(stderr).not.toMatch(/cannot rollback|no transaction is active/);
    expect(stderr.match(/charmkit: the hook failed/g)).toHaveLength(1);
    const logs = errorLogs();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/database or disk is full/);
  });

  it('reports a close() failure after a failed hook briefly, never in place of the first error', async () => {
    vi.spyOn(SqliteStorage.prototype, 'close').mockImplementation(() => {
      throw new Error('close exploded');
    });
    const code = await run(FillsDisk, 'hooks/install');
    expect(code).toBe(1);
    expect(stderr).toMatch(/charmkit: the hook failed: .*database or disk is full/);
    expect(stderr).toContain('charmkit: closing the unit-state storage failed as well: close exploded');
    expect(errorLogs()).toHaveLength(1);
  });

  it('fails with exit 1 and a clear message when close() fails after a successful dispatch', async () => {
    vi.spyOn(SqliteStorage.prototype, 'close').mockImplementation(() => {
      throw new Error('close exploded');
    });
    const code = await run(Quiet, 'hooks/install');
    expect(code).toBe(1);
    expect(stderr).toMatch(/charmkit: the hook ran but closing its storage failed: Error: close exploded/);
    expect(errorLogs()[0]).toMatch(/^Closing the unit-state storage failed: Error: close exploded/);
  });
});

describe('the dispatch re-entrancy guard', () => {
  it('cannot be triggered from the environment: CHARMKIT_DISPATCH=1 from Juju or an operator is ignored', async () => {
    expect(await run(Quiet, 'hooks/install', { CHARMKIT_DISPATCH: '1' })).toBe(0);
    expect(fake.commandLines()).toContainEqual(['status-set', '--', 'active', 'installed']);
  });

  it('ignores a stale marker left by a dead process', async () => {
    writeFileSync(join(charmDir, '.charmkit-dispatching'), '999999999 1\n');
    expect(await run(Quiet, 'hooks/install')).toBe(0);
    expect(fake.commandLines()).toContainEqual(['status-set', '--', 'active', 'installed']);
  });

  it('makes main() called again inside a handler do nothing', async () => {
    let inner: number | undefined;
    class Nested extends CharmBase {
      static override readonly handleKind = 'Nested';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.install, this.onInstall);
      }
      async onInstall(): Promise<void> {
        inner = await run(Quiet, 'hooks/install');
      }
    }
    expect(await run(Nested, 'hooks/install')).toBe(0);
    expect(inner).toBe(0);
    expect(stderr).toContain('a dispatch of this charm is already running in this process; doing nothing');
    expect(fake.commandLines()).not.toContainEqual(['status-set', '--', 'active', 'installed']);
  });

  describe('across processes', () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'charmkit-reentrant-')), 'reentrant-charm.mjs');
    buildSync({
      entryPoints: [join(here, 'fixtures', 'reentrant-charm.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'silent',
      nodePaths: [join(here, '..', 'node_modules'), join(here, '..', '..', '..', 'node_modules')],
    });
    afterAll(() => rmSync(dirname(bundle), { recursive: true, force: true }));

    it('a charm that runs itself again does nothing in the child, and workloads never see CHARMKIT_DISPATCH', async () => {
      const exit = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [bundle, 'parent'], {
          env: {
            ...fake.env({
              JUJU_UNIT_NAME: 'web/0',
              JUJU_CHARM_DIR: charmDir,
              JUJU_DISPATCH_PATH: 'hooks/config-changed',
            }),
            BETTER_SQLITE3_NODE: createRequire(import.meta.url).resolve(
              'better-sqlite3/build/Release/better_sqlite3.node',
            ),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code));
      });
      expect(stderr).toBe('');
      expect(exit).toBe(0);
      const out = readFileSync(join(charmDir, 'out.log'), 'utf8');
      expect(out).toContain('workload sees CHARMKIT_DISPATCH=unset');
      expect(out).toContain('child exit 0');
      expect(out).toMatch(/a dispatch of this charm is already running in parent process \d+; doing nothing/);
      expect(out).not.toContain('CHILD-RAN');
    }, 120_000);
  });
});

describe('main() and secret content files left by a killed hook', () => {
  it('removes <charm dir>/.charmkit-tmp before the dispatch runs', async () => {
    const { mkdirSync, existsSync } = await import('node:fs');
    const left = join(charmDir, '.charmkit-tmp');
    mkdirSync(left, { mode: 0o700 });
    writeFileSync(join(left, 'secret-add-1'), 'password=hunter2\n', { mode: 0o600 });
    expect(await run(Quiet, 'hooks/install')).toBe(0);
    expect(existsSync(left)).toBe(false);
  });
});
