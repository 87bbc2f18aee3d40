import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage, SqliteStorage, type Storage, StorageError, type StoredNotice } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'charmkit-storage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const notice = (sequence: number, extra: Partial<StoredNotice> = {}): StoredNotice => ({
  sequence,
  eventPath: `C/on/e[${sequence}]`,
  observerPath: 'C',
  methodName: 'onE',
  deferredAt: 1000 + sequence,
  failures: 0,
  lastError: null,
  ...extra,
});

const kinds: [string, () => Storage][] = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage(join(dir, '.unit-state.db'))],
];

describe.each(kinds)('%s', (_name, make) => {
  it('commits, rolls back and keeps notices in sequence order', () => {
    const s = make();
    s.begin();
    s.saveSnapshot('a', '{"x":1}');
    s.saveNotice(notice(2));
    s.saveNotice(notice(1));
    s.commit();
    s.begin();
    s.saveSnapshot('a', '{"x":2}');
    s.dropNotice(1);
    s.saveNotice(notice(3));
    s.rollback();
    s.begin();
    expect(s.loadSnapshot('a')).toBe('{"x":1}');
    expect(s.notices().map((n) => n.sequence)).toEqual([1, 2]);
    expect(s.notices()[0]).toEqual(notice(1));
    expect(s.maxSequence()).toBe(2);
    s.commit();
    s.close();
  });

  it('nests savepoints inside the dispatch transaction', () => {
    const s = make();
    s.begin();
    s.saveSnapshot('a', '1');
    s.savepoint();
    s.saveSnapshot('a', '2');
    s.saveNotice(notice(5));
    s.savepoint();
    s.dropSnapshot('a');
    s.rollbackSavepoint();
    expect(s.loadSnapshot('a')).toBe('2');
    s.rollbackSavepoint();
    expect(s.loadSnapshot('a')).toBe('1');
    expect(s.notices()).toEqual([]);
    s.savepoint();
    s.saveSnapshot('b', '3');
    s.releaseSavepoint();
    s.commit();
    s.begin();
    expect(s.loadSnapshot('b')).toBe('3');
    s.close();
  });

  it('parks, requeues and drops notices, keeping their sequence', () => {
    const s = make();
    s.begin();
    s.saveNotice(notice(1));
    s.saveNotice(notice(2));
    s.setNoticeFailures(1, 3, 'Error: boom');
    s.parkNotice(1, 9999);
    expect(s.notices().map((n) => n.sequence)).toEqual([2]);
    expect(s.parkedNotices()).toEqual([
      { ...notice(1), failures: 3, lastError: 'Error: boom', parkedAt: 9999 },
    ]);
    expect(s.maxSequence()).toBe(2);
    s.requeueParkedNotice(1);
    expect(s.notices()).toEqual([notice(1), notice(2)]);
    expect(s.parkedNotices()).toEqual([]);
    s.parkNotice(2, 1);
    s.dropParkedNotice(2);
    expect(s.parkedNotices()).toEqual([]);
    s.commit();
    s.close();
  });
});

