import { CharmkitError } from './charmkit-error.js';
import type { OpsErrorCode } from './error-codes.js';

/**
 * A handle kind or key contains characters a path cannot hold, or a stored handle path does not
 * parse.
 *
 * @remedy Use kinds and keys without `/`, `[` or `]` (a charm's `handleKind`, a `storedState()`
 * name, an event kind). A stored path that no longer parses means the unit-state file was edited
 * by hand: inspect it with `charmkit state`.
 */
export class InvalidHandleError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_HANDLE' satisfies OpsErrorCode;
}

/**
 * Two live objects claim the same handle path (e.g. a library object constructed twice), or two
 * `storedState()` declarations share a name.
 *
 * @remedy Construct each library object once per charm, or give the second one a distinct key;
 * give each `storedState()` of an object its own name. Paths are the keys of deferred events and
 * stored state, so they must be unique.
 */
export class DuplicateHandleError extends CharmkitError {
  readonly code = 'CHARMKIT_DUPLICATE_HANDLE' satisfies OpsErrorCode;
}

/**
 * A class used as an object (a charm, a library object) has no `static handleKind` of its own or
 * inherited.
 *
 * @remedy Add `static override readonly handleKind = 'MyCharm'` to the class. Bundlers rename
 * classes, so the kind that names its stored state and deferred events must be written out.
 */
export class MissingHandleKindError extends CharmkitError {
  readonly code = 'CHARMKIT_MISSING_HANDLE_KIND' satisfies OpsErrorCode;
}

/**
 * `observe()` was given something it cannot persist: not a bound event, or not a named method of
 * an object.
 *
 * @remedy Pass a bound event (`this.on.configChanged`) and a method of the observer
 * (`this.onConfigChanged`), not an arrow function or a bound function: the deferred queue records
 * the handler by its object's path and its method name. When several objects share the method,
 * say which with `observe(event, observer, handler)`.
 */
export class InvalidObserverError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_OBSERVER' satisfies OpsErrorCode;
}

/**
 * An event was declared wrongly: a kind that is not lowercase letters, digits and underscores, or
 * a kind declared twice on the same emitter.
 *
 * @remedy Spell kinds like Juju's (`restart_requested`) and declare each kind once per
 * `ObjectEvents` class: a kind names the stored events, so two classes cannot share it.
 */
export class EventDefinitionError extends CharmkitError {
  readonly code = 'CHARMKIT_EVENT_DEFINITION' satisfies OpsErrorCode;
}

/**
 * `defer()` on an event that Juju or the framework does not let you defer: actions, lifecycle
 * events (`preCommit`, `commit`, collect-status) and the other events that run once.
 *
 * @remedy Do not defer it. For an action, fail it (`event.fail()`) or do the work now; for work
 * that must wait, record it (stored state) and pick it up in a later hook.
 */
export class EventNotDeferrableError extends CharmkitError {
  readonly code = 'CHARMKIT_NOT_DEFERRABLE' satisfies OpsErrorCode;
}

/**
 * An event's snapshot is not JSON, or a stored snapshot does not read back as a JSON object.
 *
 * @remedy Make the event's `snapshot()` return plain JSON (strings, numbers, booleans, null,
 * arrays and objects; no `Date`, `Map` or class instances) and `restore()` read the same shape. A
 * stored snapshot that fails to read back was written by hand or by another charm: inspect it
 * with `charmkit state`.
 */
export class InvalidSnapshotError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_SNAPSHOT' satisfies OpsErrorCode;
}

/**
 * A value assigned to stored state is not JSON or does not match the declared schema, or the
 * stored value no longer reads back.
 *
 * @remedy Store JSON values only (convert a `Date` to a string or a number) and keep them within
 * the schema given to `storedState()`. When a new release changes the shape, make the schema
 * accept the old one too (a default, a union), since stored state outlives the charm's code.
 */
export class StoredStateError extends CharmkitError {
  readonly code = 'CHARMKIT_STORED_STATE' satisfies OpsErrorCode;
}

