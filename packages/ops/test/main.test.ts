import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActiveStatus, CharmBase, type ConfigChangedEvent, type Framework, main } from '../src/index.js';
import { SqliteStorage } from '../src/internal/index.js';
import { FakeHookTools } from './hook-tools/fake-hook-tools.js';

let fake: FakeHookTools;
let charmDir: string;
let stderr: string;
let stdout: string;

beforeEach(() => {
  fake = new FakeHookTools();
  charmDir = mkdtempSync(join(tmpdir(), 'charmkit-main-'));
  writeFileSync(
    join(charmDir, 'metadata.yaml'),
    'name: web\npeers:\n  cluster:\n    interface: web-cluster\n',
  );
  writeFileSync(join(charmDir, 'config.yaml'), 'options:\n  port:\n    type: int\n    default: 8080\n');
  stderr = '';
  stdout = '';
});
afterEach(() => {
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
    stdout: (t) => {
      stdout += t;
    },
  });

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  readonly stored = this.storedState('stored', { port: 0 });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.leaderElected, this.onLeaderElected);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
  }
  onConfigChanged(_event: ConfigChangedEvent): void {
    this.stored.port = Number(this.config.port);
    this.unit.status = new ActiveStatus(`port ${this.config.port}`);
  }
  onLeaderElected(): void {
    const peers = this.model.getRelation('cluster');
    peers?.appData.set('a', '1');
    peers?.appData.set('b', '2');
    peers?.appData.update({ c: '3' });
  }
  onUpdateStatus(): void {
    if (this.stored.port === 0) throw new Error('no port yet');
  }
}

describe('main()', () => {
  it('runs a config-changed with two hook tools and commits stored state', async () => {
    fake.respond('config-get', { stdout: '{"port":8080}\n' });
    expect(await run(WebCharm, 'hooks/config-changed')).toBe(0);
    expect(fake.commandLines()).toEqual([
      ['config-get', '--format=json'],
      ['status-set', '--', 'active', 'port 8080'],
    ]);
    const storage = new SqliteStorage(join(charmDir, '.unit-state.db'));
    storage.begin();
    expect(storage.loadSnapshot('WebCharm/StoredStateData[stored]')).toBe('{"port":8080}');
    storage.close();
    expect(stdout).toContain('DEBUG Emitting Juju event config_changed.');
    expect(stderr).toBe('');
  });

  it('spawns nothing for a no-op update-status', async () => {
    class Noop extends CharmBase {
      static override readonly handleKind = 'Noop';
    }
    expect(await run(Noop, 'hooks/update-status')).toBe(0);
    expect(fake.commandLines()).toEqual([]);
  });

  it('writes three peer app-data keys in one relation-set', async () => {
    fake.respond('is-leader', { stdout: 'true\n' });
    fake.respond('relation-ids', { stdout: '["cluster:3"]\n' });
    expect(await run(WebCharm, 'hooks/leader-elected')).toBe(0);
    const lines = fake.commandLines();
    expect(lines.map((l) => l[0])).toEqual(['relation-ids', 'is-leader', 'relation-set']);
    const set = fake.calls().find((c) => c.tool === 'relation-set');
    expect(set?.args).toContain('--app');
    expect(JSON.parse(set?.stdin ?? '')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('fails the hook with exit 1, the stack in juju-log ERROR and on stderr, and rolls back', async () => {
    expect(await run(WebCharm, 'hooks/update-status')).toBe(1);
    expect(stderr).toMatch(/charmkit: the hook failed: Error: no port yet\n\s+at WebCharm.onUpdateStatus/);
    const log = fake.calls().find((c) => c.tool === 'juju-log');
    expect(log?.args.slice(0, 2)).toEqual(['--log-level', 'ERROR']);
    expect(log?.args.at(-1)).toMatch(/^Uncaught error in the charm: Error: no port yet\n\s+at /);
  });

  it('fails clearly without metadata, naming the directory', async () => {
    rmSync(join(charmDir, 'metadata.yaml'));
    expect(await run(WebCharm, 'hooks/install')).toBe(1);
    expect(stderr).toContain(`no metadata.yaml or charmcraft.yaml in the charm directory ${charmDir}`);
  });

  // The re-entrancy guard (a dispatch already running in this or a parent process) and storage
  // faults are covered in main-faults.test.ts.
});
