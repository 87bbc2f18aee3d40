import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CharmBase,
  type ConfigChangedEvent,
  type Framework,
  StorageAccessError,
  StorageBusyError,
  StorageCorruptError,
  StorageError,
  StorageNotAFileError,
} from '../src/index.js';
import {
  decodeFrameworkState,
  FRAMEWORK_STATE_PATH,
  JujuStorage,
  MemoryStorage,
  SqliteStorage,
  type Storage,
  StorageInspector,
  type StoredNotice,
  storedStatePath,
  type UnitStateTools,
} from '../src/internal/index.js';
import { runHook } from './helpers/run-hook.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'charmkit-inspect-'));
  path = join(dir, '.unit-state.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const notice = (sequence: number, extra: Partial<StoredNotice> = {}): StoredNotice => ({
  sequence,
  eventPath: `WebCharm/on/config_changed[${sequence}]`,
  observerPath: 'WebCharm',
  methodName: 'onConfigChanged',
  deferredAt: 1000 + sequence,
  failures: 0,
  lastError: null,
  ...extra,
});

/** What every test inspects: stored state, two queued notices and a parked one. */
function fill(storage: Storage): void {
  storage.begin();
  storage.saveSnapshot('WebCharm/StoredStateData[stored]', '{"port":8080}');
  storage.saveSnapshot(FRAMEWORK_STATE_PATH, '{"event_count":3}');
  storage.saveSnapshot('WebCharm/on/config_changed[1]', '{}');
  storage.saveSnapshot('WebCharm/on/config_changed[2]', '{"ctx":{"greeting":"hi"}}');
  storage.saveSnapshot('WebCharm/on/config_changed[3]', 'not json');
  storage.saveNotice(notice(1));
  storage.saveNotice(notice(2, { failures: 1, lastError: 'Error: once' }));
  storage.saveNotice(notice(3, { failures: 5, lastError: 'Error: boom' }));
  storage.parkNotice(3, 9000);
  storage.commit();
}

function writeDatabase(): void {
  const storage = new SqliteStorage(path);
  fill(storage);
  storage.close();
}

class FakeUnitState implements UnitStateTools {
  readonly values = new Map<string, string>();
  stateGet(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
  stateSet(values: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(values)) this.values.set(key, value);
  }
  stateDelete(key: string): void {
    this.values.delete(key);
  }
}

const storages: [string, () => Storage][] = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage(join(dir, '.unit-state.db'))],
  ['JujuStorage', () => new JujuStorage(new FakeUnitState())],
];

describe.each(storages)('StorageInspector over %s', (_name, make) => {
  it('lists the queue, the parked notices and stored state, decoded', () => {
    const storage = make();
    fill(storage);
    storage.begin();
    const inspector = new StorageInspector(storage);
    expect(inspector.notices()).toEqual([
      {
        sequence: 1,
        eventPath: 'WebCharm/on/config_changed[1]',
        eventKind: 'config_changed',
        observerPath: 'WebCharm',
        methodName: 'onConfigChanged',
        deferredAt: 1001,
        failures: 0,
        lastError: null,
        snapshot: {},
      },
      expect.objectContaining({
        sequence: 2,
        failures: 1,
        lastError: 'Error: once',
        snapshot: { ctx: { greeting: 'hi' } },
      }),
    ]);
    // Text that is not JSON (a hand-edited file) comes back as it is.
    expect(inspector.parkedNotices()).toEqual([
      expect.objectContaining({ sequence: 3, failures: 5, parkedAt: 9000, snapshot: 'not json' }),
    ]);
    const stored = inspector.storedStates();
    expect(stored.sort((a, b) => a.handlePath.localeCompare(b.handlePath))).toEqual([
      { handlePath: FRAMEWORK_STATE_PATH, ownerPath: null, name: '_stored', content: { event_count: 3 } },
      {
        handlePath: 'WebCharm/StoredStateData[stored]',
        ownerPath: 'WebCharm',
        name: 'stored',
        content: { port: 8080 },
      },
    ]);
    expect(inspector.snapshot('WebCharm/on/config_changed[2]')).toEqual({ ctx: { greeting: 'hi' } });
    expect(inspector.snapshot('nothing/here')).toBeNull();
    // An inspector over a storage in use changes nothing and closes nothing.
    inspector.close();
    expect(storage.notices()).toHaveLength(2);
    storage.commit();
    storage.close();
  });
});