/** Every `code` a {@link StorageError} can carry. */
export type StorageErrorCode =
  | 'CHARMKIT_STORAGE'
  | 'CHARMKIT_STORAGE_BUSY'
  | 'CHARMKIT_STORAGE_FULL'
  | 'CHARMKIT_STORAGE_IO'
  | 'CHARMKIT_STORAGE_ACCESS'
  | 'CHARMKIT_STORAGE_NOT_A_FILE'
  | 'CHARMKIT_STORAGE_CORRUPT';

/**
 * The unit-state storage cannot be used: foreign (not a charmkit unit-state database), written by
 * a newer charmkit, any other SQLite failure, or one of the more precise subclasses (busy, full,
 * I/O, access, not a regular file, corrupt). Never replaced.
 *
 * @remedy Read the message: it names the file and the cause. A database from a newer charmkit
 * needs that charmkit again (downgrading cannot keep its state); a foreign file (Python ops'
 * `.unit-state.db`, say) must be moved aside by hand. See the storage reference.
 */
export class StorageError extends CharmkitError {
  readonly code: StorageErrorCode = 'CHARMKIT_STORAGE';
}

/**
 * Another process holds the unit-state database past the busy timeout. Nothing is wrong with the
 * file.
 *
 * @remedy Find the other process (a `charmkit state` left open, a process the charm started) and
 * let it finish; Juju retries the hook. Never move the file aside for this.
 */
export class StorageBusyError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_BUSY';
}

/**
 * The disk or filesystem holding the unit-state database is full (SQLITE_FULL).
 *
 * @remedy Free space on the unit. The hook's changes were not saved and the earlier state is
 * intact; Juju retries the hook.
 */
export class StorageFullError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_FULL';
}

/**
 * Reading or writing the unit-state database failed at the operating-system level (SQLITE_IOERR).
 *
 * @remedy Check the disk and the filesystem of the charm directory (the kernel log, `dmesg`).
 */
export class StorageIoError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_IO';
}

/**
 * The unit-state database cannot be opened or written: permissions, read-only file or directory.
 *
 * @remedy Check the owner and mode of `.unit-state.db` and of the charm directory: the hook's user
 * must be able to write both.
 */
export class StorageAccessError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_ACCESS';
}

/**
 * The unit-state database path is not a regular file (a directory, a symbolic link, a FIFO, …).
 *
 * @remedy Make `.unit-state.db` a regular file again (charmkit never follows a link there).
 */
export class StorageNotAFileError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_NOT_A_FILE';
}

/**
 * The unit-state database is corrupt or not a SQLite database (SQLITE_CORRUPT, SQLITE_NOTADB).
 *
 * @remedy Move the file aside to start with empty state (deferred events and stored state are then
 * lost); charmkit never replaces it by itself.
 */
export class StorageCorruptError extends StorageError {
  override readonly code = 'CHARMKIT_STORAGE_CORRUPT';
}

/**
 * charmcraft.yaml / metadata.yaml / config.yaml / actions.yaml is missing or invalid.
 *
 * @remedy Fix the file the message names (it says the field and what was expected); `charmkit
 * build` checks the same rules, so a built charm fails at build time rather than in a hook.
 */
export class CharmMetaError extends CharmkitError {
  readonly code = 'CHARMKIT_CHARM_META' satisfies OpsErrorCode;
}

/**
 * The `JUJU_*` environment is missing a variable or has one in the wrong shape.
 *
 * @remedy Run the charm from Juju (or `charmkit simulate`, or the testing package's `Context`),
 * which set the environment of each hook. Run by hand, set what the message names, e.g.
 * `JUJU_RELATION_ID` for a relation hook.
 */
export class JujuContextError extends CharmkitError {
  readonly code = 'CHARMKIT_JUJU_CONTEXT' satisfies OpsErrorCode;
}

/**
 * A name (relation, container, storage, resource, action) is not declared in the charm's
 * metadata.
 *
 * @remedy Declare it in metadata, or fix the spelling (the message lists the declared names and
 * suggests the closest). With the types `charmkit typegen` writes, such a name does not compile.
 */
export class UnknownEndpointError extends CharmkitError {
  readonly code = 'CHARMKIT_UNKNOWN_ENDPOINT' satisfies OpsErrorCode;
}
