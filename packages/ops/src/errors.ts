import { CharmkitError } from './charmkit-error.js';

/** A handle kind or key contains characters a path cannot hold. */
export class InvalidHandleError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_HANDLE';
}

/** Two live objects claim the same handle path (e.g. a library object constructed twice). */
export class DuplicateHandleError extends CharmkitError {
  readonly code = 'CHARMKIT_DUPLICATE_HANDLE';
}

/** A class used as an object has no `static handleKind` of its own or inherited. */
export class MissingHandleKindError extends CharmkitError {
  readonly code = 'CHARMKIT_MISSING_HANDLE_KIND';
}

/** `observe()` was given something it cannot persist: not a bound event, or not a named method. */
export class InvalidObserverError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_OBSERVER';
}

/** An event was declared wrongly: bad kind, or a kind declared twice with different classes. */
export class EventDefinitionError extends CharmkitError {
  readonly code = 'CHARMKIT_EVENT_DEFINITION';
}

/** `defer()` on an event that Juju or the framework does not let you defer. */
export class EventNotDeferrableError extends CharmkitError {
  readonly code = 'CHARMKIT_NOT_DEFERRABLE';
}

/** A snapshot (event or stored state) is not JSON, or failed its schema on restore. */
export class InvalidSnapshotError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_SNAPSHOT';
}

/** A snapshot that should exist is missing from storage. */
export class NoSnapshotError extends CharmkitError {
  readonly code = 'CHARMKIT_NO_SNAPSHOT';
}

/** A value assigned to stored state is not JSON, or does not match the declared schema. */
export class StoredStateError extends CharmkitError {
  readonly code = 'CHARMKIT_STORED_STATE';
}

/**
 * The unit-state storage cannot be used: foreign, from a newer charmkit, or one of the more precise
 * subclasses below (busy, full, I/O, access, not a regular file, corrupt). Never replaced.
 */
export class StorageError extends CharmkitError {
  readonly code: `CHARMKIT_STORAGE${string}` = 'CHARMKIT_STORAGE';
}

/**
 * Another process holds the unit-state database past the busy timeout. Nothing is wrong with the
 * file: retry the hook once the other process is done; never move the file aside.
 */
export class StorageBusyError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_BUSY';
}

/** The disk or filesystem holding the unit-state database is full (SQLITE_FULL). */
export class StorageFullError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_FULL';
}

/** Reading or writing the unit-state database failed at the operating-system level (SQLITE_IOERR). */
export class StorageIoError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_IO';
}

/** The unit-state database cannot be opened or written: permissions, read-only file or directory. */
export class StorageAccessError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_ACCESS';
}

/** The unit-state database path is not a regular file (a directory, a symbolic link, a FIFO, …). */
export class StorageNotAFileError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_NOT_A_FILE';
}

/** The unit-state database is corrupt or not a SQLite database (SQLITE_CORRUPT, SQLITE_NOTADB). */
export class StorageCorruptError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_CORRUPT';
}

/** charmcraft.yaml / metadata.yaml / config.yaml / actions.yaml is missing or invalid. */
export class CharmMetaError extends CharmkitError {
  readonly code = 'CHARMKIT_CHARM_META';
}

/** The `JUJU_*` environment is missing a variable or has one in the wrong shape. */
export class JujuContextError extends CharmkitError {
  readonly code = 'CHARMKIT_JUJU_CONTEXT';
}

/** A name (relation, container, storage, action) is not declared in the charm's metadata. */
export class UnknownEndpointError extends CharmkitError {
  readonly code = 'CHARMKIT_UNKNOWN_ENDPOINT';
}