describe('StorageInspector', () => {
  it('refuses to list stored state of a storage that cannot list its snapshots', () => {
    const memory = new MemoryStorage();
    const bare: Storage = {
      location: 'custom',
      begin: () => memory.begin(),
      commit: () => memory.commit(),
      rollback: () => memory.rollback(),
      close: () => memory.close(),
      savepoint: () => memory.savepoint(),
      releaseSavepoint: () => memory.releaseSavepoint(),
      rollbackSavepoint: () => memory.rollbackSavepoint(),
      loadSnapshot: (p) => memory.loadSnapshot(p),
      saveSnapshot: (p, j) => memory.saveSnapshot(p, j),
      dropSnapshot: (p) => memory.dropSnapshot(p),
      notices: () => memory.notices(),
      maxSequence: () => memory.maxSequence(),
      saveNotice: (n) => memory.saveNotice(n),
      setNoticeFailures: (s, f, e) => memory.setNoticeFailures(s, f, e),
      dropNotice: (s) => memory.dropNotice(s),
      parkNotice: (s, at) => memory.parkNotice(s, at),
      parkedNotices: () => memory.parkedNotices(),
      dropParkedNotice: (s) => memory.dropParkedNotice(s),
      requeueParkedNotice: (s) => memory.requeueParkedNotice(s),
    };
    fill(bare);
    const inspector = new StorageInspector(bare);
    expect(inspector.notices()).toHaveLength(2);
    expect(inspector.schema()).toBeNull();
    expect(() => inspector.storedStates()).toThrow(StorageError);
    expect(() => inspector.storedStates()).toThrow(/custom cannot list its snapshots/);
  });

  it('decodes the layout the framework writes: stored state by owner and name, and its event counter', async () => {
    class LayoutCharm extends CharmBase {
      static override readonly handleKind = 'LayoutCharm';
      readonly stored = this.storedState('settings', { port: 0 });
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.configChanged, this.onConfigChanged);
      }
      onConfigChanged(event: ConfigChangedEvent): void {
        this.stored.port = 8080;
        event.defer();
      }
    }
    const storage = new MemoryStorage();
    await runHook(LayoutCharm, 'hooks/config-changed', { storage, now: () => 5000 });
    const inspector = new StorageInspector(storage);
    const [queued] = inspector.notices();
    expect(queued).toMatchObject({
      eventKind: 'config_changed',
      observerPath: 'LayoutCharm',
      methodName: 'onConfigChanged',
      deferredAt: 5000,
    });
    expect(inspector.storedStates()).toContainEqual({
      handlePath: storedStatePath('LayoutCharm', 'settings'),
      ownerPath: 'LayoutCharm',
      name: 'settings',
      content: { port: 8080 },
    });
    const counter = Number(/\[(\d+)\]$/.exec(queued?.eventPath ?? '')?.[1]);
    expect(decodeFrameworkState(storage.loadSnapshot(FRAMEWORK_STATE_PATH))).toBe(counter);
  });
});

