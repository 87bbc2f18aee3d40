import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  StorageAccessError,
  StorageBusyError,
  StorageCorruptError,
  StorageError,
  StorageFullError,
  StorageIoError,
  StorageNotAFileError,
} from '../errors.js';
import type { ParkedNotice, Storage, StorageSchema, StoredNotice } from './storage.js';

/** The schema version this charmkit writes. Older files are migrated; newer ones are refused. */
export const STORAGE_SCHEMA_VERSION = 1;

/** The tables every charmkit unit-state database has (schema 1 and later). */
const TABLES = ['meta', 'notice', 'parked_notice', 'snapshot'] as const;

/** Steps that bring a database from version `from` to `from + 1`; index 0 migrates 1 → 2. */
const MIGRATIONS: readonly ((db: BetterSqlite3.Database) => void)[] = [];

const SCHEMA_V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE snapshot (handle TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE notice (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  event_path TEXT NOT NULL,
  observer_path TEXT NOT NULL,
  method_name TEXT NOT NULL,
  deferred_at INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE TABLE parked_notice (
  sequence INTEGER PRIMARY KEY,
  event_path TEXT NOT NULL,
  observer_path TEXT NOT NULL,
  method_name TEXT NOT NULL,
  deferred_at INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  last_error TEXT,
  parked_at INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('format', 'charmkit'), ('schema_version', '1');
`;

/**
 * Suffix of the file that exists beside the database while no deferred event is pending
 * (`.unit-state.db.queue-empty`). A built charm's `dispatch` script checks it, so it can skip a
 * hook nothing observes without starting Node (docs/explanation/performance.md).
 */
export const QUEUE_EMPTY_MARKER_SUFFIX = '.queue-empty';

/**
 * How long a hook waits for another process holding `.unit-state.db` before it fails with
 * {@link StorageBusyError}: 30 seconds. Juju runs one hook at a time per unit, so the only
 * contenders are short-lived readers such as `charmkit state` (milliseconds) or a process the
 * charm itself started; waiting minutes would block every later hook of the unit, while a failed
 * hook is retried by Juju. Override with `busyTimeoutMs`.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** Options for {@link SqliteStorage}. */
export interface SqliteStorageOptions {
  /** Absolute path of `better_sqlite3.node`, for bundled charms that ship the addon beside the bundle. */
  readonly nativeBinding?: string;
  /** How long to wait for another process holding the database (ms); {@link DEFAULT_BUSY_TIMEOUT_MS} by default. */
  readonly busyTimeoutMs?: number;
  /**
   * Keep the `<database>.queue-empty` marker up to date at every commit (default true): present
   * exactly while the deferred queue is empty, as far as a crash can tell — it is removed, durably,
   * before a commit that leaves events queued, and created only after a commit that leaves none.
   */
  readonly queueEmptyMarker?: boolean;
  /**
   * Open an existing database for reading only (default false), as `StorageInspector.openFile()`
   * does: nothing is created or migrated, no write lock is taken, every write method throws
   * {@link StorageAccessError}. `begin()` starts a read transaction, which holds a shared lock
   * until `close()`: a hook waits for it (up to its busy timeout), so close it promptly.
   */
  readonly readOnly?: boolean;
  /** How messages name the file (default: `path`), e.g. the path as the user typed it. */
  readonly label?: string;
}

/** @internal Test seam: the storage's SQLite connection (to simulate a full disk). Not exported by the package. */
export let connectionOf: (storage: SqliteStorage) => BetterSqlite3.Database;

interface SavepointStatements {
  readonly open: BetterSqlite3.Statement;
  readonly release: BetterSqlite3.Statement;
  readonly rollback: BetterSqlite3.Statement;
}

type Row = {
  sequence: number;
  event_path: string;
  observer_path: string;
  method_name: string;
  deferred_at: number;
  failures: number;
  last_error: string | null;
};

/**
 * The default storage: a SQLite file (`<charm dir>/.unit-state.db`, mode 0600) holding the
 * snapshots and the deferred queue.
 *
 * - One exclusive transaction per dispatch (`locking_mode=EXCLUSIVE`, `BEGIN EXCLUSIVE`): a hook
 *   either commits everything or nothing, and a process killed mid-hook leaves the file as it was.
 * - `journal_mode=WAL`: a commit is one sequential append; with the exclusive lock no
 *   shared-memory file is needed, and frames of a transaction that never committed are ignored on
 *   the next open.
 * - `synchronous=FULL`: the commit is on disk before the hook exits 0, so Juju never records a
 *   successful hook whose deferred events or stored state a power cut could then lose (NORMAL
 *   would stay consistent but could drop the last commits).
 * A corrupt or foreign file is an error naming the file; it is never replaced. Failures are typed
 * by cause: {@link StorageBusyError} (locked by another process — nothing wrong with the file),
 * {@link StorageFullError}, {@link StorageIoError}, {@link StorageAccessError},
 * {@link StorageNotAFileError} (a directory, symbolic link, …) and {@link StorageCorruptError}.
 */
export class SqliteStorage implements Storage {
  readonly location: string;
  readonly #db: BetterSqlite3.Database;
  readonly #busyTimeoutMs: number;
  #depth = 0;
  /** The first error met while rolling back or closing, reported by `close()`. */
  #cleanupError: unknown = null;
  readonly #stmts = new Map<string, BetterSqlite3.Statement>();
  readonly #queueEmptyMarker: string | null;
  readonly #savepoints: SavepointStatements[] = [];
  readonly #path: string;
  readonly #readOnly: boolean;
  #schema: StorageSchema | null = null;
  /** Read-only: the `-wal`/`-shm` files absent before the first read, which SQLite may then create. */
  #absentSidecars: string[] | null = null;
  /** Read-only: the first read took the shared lock, which WAL mode holds until `close()`. */
  #sharedLockHeld = false;

  static {
    connectionOf = (storage) => storage.#db;
  }

  constructor(path: string, options: SqliteStorageOptions = {}) {
    this.location = options.label ?? path;
    this.#path = path;
    this.#readOnly = options.readOnly === true;
    this.#queueEmptyMarker =
      options.queueEmptyMarker === false || this.#readOnly ? null : `${path}${QUEUE_EMPTY_MARKER_SUFFIX}`;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (this.#readOnly) existingRegularFile(path, this.location);
    else secureRegularFile(path);
    try {
      this.#db = new BetterSqlite3(path, {
        timeout: this.#busyTimeoutMs,
        ...(this.#readOnly ? { readonly: true, fileMustExist: true } : {}),
        // better-sqlite3 takes the loaded addon as well as a path (its typings only say path).
        ...(options.nativeBinding
          ? { nativeBinding: loadAddon(options.nativeBinding) as unknown as string }
          : {}),
      });
    } catch (cause) {
      throw storageFailure(this.location, 'open', cause, this.#busyTimeoutMs);
    }
    // A reader leaves the pragmas alone: exclusive locking would take a write lock, and the
    // journal mode is the writer's (WAL) already.
    if (this.#readOnly) return;
    try {
      this.#db.pragma('locking_mode = EXCLUSIVE');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
    } catch (cause) {
      this.#db.close();
      throw storageFailure(this.location, 'open', cause, this.#busyTimeoutMs);
    }
  }

  #stmt(sql: string): BetterSqlite3.Statement {
    let stmt = this.#stmts.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#stmts.set(sql, stmt);
    }
    return stmt;
  }

  begin(): void {
    try {
      if (this.#readOnly) {
        // Before the first read only: a later begin() would find the files this reader created.
        this.#absentSidecars ??= ['-wal', '-shm']
          .map((suffix) => `${this.#path}${suffix}`)
          .filter((sidecar) => lstatOrNull(sidecar) === null);
        // Deferred: the first read takes a shared lock, waiting while a hook holds the file.
        this.#db.exec('BEGIN');
      } else {
        this.#db.exec('BEGIN EXCLUSIVE');
      }
      this.#ensureSchema();
    } catch (cause) {
      this.rollback();
      if (cause instanceof StorageError) throw cause;
      throw storageFailure(this.location, 'lock and read', cause, this.#busyTimeoutMs);
    }
  }

  #ensureSchema(): void {
    const tables = (
      this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((name) => !name.startsWith('sqlite_'));
    // In WAL mode (a charmkit file always is) a reader keeps its shared lock until it closes.
    this.#sharedLockHeld = this.#readOnly && this.#db.pragma('journal_mode', { simple: true }) === 'wal';
    if (tables.length === 0) {
      if (this.#readOnly) {
        throw new StorageError(
          `${this.location} is not a charmkit unit-state database (tables: none); opened read-only, it is left as it is`,
        );
      }
      this.#db.exec(SCHEMA_V1);
      this.#migrateFrom(1);
      this.#schema = { format: 'charmkit', version: STORAGE_SCHEMA_VERSION };
      return;
    }
    if (!tables.includes('meta')) {
      throw new StorageError(
        `${this.location} is not a charmkit unit-state database (tables: ${tables.sort().join(', ')}; no meta table) — perhaps one written by Python ops; charmkit will not touch it: move it aside to start with empty state`,
      );
    }
    const rows = this.#db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    const meta = new Map(rows.map((r) => [r.key, r.value]));
    if (meta.get('format') !== 'charmkit') {
      throw new StorageError(
        `${this.location} has a meta table but its format is ${JSON.stringify(meta.get('format') ?? null)}, not "charmkit"; charmkit will not touch it`,
      );
    }
    const version = Number(meta.get('schema_version'));
    if (!Number.isInteger(version) || version < 1) {
      throw new StorageError(
        `${this.location} has an unreadable schema version ${JSON.stringify(meta.get('schema_version'))}`,
      );
    }
    if (version > STORAGE_SCHEMA_VERSION) {
      throw new StorageError(
        `${this.location} was written by a newer charmkit (schema ${version}; this one knows up to ${STORAGE_SCHEMA_VERSION}); refusing to read it — downgrading a charm cannot keep its newer state`,
      );
    }
    if (this.#readOnly) {
      const missing = TABLES.filter((table) => !tables.includes(table));
      if (missing.length > 0) {
        throw new StorageError(
          `${this.location} is not a charmkit unit-state database (tables: ${tables.sort().join(', ')}; no ${missing.join(', ')} table)`,
        );
      }
      // Migrating writes; the charm's next hook does it.
      if (version < STORAGE_SCHEMA_VERSION) {
        throw new StorageError(
          `${this.location} has schema ${version}, older than this charmkit's ${STORAGE_SCHEMA_VERSION}; opened read-only it cannot be migrated: the charm's next hook migrates it`,
        );
      }
    } else {
      this.#migrateFrom(version);
    }
    this.#schema = { format: 'charmkit', version: STORAGE_SCHEMA_VERSION };
  }

  #migrateFrom(version: number): void {
    for (let v = version; v < STORAGE_SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v - 1];
      if (!step) throw new StorageError(`no migration from schema ${v} of ${this.location}`);
      step(this.#db);
      this.#db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(v + 1));
    }
  }

  commit(): void {
    // SQLite's own view: after SQLITE_FULL or an I/O error it may already have rolled back.
    if (!this.#db.inTransaction) {
      this.#depth = 0;
      return;
    }
    while (this.#depth > 0) this.releaseSavepoint();
    const empty = this.#queueEmptyMarker === null ? null : this.#queueIsEmpty();
    if (empty === false) this.#removeQueueEmptyMarker();
    try {
      this.#db.exec('COMMIT');
    } catch (cause) {
      throw storageFailure(this.location, 'commit', cause, this.#busyTimeoutMs);
    }
    if (empty === true) this.#writeQueueEmptyMarker();
  }

  #queueIsEmpty(): boolean {
    return this.#stmt('SELECT NOT EXISTS (SELECT 1 FROM notice)').pluck().get() === 1;
  }

  /** Before a commit that queues events: gone, and durably so, or the commit does not happen. */
  #removeQueueEmptyMarker(): void {
    const marker = this.#queueEmptyMarker as string;
    if (!existsSync(marker)) return;
    try {
      unlinkSync(marker);
      const dir = openSync(dirname(marker), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (cause) {
      throw new StorageError(`cannot remove ${marker} before queueing deferred events: ${messageOf(cause)}`, {
        cause,
      });
    }
  }

  /** After a commit that leaves the queue empty. Failing to write it only costs speed. */
  #writeQueueEmptyMarker(): void {
    const marker = this.#queueEmptyMarker as string;
    if (existsSync(marker)) return;
    try {
      writeFileSync(marker, '', { mode: 0o600 });
    } catch {
      // Without the marker the dispatch script simply starts Node every time.
    }
  }

  /**
   * Discards the open transaction, if SQLite still has one (after SQLITE_FULL it rolled back by
   * itself). Never throws: it runs while an earlier error is on its way out, and must not replace
   * it. A failed ROLLBACK loses nothing — SQLite ignores uncommitted WAL frames when the connection
   * closes — and is reported by {@link close}.
   */
  rollback(): void {
    this.#depth = 0;
    if (!this.#db.open || !this.#db.inTransaction) return;
    try {
      this.#db.exec('ROLLBACK');
    } catch (cause) {
      this.#cleanupError ??= cause;
    }
  }

  /**
   * Rolls back what is open and closes the file. Throws a {@link StorageError} if rolling back or
   * closing failed (the database stays as of its last commit).
   */
  close(): void {
    if (!this.#db.open) return;
    this.rollback();
    this.#removeReaderSidecars();
    try {
      this.#db.close();
    } catch (cause) {
      this.#cleanupError ??= cause;
    }
    const failed = this.#cleanupError;
    this.#cleanupError = null;
    if (failed !== null) throw storageFailure(this.location, 'close', failed, this.#busyTimeoutMs);
  }

  /**
   * A read-only connection to a WAL database creates empty `-wal` and `-shm` files when they are
   * absent (the charm's exclusive-mode connection needs neither between hooks), and cannot remove
   * them itself. Removed here while the shared lock is still held, so no hook can be using them:
   * the hook takes its exclusive lock before it opens the `-wal`, and never uses the `-shm`. A
   * `-wal` with content (a killed hook's commits) is never touched.
   */
  #removeReaderSidecars(): void {
    if (!this.#sharedLockHeld || this.#absentSidecars === null) return;
    for (const sidecar of this.#absentSidecars) {
      const stats = lstatOrNull(sidecar);
      if (!stats?.isFile() || (sidecar.endsWith('-wal') && stats.size > 0)) continue;
      try {
        unlinkSync(sidecar);
      } catch {
        // Left behind, it costs nothing: the next hook's close removes the -wal.
      }
    }
    this.#absentSidecars = [];
  }

  #writable(): void {
    if (this.#readOnly) {
      throw new StorageAccessError(
        `${this.location} is open read-only (for inspection); nothing was written`,
      );
    }
  }

  // Savepoints are prepared once per depth: re-emitting thousands of deferred events opens and
  // releases one per event, and parsing the SQL each time was a measurable part of that.
  savepoint(): void {
    this.#depth += 1;
    this.#savepointStmts(this.#depth).open.run();
  }

  releaseSavepoint(): void {
    this.#savepointStmts(this.#depth).release.run();
    this.#depth -= 1;
  }

  rollbackSavepoint(): void {
    const stmts = this.#savepointStmts(this.#depth);
    stmts.rollback.run();
    stmts.release.run();
    this.#depth -= 1;
  }

  #savepointStmts(depth: number): SavepointStatements {
    let stmts = this.#savepoints[depth];
    if (!stmts) {
      stmts = {
        open: this.#db.prepare(`SAVEPOINT sp${depth}`),
        release: this.#db.prepare(`RELEASE sp${depth}`),
        rollback: this.#db.prepare(`ROLLBACK TO sp${depth}`),
      };
      this.#savepoints[depth] = stmts;
    }
    return stmts;
  }

  loadSnapshot(handlePath: string): string | null {
    const row = this.#stmt('SELECT data FROM snapshot WHERE handle = ?').get(handlePath) as
      | { data: string }
      | undefined;
    return row ? row.data : null;
  }

  saveSnapshot(handlePath: string, json: string): void {
    this.#writable();
    this.#stmt(
      'INSERT INTO snapshot (handle, data) VALUES (?, ?) ON CONFLICT (handle) DO UPDATE SET data = excluded.data',
    ).run(handlePath, json);
  }

  dropSnapshot(handlePath: string): void {
    this.#writable();
    this.#stmt('DELETE FROM snapshot WHERE handle = ?').run(handlePath);
  }

  snapshots(): ReadonlyMap<string, string> {
    const rows = this.#stmt('SELECT handle, data FROM snapshot ORDER BY handle').raw(true).all() as [
      string,
      string,
    ][];
    return new Map(rows);
  }

  schema(): StorageSchema | null {
    return this.#schema;
  }

  notices(): StoredNotice[] {
    // Rows as arrays: with thousands of deferred events, cheaper than one object per row from SQLite.
    const rows = this.#stmt(
      'SELECT sequence, event_path, observer_path, method_name, deferred_at, failures, last_error FROM notice ORDER BY sequence',
    )
      .raw(true)
      .all() as [number, string, string, string, number, number, string | null][];
    return rows.map(([sequence, eventPath, observerPath, methodName, deferredAt, failures, lastError]) => ({
      sequence,
      eventPath,
      observerPath,
      methodName,
      deferredAt,
      failures,
      lastError,
    }));
  }

  noticeSnapshots(): Map<string, string> {
    const rows = this.#stmt(
      'SELECT handle, data FROM snapshot WHERE handle IN (SELECT event_path FROM notice)',
    )
      .raw(true)
      .all() as [string, string][];
    return new Map(rows);
  }

  maxSequence(): number {
    const seq = this.#stmt("SELECT seq FROM sqlite_sequence WHERE name = 'notice'").get() as
      | { seq: number }
      | undefined;
    const parked = this.#stmt('SELECT max(sequence) AS m FROM parked_notice').get() as { m: number | null };
    return Math.max(seq?.seq ?? 0, parked.m ?? 0);
  }

  saveNotice(n: StoredNotice): void {
    this.#writable();
    this.#stmt(
      'INSERT INTO notice (sequence, event_path, observer_path, method_name, deferred_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(n.sequence, n.eventPath, n.observerPath, n.methodName, n.deferredAt, n.failures, n.lastError);
  }

  setNoticeFailures(sequence: number, failures: number, lastError: string | null): void {
    this.#writable();
    this.#stmt('UPDATE notice SET failures = ?, last_error = ? WHERE sequence = ?').run(
      failures,
      lastError,
      sequence,
    );
  }

  dropNotice(sequence: number): void {
    this.#writable();
    this.#stmt('DELETE FROM notice WHERE sequence = ?').run(sequence);
  }

  parkNotice(sequence: number, parkedAt: number): void {
    this.#writable();
    this.#stmt(
      'INSERT INTO parked_notice SELECT sequence, event_path, observer_path, method_name, deferred_at, failures, last_error, ? FROM notice WHERE sequence = ?',
    ).run(parkedAt, sequence);
    this.dropNotice(sequence);
  }

  parkedNotices(): ParkedNotice[] {
    return (
      this.#stmt('SELECT * FROM parked_notice ORDER BY sequence').all() as (Row & { parked_at: number })[]
    ).map((r) => ({ ...toNotice(r), parkedAt: r.parked_at }));
  }

  dropParkedNotice(sequence: number): void {
    this.#writable();
    this.#stmt('DELETE FROM parked_notice WHERE sequence = ?').run(sequence);
  }

  requeueParkedNotice(sequence: number): void {
    this.#writable();
    this.#stmt(
      'INSERT INTO notice SELECT sequence, event_path, observer_path, method_name, deferred_at, 0, NULL FROM parked_notice WHERE sequence = ?',
    ).run(sequence);
    this.dropParkedNotice(sequence);
  }
}