describe('SqliteStorage files', () => {
  it('creates the database with mode 0600 and a schema version', () => {
    const path = join(dir, '.unit-state.db');
    const s = new SqliteStorage(path);
    s.begin();
    s.commit();
    s.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT key, value FROM meta ORDER BY key').all()).toEqual([
      { key: 'format', value: 'charmkit' },
      { key: 'schema_version', value: '1' },
    ]);
    db.close();
  });

  it('tightens the mode of an existing database to 0600', () => {
    const path = join(dir, '.unit-state.db');
    new SqliteStorage(path).close();
    execFileSync('chmod', ['0644', path]);
    new SqliteStorage(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not a database, naming it, and leaves it untouched', () => {
    const path = join(dir, '.unit-state.db');
    writeFileSync(
      path,
      'this is not sqlite at all, just some text that is long enough to matter\n'.repeat(50),
    );
    const before = readFileSync(path);
    const attempt = () => {
      const s = new SqliteStorage(path);
      s.begin();
    };
    expect(attempt).toThrow(StorageError);
    expect(attempt).toThrow(`the unit-state database ${path} is corrupt or not a SQLite database`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a damaged database', () => {
    const path = join(dir, '.unit-state.db');
    const s = new SqliteStorage(path);
    s.begin();
    for (let i = 0; i < 200; i++) s.saveSnapshot(`h${i}`, JSON.stringify({ pad: 'x'.repeat(200), i }));
    s.commit();
    s.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 4096, 12288);
    writeFileSync(path, bytes);
    const attempt = () => {
      const t = new SqliteStorage(path);
      t.begin();
      for (let i = 0; i < 200; i++) t.loadSnapshot(`h${i}`);
    };
    expect(attempt).toThrow(path);
  });

  it('refuses a foreign SQLite file such as Python ops state', () => {
    const path = join(dir, '.unit-state.db');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE snapshot (handle TEXT PRIMARY KEY, data BLOB); CREATE TABLE notice (sequence INTEGER PRIMARY KEY AUTOINCREMENT, event_path TEXT, observer_path TEXT, method_name TEXT);',
    );
    db.prepare('INSERT INTO snapshot VALUES (?, ?)').run('StoredStateData[_stored]', Buffer.from([0x80, 4]));
    db.close();
    const s = new SqliteStorage(path);
    expect(() => s.begin()).toThrow(
      /is not a charmkit unit-state database \(tables: notice, snapshot; no meta table\)/,
    );
    s.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    check.close();
  });

  it('refuses a database from a newer charmkit', () => {
    const path = join(dir, '.unit-state.db');
    const s = new SqliteStorage(path);
    s.begin();
    s.commit();
    s.close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    const t = new SqliteStorage(path);
    expect(() => t.begin()).toThrow(/written by a newer charmkit \(schema 99; this one knows up to 1\)/);
    t.close();
  });
});

describe('a hook process killed with SIGKILL', () => {
  const bundle = join(mkdtempSync(join(tmpdir(), 'charmkit-kill-')), 'killed-hook.mjs');
  buildSync({
    entryPoints: [join(here, 'fixtures', 'killed-hook.ts')],
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

  const dump = (path: string) => {
    const db = new Database(path, { readonly: true });
    const out = {
      snapshot: db.prepare('SELECT * FROM snapshot ORDER BY handle').all(),
      notice: db.prepare('SELECT * FROM notice ORDER BY sequence').all(),
      sequence: db.prepare('SELECT * FROM sqlite_sequence').all(),
    };
    db.close();
    return out;
  };

  const runChild = (charmDir: string, mode: 'complete' | 'hang') =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, mode], {
        env: {
          PATH: process.env.PATH,
          BETTER_SQLITE3_NODE: createRequire(import.meta.url).resolve(
            'better-sqlite3/build/Release/better_sqlite3.node',
          ),
          JUJU_UNIT_NAME: 'kill/0',
          JUJU_CHARM_DIR: charmDir,
          JUJU_DISPATCH_PATH: 'hooks/config-changed',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('MID-HOOK')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });

  it('leaves the database exactly as it was before that hook', async () => {
    const charmDir = mkdtempSync(join(tmpdir(), 'charmkit-killdir-'));
    try {
      const first = await runChild(charmDir, 'complete');
      expect(first).toEqual({ code: 0, signal: null });
      const path = join(charmDir, '.unit-state.db');
      const before = dump(path);
      expect(before.notice).toHaveLength(1);

      const killed = await runChild(charmDir, 'hang');
      expect(killed.signal).toBe('SIGKILL');
      expect(dump(path)).toEqual(before);

      // And the next hook still opens it and sees the old state.
      const again = await runChild(charmDir, 'complete');
      expect(again).toEqual({ code: 0, signal: null });
      expect(dump(path).notice).toHaveLength(1);
    } finally {
      rmSync(charmDir, { recursive: true, force: true });
    }
  }, 30_000);
});