describe('StorageInspector.openFile', () => {
  it('reads a unit-state database and reports its schema', () => {
    writeDatabase();
    const inspector = StorageInspector.openFile(path);
    try {
      expect(inspector.location).toBe(path);
      expect(inspector.schema()).toEqual({ format: 'charmkit', version: 1 });
      expect(inspector.notices().map((n) => n.sequence)).toEqual([1, 2]);
      expect(inspector.parkedNotices().map((n) => n.sequence)).toEqual([3]);
      // SQLite lists snapshots by handle path.
      expect(inspector.storedStates().map((s) => s.handlePath)).toEqual([
        FRAMEWORK_STATE_PATH,
        'WebCharm/StoredStateData[stored]',
      ]);
    } finally {
      inspector.close();
    }
  });

  it('changes nothing: the file keeps its bytes and no file is left beside it', () => {
    writeDatabase();
    const before = readFileSync(path);
    const files = readdirSync(dir).sort();
    const inspector = StorageInspector.openFile(path);
    inspector.notices();
    inspector.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(files);
  });

  it('takes no write lock: two inspectors read at once, and a hook can run once they close', () => {
    writeDatabase();
    const first = StorageInspector.openFile(path, { busyTimeoutMs: 100 });
    const second = StorageInspector.openFile(path, { busyTimeoutMs: 100 });
    expect(second.notices()).toEqual(first.notices());
    // A hook waits for readers (here past its short timeout, and says so)…
    const hookWhileReading = () => {
      const blocked = new SqliteStorage(path, { busyTimeoutMs: 50 });
      try {
        blocked.begin();
      } finally {
        blocked.close();
      }
    };
    expect(hookWhileReading).toThrow(StorageBusyError);
    first.close();
    second.close();
    // …and runs as soon as they are gone.
    const hook = new SqliteStorage(path, { busyTimeoutMs: 50 });
    hook.begin();
    hook.dropNotice(1);
    hook.commit();
    hook.close();
    const after = StorageInspector.openFile(path);
    expect(after.notices().map((n) => n.sequence)).toEqual([2]);
    after.close();
  });

  it('waits for a running hook, then reports the file in use, not damaged', () => {
    writeDatabase();
    const hook = new SqliteStorage(path);
    hook.begin();
    try {
      const attempt = () => StorageInspector.openFile(path, { busyTimeoutMs: 50 });
      expect(attempt).toThrow(StorageBusyError);
      expect(attempt).toThrow(path);
    } finally {
      hook.close();
    }
  });

  it('reads what a killed hook committed but never checkpointed, leaving its WAL in place', () => {
    const live = new SqliteStorage(path);
    fill(live);
    // The hook's connection is still open: its commits are in the -wal only, as after SIGKILL.
    const crashed = join(dir, 'crashed');
    mkdirSync(crashed);
    copyFileSync(path, join(crashed, '.unit-state.db'));
    copyFileSync(`${path}-wal`, join(crashed, '.unit-state.db-wal'));
    live.close();
    const copy = join(crashed, '.unit-state.db');
    const wal = readFileSync(`${copy}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    const inspector = StorageInspector.openFile(copy);
    expect(inspector.notices().map((n) => n.sequence)).toEqual([1, 2]);
    inspector.close();
    expect(readFileSync(`${copy}-wal`).equals(wal)).toBe(true);
    expect(readdirSync(crashed).sort()).toEqual(['.unit-state.db', '.unit-state.db-wal']);
  });

  it('creates nothing for a missing path, and names it', () => {
    const attempt = () => StorageInspector.openFile(path, { label: 'unit/.unit-state.db' });
    expect(attempt).toThrow(StorageNotAFileError);
    expect(attempt).toThrow('there is no unit-state database at unit/.unit-state.db');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a directory or a symbolic link, as the charm does', () => {
    mkdirSync(path);
    expect(() => StorageInspector.openFile(path)).toThrow(StorageNotAFileError);
    expect(() => StorageInspector.openFile(path)).toThrow(/is a directory/);
    rmSync(path, { recursive: true });
    writeDatabase();
    const link = join(dir, 'link.db');
    symlinkSync(path, link);
    expect(() => StorageInspector.openFile(link)).toThrow(/is a symbolic link, not a regular file/);
  });

  it('refuses a file that is not SQLite, naming it and leaving it untouched', () => {
    writeFileSync(path, 'hello, this is text and not a database at all\n'.repeat(40));
    const before = readFileSync(path);
    const attempt = () => StorageInspector.openFile(path);
    expect(attempt).toThrow(StorageCorruptError);
    expect(attempt).toThrow(`the unit-state database ${path} is corrupt or not a SQLite database`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['.unit-state.db']);
  });

  it('refuses a SQLite file that is not a charmkit unit-state database, naming it', () => {
    const db = new Database(path);
    db.exec('CREATE TABLE snapshot (handle TEXT PRIMARY KEY, data BLOB)');
    db.close();
    const attempt = () => StorageInspector.openFile(path);
    expect(attempt).toThrow(StorageError);
    expect(attempt).toThrow(
      `${path} is not a charmkit unit-state database (tables: snapshot; no meta table)`,
    );
    try {
      attempt();
    } catch (error) {
      expect((error as StorageError).code).toBe('CHARMKIT_STORAGE');
    }

    writeFileSync(path, '');
    expect(() => StorageInspector.openFile(path)).toThrow(
      `${path} is not a charmkit unit-state database (tables: none)`,
    );
    expect(statSync(path).size).toBe(0);

    rmSync(path);
    const partial = new Database(path);
    partial.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('format', 'charmkit'), ('schema_version', '1'); CREATE TABLE snapshot (handle TEXT PRIMARY KEY, data TEXT NOT NULL);",
    );
    partial.close();
    expect(() => StorageInspector.openFile(path)).toThrow(/no notice, parked_notice table/);
  });

  it('refuses a database of a newer schema', () => {
    writeDatabase();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => StorageInspector.openFile(path)).toThrow(/written by a newer charmkit \(schema 99/);
  });

  it('gives a read-only SqliteStorage that refuses every write', () => {
    writeDatabase();
    const files = readdirSync(dir).sort();
    const storage = new SqliteStorage(path, { readOnly: true });
    storage.begin();
    expect(() => storage.saveSnapshot('a', '1')).toThrow(StorageAccessError);
    expect(() => storage.dropNotice(1)).toThrow(/is open read-only/);
    expect(() => storage.saveNotice(notice(9))).toThrow(StorageAccessError);
    expect(() => storage.requeueParkedNotice(3)).toThrow(StorageAccessError);
    // A second read transaction on the same connection still cleans up after itself.
    storage.commit();
    storage.begin();
    expect(storage.notices()).toHaveLength(2);
    storage.close();
    expect(readdirSync(dir).sort()).toEqual(files);
    const inspector = StorageInspector.openFile(path);
    expect(inspector.notices().map((n) => n.sequence)).toEqual([1, 2]);
    inspector.close();
  });
});