function toNotice(r: Row): StoredNotice {
  return {
    sequence: r.sequence,
    eventPath: r.event_path,
    observerPath: r.observer_path,
    methodName: r.method_name,
    deferredAt: r.deferred_at,
    failures: r.failures,
    lastError: r.last_error,
  };
}

/**
 * Loads the better-sqlite3 addon from its path with `process.dlopen`, which works wherever the
 * charm runs, including from a startup snapshot, where `require` only knows Node's built-ins.
 */
function loadAddon(path: string): object {
  let addon = addons.get(path);
  if (!addon) {
    const module = { exports: {} };
    process.dlopen(module, path);
    addon = module.exports;
    addons.set(path, addon);
  }
  return addon;
}

const addons = new Map<string, object>();

/**
 * Creates the database file if absent, refuses anything but a regular file, and sets mode 0600 —
 * all without following a symbolic link (`O_NOFOLLOW`, `fchmod` on the opened file).
 */
function secureRegularFile(path: string): void {
  const existing = lstatOrNull(path);
  if (existing && !existing.isFile()) throw notAFile(path, existing);
  let fd: number;
  try {
    fd = existing
      ? openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
      : openSync(
          path,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600,
        );
  } catch (cause) {
    // Replaced between lstat and open: describe what is there now.
    const now = lstatOrNull(path);
    if (now && !now.isFile()) throw notAFile(path, now);
    throw new StorageAccessError(
      `cannot create or open the unit-state database ${path}: ${messageOf(cause)}`,
      { cause },
    );
  }
  try {
    if (!fstatSync(fd).isFile()) throw notAFile(path, fstatSync(fd));
    fchmodSync(fd, 0o600);
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    throw new StorageAccessError(
      `cannot secure the unit-state database ${path} (mode 0600): ${messageOf(cause)}`,
      {
        cause,
      },
    );
  } finally {
    closeSync(fd);
  }
}

