import { StorageError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { eventKindOf, parseStoredStatePath } from './snapshot-paths.js';
import { SqliteStorage } from './sqlite-storage.js';
import type { ParkedNotice, Storage, StorageSchema, StoredNotice } from './storage.js';

/** A deferred notice as the inspector shows it: the stored record, with its event decoded. */
export interface InspectedNotice {
  /** Queue position; increasing, never reused. */
  readonly sequence: number;
  /** Handle path of the event, e.g. `MyCharm/on/config_changed[7]`. */
  readonly eventPath: string;
  /** The event kind, from its path: `config_changed`. */
  readonly eventKind: string;
  /** Handle path of the observing object, e.g. `MyCharm`. */
  readonly observerPath: string;
  /** Name of the observing method, e.g. `onConfigChanged`. */
  readonly methodName: string;
  /** When the event was first deferred (ms since the epoch). */
  readonly deferredAt: number;
  /** Failed re-emissions in a row (the handler threw). */
  readonly failures: number;
  /** The last such error, with its stack, or null. */
  readonly lastError: string | null;
  /**
   * The event's snapshot (its data), decoded; null when none is stored. Text that is not JSON
   * (a hand-edited file) comes back as that string.
   */
  readonly snapshot: JsonValue | null;
}

/** A notice taken out of the queue after failing too many times. */
export interface InspectedParkedNotice extends InspectedNotice {
  /** When it was parked (ms since the epoch). */
  readonly parkedAt: number;
}

/** One stored state's snapshot. */
export interface InspectedStoredState {
  /** Its handle path, e.g. `MyCharm/StoredStateData[stored]`. */
  readonly handlePath: string;
  /**
   * The owning object's path (`MyCharm`), or null for the framework's own state
   * (`StoredStateData[_stored]`, the counter that numbers events).
   */
  readonly ownerPath: string | null;
  /** The name given to `storedState()`. */
  readonly name: string;
  /** The content, decoded (text that is not JSON comes back as that string). */
  readonly content: JsonValue;
}

/** Options for {@link StorageInspector.openFile}. */
export interface InspectFileOptions {
  /** How long to wait while a hook holds the file (ms); `DEFAULT_BUSY_TIMEOUT_MS` by default. */
  readonly busyTimeoutMs?: number;
  /** How messages name the file (default: the path), e.g. as the user typed it. */
  readonly label?: string;
  /** Absolute path of `better_sqlite3.node`, as for `SqliteStorage`. */
  readonly nativeBinding?: string;
}

/**
 * Reads what a unit keeps between hooks — the deferred queue, parked notices, stored state —
 * without knowing how it is kept: over any {@link Storage}, through its read methods only, so it
 * never changes anything. `StorageInspector.openFile()` opens a `.unit-state.db` read-only for
 * it; `new StorageInspector(storage)` inspects a storage already in use (after its `begin()`: a
 * `JujuStorage` reads Juju's unit state only then). `charmkit state` and the testing package's
 * `Context` read storage only through this class.
 */
export class StorageInspector {
  readonly #storage: Storage;
  /** Opened by {@link openFile}: `close()` closes it. */
  #owned = false;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /**
   * Opens a unit-state database for reading only: nothing is created (a missing path is an
   * error), migrated or written, and no write lock is taken. While it is open it holds a shared
   * lock, which a hook waits for: {@link close} it promptly.
   *
   * @throws {StorageError} naming the file: `StorageNotAFileError` (missing, a directory, a
   * symbolic link…), `StorageCorruptError` (not SQLite), `StorageBusyError` (a hook held it past
   * the busy timeout), `StorageAccessError` (permissions), or `StorageError` itself for a SQLite
   * file that is not a charmkit unit-state database or is of a newer schema.
   */
  static openFile(path: string, options: InspectFileOptions = {}): StorageInspector {
    const storage = new SqliteStorage(path, { ...options, readOnly: true });
    try {
      storage.begin();
    } catch (error) {
      closeQuietly(storage);
      throw error;
    }
    const inspector = new StorageInspector(storage);
    inspector.#owned = true;
    return inspector;
  }

  /** Where the data lives (a path, `memory`, Juju's unit state), for messages. */
  get location(): string {
    return this.#storage.location;
  }

  /** The layout the data is in; null when the storage has none (in memory). */
  schema(): StorageSchema | null {
    return this.#storage.schema?.() ?? null;
  }

  /** The deferred queue, in the order it is re-emitted. */
  notices(): InspectedNotice[] {
    return this.#storage.notices().map((notice) => this.#inspect(notice));
  }

  /** Notices taken out of the queue after failing too often, oldest first. */
  parkedNotices(): InspectedParkedNotice[] {
    return this.#storage
      .parkedNotices()
      .map((notice: ParkedNotice) => ({ ...this.#inspect(notice), parkedAt: notice.parkedAt }));
  }

  /**
   * Every stored state, the framework's own included, in the storage's order (by handle path for
   * SQLite).
   *
   * @throws {StorageError} the storage cannot list its snapshots (a custom `Storage` without
   * `snapshots()`).
   */
  storedStates(): InspectedStoredState[] {
    const list = this.#storage.snapshots;
    if (!list) {
      throw new StorageError(
        `the storage at ${this.#storage.location} cannot list its snapshots (it has no snapshots() method)`,
      );
    }
    const out: InspectedStoredState[] = [];
    for (const [handlePath, json] of list.call(this.#storage)) {
      const parts = parseStoredStatePath(handlePath);
      if (parts) out.push({ handlePath, ...parts, content: decode(json) });
    }
    return out;
  }

  /** The snapshot saved under `handlePath`, decoded; null when there is none. */
  snapshot(handlePath: string): JsonValue | null {
    const json = this.#storage.loadSnapshot(handlePath);
    return json === null ? null : decode(json);
  }

  /** Ends the read. Closes the file when {@link openFile} opened it; otherwise does nothing. */
  close(): void {
    if (this.#owned) this.#storage.close();
  }

  #inspect(notice: StoredNotice): InspectedNotice {
    return {
      sequence: notice.sequence,
      eventPath: notice.eventPath,
      eventKind: eventKindOf(notice.eventPath),
      observerPath: notice.observerPath,
      methodName: notice.methodName,
      deferredAt: notice.deferredAt,
      failures: notice.failures,
      lastError: notice.lastError,
      snapshot: this.snapshot(notice.eventPath),
    };
  }
}

function decode(json: string): JsonValue {
  try {
    return JSON.parse(json) as JsonValue;
  } catch {
    return json;
  }
}

function closeQuietly(storage: Storage): void {
  try {
    storage.close();
  } catch {
    // The open already failed; that error is the one to report.
  }
}
