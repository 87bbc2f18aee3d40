import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../src/index.js';
import {
  JujuStorage,
  MemoryStorage,
  SqliteStorage,
  type Storage,
  type StoredNotice,
  type UnitStateTools,
} from '../src/internal/index.js';

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

/**
 * Juju's unit state as `state-get`/`state-set`/`state-delete` see it: string keys and values. Each
 * call applies at once, which is what Juju does for a hook that succeeds (JujuStorage calls the
 * writing tools only when it commits).
 */
class FakeUnitState implements UnitStateTools {
  readonly values = new Map<string, string>();
  readonly calls: string[] = [];
  stateGet(): Record<string, string> {
    this.calls.push('state-get');
    return Object.fromEntries(this.values);
  }
  stateSet(values: Readonly<Record<string, string>>): void {
    this.calls.push(`state-set ${Object.keys(values).sort().join(' ')}`);
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== 'string') throw new Error(`state-set: ${key} is not a string`);
      this.values.set(key, value);
    }
  }
  stateDelete(key: string): void {
    this.calls.push(`state-delete ${key}`);
    this.values.delete(key);
  }
}

/**
 * Each kind of storage, as a function that opens the same backing store again on every call (a new
 * process's view of it): the same MemoryStorage, a new SqliteStorage on the same file, a new
 * JujuStorage over the same unit state.
 */
const kinds: [string, () => () => Storage][] = [
  [
    'MemoryStorage',
    () => {
      const memory = new MemoryStorage();
      return () => memory;
    },
  ],
  ['SqliteStorage', () => () => new SqliteStorage(join(dir, '.unit-state.db'))],
  [
    'JujuStorage',
    () => {
      const unitState = new FakeUnitState();
      return () => new JujuStorage(unitState);
    },
  ],
];

describe.each(kinds)('%s (the storage contract)', (_name, store) => {
  let make: () => Storage;
  beforeEach(() => {
    make = store();
  });

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

  it('keeps what was committed for the next opening, and only that', () => {
    const s = make();
    s.begin();
    s.saveSnapshot('C/StoredStateData[stored]', '{"port":80}');
    s.saveSnapshot('C/on/e[1]', '{"n":1}');
    s.saveNotice(notice(1, { failures: 2, lastError: 'Error: first' }));
    s.saveNotice(notice(2));
    s.parkNotice(2, 5000);
    s.commit();
    s.begin();
    s.saveSnapshot('C/StoredStateData[stored]', '{"port":81}');
    s.saveNotice(notice(3));
    s.close(); // without commit: rolled back

    const t = make();
    t.begin();
    expect(t.loadSnapshot('C/StoredStateData[stored]')).toBe('{"port":80}');
    expect(t.loadSnapshot('C/on/e[1]')).toBe('{"n":1}');
    expect(t.loadSnapshot('missing')).toBeNull();
    expect(t.notices()).toEqual([notice(1, { failures: 2, lastError: 'Error: first' })]);
    expect(t.parkedNotices()).toEqual([{ ...notice(2), parkedAt: 5000 }]);
    expect(t.maxSequence()).toBe(2);
    t.commit();
    t.close();
  });

  it('never hands out a sequence twice, even after the highest notice is gone', () => {
    const s = make();
    s.begin();
    expect(s.maxSequence()).toBe(0);
    s.saveNotice(notice(1));
    s.saveNotice(notice(7));
    s.dropNotice(7);
    s.commit();
    s.close();

    const t = make();
    t.begin();
    expect(t.maxSequence()).toBe(7);
    t.saveNotice(notice(8));
    t.parkNotice(8, 1);
    t.dropParkedNotice(8);
    t.commit();
    t.close();

    const u = make();
    u.begin();
    expect(u.maxSequence()).toBe(8);
    expect(u.notices().map((n) => n.sequence)).toEqual([1]);
    u.commit();
    u.close();
  });

  it('records failures, resets them on requeue, and ignores unknown sequences', () => {
    const s = make();
    s.begin();
    s.saveNotice(notice(1));
    s.setNoticeFailures(1, 1, 'Error: once');
    s.setNoticeFailures(9, 1, 'Error: nobody');
    s.parkNotice(9, 1);
    s.requeueParkedNotice(9);
    s.commit();
    s.close();

    const t = make();
    t.begin();
    expect(t.notices()).toEqual([notice(1, { failures: 1, lastError: 'Error: once' })]);
    expect(t.parkedNotices()).toEqual([]);
    t.setNoticeFailures(1, 4, 'Error: again');
    t.parkNotice(1, 2000);
    t.commit();
    t.close();

    const u = make();
    u.begin();
    expect(u.parkedNotices()).toEqual([
      { ...notice(1), failures: 4, lastError: 'Error: again', parkedAt: 2000 },
    ]);
    u.requeueParkedNotice(1);
    u.commit();
    u.close();

    const v = make();
    v.begin();
    expect(v.notices()).toEqual([notice(1)]);
    v.commit();
    v.close();
  });

  it('lists every snapshot, and the snapshots of queued events', () => {
    const s = make();
    s.begin();
    s.saveSnapshot('C/StoredStateData[b]', '{"b":1}');
    s.saveSnapshot('C/StoredStateData[a]', '{"a":1}');
    s.saveSnapshot('C/on/e[1]', '{"e":1}');
    s.saveSnapshot('C/on/e[2]', '{"e":2}');
    s.saveNotice(notice(1));
    s.saveNotice(notice(2));
    s.parkNotice(2, 1);
    s.commit();
    s.close();

    const t = make();
    t.begin();
    expect(Object.fromEntries(t.snapshots?.() ?? [])).toEqual({
      'C/StoredStateData[a]': '{"a":1}',
      'C/StoredStateData[b]': '{"b":1}',
      'C/on/e[1]': '{"e":1}',
      'C/on/e[2]': '{"e":2}',
    });
    if (t.noticeSnapshots)
      expect(Object.fromEntries(t.noticeSnapshots())).toEqual({ 'C/on/e[1]': '{"e":1}' });
    t.dropSnapshot('C/StoredStateData[b]');
    expect([...(t.snapshots?.().keys() ?? [])].sort()).toEqual([
      'C/StoredStateData[a]',
      'C/on/e[1]',
      'C/on/e[2]',
    ]);
    t.commit();
    t.close();
  });

  it('keeps snapshot text exactly, whatever the handle path holds', () => {
    const paths = [
      'Ünïcödé/StoredStateData[x.y-z]',
      'A/b/c/on/some_event[12]',
      'K/StoredStateData[with space]',
    ];
    const text = JSON.stringify({ emoji: '🎉', nested: { a: [1, 2, { b: null }] }, quote: '"x"\n' });
    const s = make();
    s.begin();
    for (const path of paths) s.saveSnapshot(path, text);
    s.commit();
    s.close();

    const t = make();
    t.begin();
    for (const path of paths) expect(t.loadSnapshot(path)).toBe(text);
    t.commit();
    t.close();
  });

  it('rolls back safely when no transaction is open', () => {
    const s = make();
    expect(() => s.rollback()).not.toThrow();
    s.begin();
    s.saveSnapshot('a', '1');
    s.commit();
    expect(() => s.rollback()).not.toThrow();
    s.begin();
    expect(s.loadSnapshot('a')).toBe('1');
    s.commit();
    s.close();
  });
});

