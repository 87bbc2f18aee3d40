import { chmodSync, closeSync, existsSync, fsyncSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StorageError } from '../errors.js';
import type { ParkedNotice, Storage, StoredNotice } from './storage.js';

/** The schema version this charmkit writes. Older files are migrated; newer ones are refused. */
export const STORAGE_SCHEMA_VERSION = 1;

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

/** Options for {@link SqliteStorage}. */
export interface SqliteStorageOptions {
  /** Absolute path of `better_sqlite3.node`, for bundled charms that ship the addon beside the bundle. */
  readonly nativeBinding?: string;
  /** How long to wait for another process holding the database (ms). Default 5 minutes. */
  readonly busyTimeoutMs?: number;
  /**
   * Keep the `<database>.queue-empty` marker up to date at every commit (default true): present
   * exactly while the deferred queue is empty, as far as a crash can tell — it is removed, durably,
   * before a commit that leaves events queued, and created only after a commit that leaves none.
   */
  readonly queueEmptyMarker?: boolean;
}

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
 * A corrupt or foreign file is an error naming the file; it is never replaced.
 */
export class SqliteStorage implements Storage {
  readonly location: string;
  readonly #db: BetterSqlite3.Database;
  #depth = 0;
  #inTransaction = false;
  readonly #stmts = new Map<string, BetterSqlite3.Statement>();
  readonly #queueEmptyMarker: string | null;
  readonly #savepoints: SavepointStatements[] = [];

  constructor(path: string, options: SqliteStorageOptions = {}) {
    this.location = path;
    this.#queueEmptyMarker =
      options.queueEmptyMarker === false ? null : `${path}${QUEUE_EMPTY_MARKER_SUFFIX}`;
    const created = !existsSync(path);
    try {
      if (created) closeSync(openSync(path, 'wx', 0o600));
      chmodSync(path, 0o600);
    } catch (cause) {
      throw new StorageError(`cannot create or secure the unit-state database ${path}: ${messageOf(cause)}`, {
        cause,
      });
    }
    try {
      this.#db = new BetterSqlite3(path, {
        timeout: options.busyTimeoutMs ?? 300_000,
        // better-sqlite3 takes the loaded addon as well as a path (its typings only say path).
        ...(options.nativeBinding
          ? { nativeBinding: loadAddon(options.nativeBinding) as unknown as string }
          : {}),
      });
    } catch (cause) {
      throw new StorageError(`cannot open the unit-state database ${path}: ${messageOf(cause)}`, { cause });
    }
    try {
      this.#db.pragma('locking_mode = EXCLUSIVE');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
    } catch (cause) {
      this.#db.close();
      throw this.#corrupt(cause);
    }
  }

  #corrupt(cause: unknown): StorageError {
    return new StorageError(
      `the unit-state database ${this.location} is corrupt or not a SQLite database (${messageOf(cause)}); charmkit will not replace it: move it aside to start with empty state`,
      { cause },
    );
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
      this.#db.exec('BEGIN EXCLUSIVE');
      this.#inTransaction = true;
      this.#ensureSchema();
    } catch (cause) {
      if (this.#inTransaction) this.rollback();
      if (cause instanceof StorageError) throw cause;
      throw this.#corrupt(cause);
    }
  }

  #ensureSchema(): void {
    const tables = (
      this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((name) => !name.startsWith('sqlite_'));
    if (tables.length === 0) {
      this.#db.exec(SCHEMA_V1);
      this.#migrateFrom(1);
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
    this.#migrateFrom(version);
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
    if (!this.#inTransaction) return;
    while (this.#depth > 0) this.releaseSavepoint();
    const empty = this.#queueEmptyMarker === null ? null : this.#queueIsEmpty();
    if (empty === false) this.#removeQueueEmptyMarker();
    this.#db.exec('COMMIT');
    this.#inTransaction = false;
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

  rollback(): void {
    if (!this.#inTransaction) return;
    this.#depth = 0;
    this.#db.exec('ROLLBACK');
    this.#inTransaction = false;
  }

  close(): void {
    if (!this.#db.open) return;
    this.rollback();
    this.#db.close();
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
    this.#stmt(
      'INSERT INTO snapshot (handle, data) VALUES (?, ?) ON CONFLICT (handle) DO UPDATE SET data = excluded.data',
    ).run(handlePath, json);
  }

  dropSnapshot(handlePath: string): void {
    this.#stmt('DELETE FROM snapshot WHERE handle = ?').run(handlePath);
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
    this.#stmt(
      'INSERT INTO notice (sequence, event_path, observer_path, method_name, deferred_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(n.sequence, n.eventPath, n.observerPath, n.methodName, n.deferredAt, n.failures, n.lastError);
  }

  setNoticeFailures(sequence: number, failures: number, lastError: string | null): void {
    this.#stmt('UPDATE notice SET failures = ?, last_error = ? WHERE sequence = ?').run(
      failures,
      lastError,
      sequence,
    );
  }

  dropNotice(sequence: number): void {
    this.#stmt('DELETE FROM notice WHERE sequence = ?').run(sequence);
  }

  parkNotice(sequence: number, parkedAt: number): void {
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
    this.#stmt('DELETE FROM parked_notice WHERE sequence = ?').run(sequence);
  }

  requeueParkedNotice(sequence: number): void {
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
