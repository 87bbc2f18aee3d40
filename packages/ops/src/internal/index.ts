/**
 * What charmkit's own packages (`@charmkit/testing`, `@charmkit/cli`) need from the framework and
 * a charm does not: the dispatch entry, storage classes, the hook-tool backend, build markers.
 * **Unstable**: it changes with the framework, without a major version. Charms and charm
 * libraries use `@charmkit/ops` (and its `hook-tools` and `pebble` subpaths) only.
 *
 * @module @charmkit/ops/internal
 */

export { kindPrefix } from '../charm-events.js';
export {
  BUILT_CHARM_META_FILE,
  type BuiltCharmMeta,
  CHARM_META_FILES,
  readBuiltCharmMeta,
} from '../charm-meta.js';
export { buildCharmMetaJson } from '../charm-meta-files.js';
export type { DebugStopper, DebugStopRequest } from '../debug/debug-stopper.js';
export { type DispatchOptions, type DispatchResult, dispatch, RESTRICTED_KINDS } from '../dispatch.js';
export {
  COMPILE_CACHE_DIR,
  DISPATCH_MANIFEST_ENV,
  DISPATCH_MANIFEST_FILE,
  type DispatchManifest,
  NO_SKIP_MARKER,
  QUEUE_EMPTY_MARKER,
} from '../dispatch-manifest.js';
export type { Checkpointable, FrameworkOptions } from '../framework.js';
export { cleanPrivateTempDir, PRIVATE_TEMP_DIR_NAME } from '../hook-tools/private-temp-dir.js';
export { canonicalJson } from '../json.js';
export { eventKindFromDispatchPath, parseJujuContext } from '../juju-context.js';
export { camelCaseName } from '../load-schema.js';
export { HookLogger, LevelLogger, type LogSink, MemoryLogger } from '../logger.js';
export { paramSchema } from '../model/action-params.js';
export { HookToolsBackend } from '../model/hook-tools-backend.js';
export type { ModelContext } from '../model/model.js';
export type {
  BackendSecretInfo,
  ModelBackend,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretSelector,
  StorageInfo,
} from '../model/model-backend.js';
export { canonicalSecretId } from '../model/secret-rules.js';
export { JujuStorage, type UnitStateTools } from '../storage/juju-storage.js';
export { MemoryStorage } from '../storage/memory-storage.js';
export {
  decodeFrameworkState,
  encodeFrameworkState,
  eventKindOf,
  eventNumberOf,
  FRAMEWORK_STATE_PATH,
  parseStoredStatePath,
  type StoredStatePathParts,
  storedStatePath,
} from '../storage/snapshot-paths.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  QUEUE_EMPTY_MARKER_SUFFIX,
  SqliteStorage,
  type SqliteStorageOptions,
  STORAGE_SCHEMA_VERSION,
} from '../storage/sqlite-storage.js';
export type { ParkedNotice, Storage, StorageSchema, StoredNotice } from '../storage/storage.js';
export {
  type InspectedNotice,
  type InspectedParkedNotice,
  type InspectedStoredState,
  type InspectFileOptions,
  StorageInspector,
} from '../storage/storage-inspector.js';
