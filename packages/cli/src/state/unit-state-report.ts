import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { StateFileError } from '../errors.js';

/** One deferred (or parked) notice, as `charmkit state` shows it. */
export interface NoticeReport {
  readonly sequence: number;
  /** Handle path of the event, e.g. `WebCharm/on/config_changed[7]`. */
  readonly event: string;
  /** The event kind, e.g. `config_changed`. */
  readonly kind: string;
  /** `<observer path>.<method>`, e.g. `WebCharm.onConfigChanged`. */
  readonly observer: string;
  /** When it was first deferred (ISO time). */
  readonly deferredAt: string;
  readonly ageSeconds: number;
  /** Failed re-emissions in a row (the handler threw). */
  readonly failures: number;
  readonly lastError: string | null;
  /** The event's saved snapshot (its data), or null. */
  readonly snapshot: unknown;
  /** For a parked notice: when it was parked (ISO time). */
  readonly parkedAt?: string;
}

/** Everything a unit keeps in `.unit-state.db`. */
export interface UnitStateReport {
  readonly path: string;
  readonly format: string;
  readonly schemaVersion: number;
  /** Stored state by handle path (`WebCharm/StoredStateData[stored]`). */
  readonly storedState: Readonly<Record<string, unknown>>;
  /** The deferred queue, in the order it is re-emitted. */
  readonly deferred: readonly NoticeReport[];
  /** Notices taken out of the queue after failing too often. */
  readonly parked: readonly NoticeReport[];
}

type NoticeRow = {
  sequence: number;
  event_path: string;
  observer_path: string;
  method_name: string;
  deferred_at: number;
  failures: number;
  last_error: string | null;
  parked_at?: number;
};

/** `WebCharm/on/config_changed[7]` → `config_changed`. */
export function eventKind(eventPath: string): string {
  const last = eventPath.split('/').pop() ?? eventPath;
  const bracket = last.indexOf('[');
  return bracket === -1 ? last : last.slice(0, bracket);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Checks that `path` is an existing file, so that nothing (better-sqlite3, SqliteStorage) creates
 * an empty database where the user mistyped a path.
 */
export function checkStateFile(path: string, shown: string): void {
  if (!existsSync(path)) throw new StateFileError(`${shown}: no such file`);
  if (statSync(path).isDirectory()) {
    throw new StateFileError(`${shown} is a directory; give the .unit-state.db file in it`);
  }
}

/**
 * Reads a unit-state database without changing its content. The charm's own connection uses exclusive
 * locking, so this waits (up to `busyTimeoutMs`) while a hook is running on the unit.
 *
 * @throws {StateFileError} the file is missing, not SQLite, or not charmkit's.
 */
export function readUnitState(
  path: string,
  shown: string,
  now = Date.now(),
  busyTimeoutMs = 5000,
): UnitStateReport {
  checkStateFile(path, shown);
  let db: BetterSqlite3.Database;
  try {
    // Not `readonly`: a WAL database left by a killed hook needs a writer to recover it (as the
    // charm's next hook would); no statement here writes.
    db = new BetterSqlite3(path, { fileMustExist: true, timeout: busyTimeoutMs });
  } catch (cause) {
    throw new StateFileError(`${shown}: cannot open: ${(cause as Error).message}`, { cause });
  }
  try {
    let tables: string[];
    try {
      // As the charm does: with exclusive locking a WAL database needs no -shm file to be read.
      db.pragma('locking_mode = EXCLUSIVE');
      tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name);
    } catch (cause) {
      throw new StateFileError(`${shown} is not a SQLite database (${(cause as Error).message})`, { cause });
    }
    if (!tables.includes('meta') || !tables.includes('notice') || !tables.includes('snapshot')) {
      throw new StateFileError(
        `${shown} is not a charmkit unit-state database (tables: ${
          tables
            .filter((t) => !t.startsWith('sqlite_'))
            .sort()
            .join(', ') || 'none'
        })`,
      );
    }
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    );
    const snapshots = new Map(
      (
        db.prepare('SELECT handle, data FROM snapshot ORDER BY handle').all() as {
          handle: string;
          data: string;
        }[]
      ).map((r) => [r.handle, r.data]),
    );
    const toReport = (row: NoticeRow): NoticeReport => ({
      sequence: row.sequence,
      event: row.event_path,
      kind: eventKind(row.event_path),
      observer: `${row.observer_path}.${row.method_name}`,
      deferredAt: new Date(row.deferred_at).toISOString(),
      ageSeconds: Math.max(0, Math.round((now - row.deferred_at) / 1000)),
      failures: row.failures,
      lastError: row.last_error,
      snapshot: parseJson(snapshots.get(row.event_path)),
      ...(row.parked_at === undefined ? {} : { parkedAt: new Date(row.parked_at).toISOString() }),
    });
    const deferred = (db.prepare('SELECT * FROM notice ORDER BY sequence').all() as NoticeRow[]).map(
      toReport,
    );
    const parked = tables.includes('parked_notice')
      ? (db.prepare('SELECT * FROM parked_notice ORDER BY sequence').all() as NoticeRow[]).map(toReport)
      : [];
    const storedState: Record<string, unknown> = {};
    for (const [handle, data] of snapshots) {
      if (/StoredStateData\[[^\]]*\]$/.test(handle)) storedState[handle] = parseJson(data);
    }
    return {
      path,
      format: meta.get('format') ?? 'unknown',
      schemaVersion: Number(meta.get('schema_version') ?? 0),
      storedState,
      deferred,
      parked,
    };
  } finally {
    db.close();
  }
}

/** `75` → `1m 15s`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}
