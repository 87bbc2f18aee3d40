import { existsSync, statSync } from 'node:fs';
import { StorageError } from '@charmkit/ops';
import { type InspectedNotice, StorageInspector } from '@charmkit/ops/internal';
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

/**
 * Checks that `path` is an existing file, so that the user gets a plain answer for a mistyped path
 * or a charm directory (the inspector itself never creates a file either).
 */
export function checkStateFile(path: string, shown: string): void {
  if (!existsSync(path)) throw new StateFileError(`${shown}: no such file`);
  if (statSync(path).isDirectory()) {
    throw new StateFileError(`${shown} is a directory; give the .unit-state.db file in it`);
  }
}

/**
 * Reads a unit-state database through ops' read-only `StorageInspector`
 * (`@charmkit/ops/internal`): nothing is created, written or locked for writing. A hook running on the unit holds the file: this waits for it (up
 * to `busyTimeoutMs`).
 *
 * @throws {StateFileError} the file is missing, not SQLite, not charmkit's, or in use; its `cause`
 * is the storage error that says which.
 */
export function readUnitState(
  path: string,
  shown: string,
  now = Date.now(),
  busyTimeoutMs = 5000,
): UnitStateReport {
  checkStateFile(path, shown);
  let inspector: StorageInspector;
  try {
    inspector = StorageInspector.openFile(path, { busyTimeoutMs, label: shown });
  } catch (cause) {
    if (cause instanceof StorageError) throw new StateFileError(cause.message, { cause });
    throw cause;
  }
  try {
    const toReport = (notice: InspectedNotice & { readonly parkedAt?: number }): NoticeReport => ({
      sequence: notice.sequence,
      event: notice.eventPath,
      kind: notice.eventKind,
      observer: `${notice.observerPath}.${notice.methodName}`,
      deferredAt: new Date(notice.deferredAt).toISOString(),
      ageSeconds: Math.max(0, Math.round((now - notice.deferredAt) / 1000)),
      failures: notice.failures,
      lastError: notice.lastError,
      snapshot: notice.snapshot,
      ...(notice.parkedAt === undefined ? {} : { parkedAt: new Date(notice.parkedAt).toISOString() }),
    });
    const storedState: Record<string, unknown> = {};
    for (const entry of inspector.storedStates()) storedState[entry.handlePath] = entry.content;
    const schema = inspector.schema();
    return {
      path,
      format: schema?.format ?? 'unknown',
      schemaVersion: schema?.version ?? 0,
      storedState,
      deferred: inspector.notices().map(toReport),
      parked: inspector.parkedNotices().map(toReport),
    };
  } finally {
    inspector.close();
  }
}

/** `75` → `1m 15s`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}
