/**
 * One deferred (event, observer) pair still waiting to be handled: "observer `method` of the
 * object at `observerPath` has yet to see the event at `eventPath`".
 */
export interface StoredNotice {
  /** Queue position; increasing, never reused. Re-deferring keeps it. */
  readonly sequence: number;
  /** Handle path of the event, e.g. `MyCharm/on/config_changed[7]`. */
  readonly eventPath: string;
  /** Handle path of the observing object, e.g. `MyCharm`. */
  readonly observerPath: string;
  /** Name of the observing method, e.g. `onConfigChanged`. */
  readonly methodName: string;
  /** When the event was first deferred (ms since the epoch). */
  readonly deferredAt: number;
  /** How many dispatches in a row the handler threw while re-emitting this notice. */
  readonly failures: number;
  /** The last such error, with its stack, or null. */
  readonly lastError: string | null;
}

/** A notice taken out of the queue after failing too many times; kept for inspection. */
export interface ParkedNotice extends StoredNotice {
  /** When it was parked (ms since the epoch). */
  readonly parkedAt: number;
}

/** Which layout a storage's data is in, as its own records say. */
export interface StorageSchema {
  /** Always `charmkit` for data this framework can read. */
  readonly format: string;
  /** The layout version, e.g. 1 (`STORAGE_SCHEMA_VERSION` for SQLite). */
  readonly version: number;
}

/**
 * Where the framework keeps snapshots (events and stored state, as JSON text keyed by handle
 * path) and the deferred-event queue. One dispatch is one transaction: `begin()` at the start,
 * `commit()` or `rollback()` at the end. Savepoints nest inside it, so one deferred handler's
 * failure can be undone without undoing the rest of the dispatch.
 */
export interface Storage {
  /** Where the data lives, for messages: a file path, `memory`, or `juju state`. */
  readonly location: string;
  /** Starts the dispatch's transaction. */
  begin(): void;
  /** Makes everything since `begin()` durable. */
  commit(): void;
  /**
   * Discards everything since `begin()`. Safe to call when no transaction is open (the backend may
   * already have given it up, e.g. SQLite on a full disk) and should not throw: it runs while an
   * earlier error is on its way out and must not replace it.
   */
  rollback(): void;
  /** Releases the storage; an open transaction is rolled back. Reports a failed cleanup by throwing. */
  close(): void;
  /** Opens a nested savepoint. */
  savepoint(): void;
  /** Keeps the changes since the innermost savepoint and closes it. */
  releaseSavepoint(): void;
  /** Discards the changes since the innermost savepoint and closes it. */
  rollbackSavepoint(): void;

  /** The JSON text saved under `handlePath`, or null. */
  loadSnapshot(handlePath: string): string | null;
  /** Saves JSON text under `handlePath`, replacing what was there. */
  saveSnapshot(handlePath: string, json: string): void;
  /** Removes the snapshot under `handlePath`, if any. */
  dropSnapshot(handlePath: string): void;
  /**
   * Every snapshot, by handle path (optional: the framework never lists them, but
   * `StorageInspector` needs it to list stored state). The built-in storages all have it.
   */
  snapshots?(): ReadonlyMap<string, string>;
  /** The layout the data is in, once `begin()` has read it (optional; not for in-memory storage). */
  schema?(): StorageSchema | null;

  /** Every queued notice, in queue order. */
  notices(): StoredNotice[];
  /**
   * The snapshots of every queued notice's event, by event path, in one read (optional: the
   * framework falls back to one `loadSnapshot` per event path). With thousands of deferred events,
   * one query instead of one per event matters (docs/explanation/performance.md).
   */
  noticeSnapshots?(): Map<string, string>;
  /** The highest notice sequence ever handed out (queued, parked or dropped), or 0. */
  maxSequence(): number;
  /** Queues a notice under its own sequence. */
  saveNotice(notice: StoredNotice): void;
  /** Records a failed re-emission of a queued notice (`failures` 0 and `lastError` null reset it). */
  setNoticeFailures(sequence: number, failures: number, lastError: string | null): void;
  /** Removes a notice from the queue. */
  dropNotice(sequence: number): void;
  /** Moves a queued notice to the parked list. */
  parkNotice(sequence: number, parkedAt: number): void;
  /** Every parked notice, oldest first. */
  parkedNotices(): ParkedNotice[];
  /** Removes a parked notice for good. */
  dropParkedNotice(sequence: number): void;
  /** Puts a parked notice back at its old place in the queue, its failures reset. */
  requeueParkedNotice(sequence: number): void;
}