/** For a read-only open: the file must already exist and be a regular file; nothing is created. */
function existingRegularFile(path: string, label: string): void {
  const stats = lstatOrNull(path);
  if (stats === null) {
    throw new StorageNotAFileError(
      `there is no unit-state database at ${label} (opened read-only: nothing was created)`,
    );
  }
  if (!stats.isFile()) throw notAFile(label, stats, path);
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function notAFile(path: string, stats: Stats, realPath = path): StorageNotAFileError {
  let what: string;
  if (stats.isDirectory()) what = 'a directory';
  else if (stats.isSymbolicLink()) {
    let dangling = false;
    try {
      statSync(realPath);
    } catch {
      dangling = true;
    }
    what = dangling ? 'a symbolic link (dangling)' : 'a symbolic link';
  } else if (stats.isFIFO()) what = 'a FIFO (named pipe)';
  else if (stats.isSocket()) what = 'a socket';
  else if (stats.isCharacterDevice()) what = 'a character device';
  else if (stats.isBlockDevice()) what = 'a block device';
  else what = 'not a regular file';
  return new StorageNotAFileError(
    `the unit-state database ${path} is ${what}, not a regular file; charmkit neither follows nor replaces it: make it a regular file (or remove it to start with empty state)`,
  );
}

/** Turns a SQLite error into the storage error that says what actually went wrong. */
function storageFailure(path: string, doing: string, cause: unknown, busyTimeoutMs: number): StorageError {
  const code = (cause as { code?: unknown } | null)?.code;
  const sqlite = typeof code === 'string' ? code : '';
  const why = `${sqlite ? `${sqlite}: ` : ''}${messageOf(cause)}`;
  if (sqlite.startsWith('SQLITE_BUSY') || sqlite.startsWith('SQLITE_LOCKED')) {
    return new StorageBusyError(
      `the unit-state database ${path} is in use by another process (still locked after ${busyTimeoutMs} ms; ${why}): perhaps \`charmkit state\` on this unit, a process the charm started, or a hook still running. nothing is wrong with the file — do not move it aside; the hook fails and Juju retries it`,
      { cause },
    );
  }
  if (sqlite.startsWith('SQLITE_FULL')) {
    return new StorageFullError(
      `cannot ${doing} the unit-state database ${path}: the disk is full (${why}); this hook's changes were not saved`,
      { cause },
    );
  }
  if (sqlite.startsWith('SQLITE_IOERR')) {
    return new StorageIoError(`cannot ${doing} the unit-state database ${path}: I/O error (${why})`, {
      cause,
    });
  }
  if (
    sqlite.startsWith('SQLITE_CANTOPEN') ||
    sqlite.startsWith('SQLITE_PERM') ||
    sqlite.startsWith('SQLITE_READONLY') ||
    sqlite.startsWith('SQLITE_AUTH')
  ) {
    return new StorageAccessError(
      `cannot ${doing} the unit-state database ${path}: not permitted or not openable (${why}); check the file's and its directory's owner and mode`,
      { cause },
    );
  }
  if (sqlite.startsWith('SQLITE_CORRUPT') || sqlite.startsWith('SQLITE_NOTADB')) {
    return new StorageCorruptError(
      `the unit-state database ${path} is corrupt or not a SQLite database (${why}); charmkit will not replace it: move it aside to start with empty state`,
      { cause },
    );
  }
  return new StorageError(`cannot ${doing} the unit-state database ${path}: ${why}`, { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