describe('JujuStorage over state-get/state-set', () => {
  it('reads once per dispatch and writes only the keys that changed', () => {
    const unitState = new FakeUnitState();
    const s = new JujuStorage(unitState);
    s.begin();
    s.commit();
    // A hook that stores nothing costs no state-set.
    expect(unitState.calls).toEqual(['state-get']);
    s.begin();
    s.saveSnapshot('C/StoredStateData[stored]', '{"port":80}');
    s.saveSnapshot('C/on/e[1]', '{}');
    s.saveNotice(notice(1));
    s.commit();
    expect(unitState.calls.slice(2)).toEqual([
      'state-set charmkit.meta charmkit.notice.1 charmkit.snapshot.C/StoredStateData[stored] charmkit.snapshot.C/on/e[1]',
    ]);
    unitState.calls.length = 0;
    s.begin();
    s.dropNotice(1);
    s.dropSnapshot('C/on/e[1]');
    s.commit();
    expect(unitState.calls.sort()).toEqual([
      'state-delete charmkit.notice.1',
      'state-delete charmkit.snapshot.C/on/e[1]',
      'state-get',
    ]);
    expect([...unitState.values.keys()].sort()).toEqual([
      'charmkit.meta',
      'charmkit.snapshot.C/StoredStateData[stored]',
    ]);
  });

  it('leaves keys that are not charmkit’s alone, and refuses a charmkit.meta it does not know', () => {
    const unitState = new FakeUnitState();
    unitState.values.set('other', 'kept');
    const s = new JujuStorage(unitState);
    s.begin();
    s.saveSnapshot('a', '1');
    s.commit();
    expect(unitState.values.get('other')).toBe('kept');
    unitState.values.set('charmkit.meta', '{"format":"something-else","schema_version":1}');
    expect(() => new JujuStorage(unitState).begin()).toThrow(StorageError);
    unitState.values.set('charmkit.meta', 'not json');
    expect(() => new JujuStorage(unitState).begin()).toThrow(/charmkit\.meta is not JSON/);
  });

  it('refuses a value over Juju’s 64 KiB limit at commit, writing nothing', () => {
    const unitState = new FakeUnitState();
    const s = new JujuStorage(unitState);
    s.begin();
    s.saveSnapshot('big', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    expect(() => s.commit()).toThrow(/larger than Juju's 64 KiB limit/);
    expect(unitState.values.size).toBe(0);
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
