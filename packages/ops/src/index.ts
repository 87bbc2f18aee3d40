/**
 * The charmkit framework: typed events, the Framework with its deferred queue, stored state,
 * storage, the model over Juju's hook tools, and `main()`.
 *
 * @module @charmkit/ops
 */

export { BoundEvent, type ObservableEvent } from './bound-event.js';
export { CharmBase, type CharmClass, type LoadConfigOptions } from './charm-base.js';
export {
  CharmEvents,
  type ContainerEvents,
  kindPrefix,
  type RelationEndpointEvents,
  type StorageEndpointEvents,
} from './charm-events.js';
export {
  type ActionMeta,
  type ActionParamSchema,
  BUILT_CHARM_META_FILE,
  type BuiltCharmMeta,
  CHARM_META_FILES,
  type CharmMeta,
  type CharmMetaSources,
  type ConfigOptionMeta,
  type ConfigOptionType,
  type ContainerMeta,
  type ParseCharmMetaOptions,
  parseCharmMeta,
  type RelationMeta,
  type ResourceMeta,
  readBuiltCharmMeta,
  type StorageMeta,
} from './charm-meta.js';
export { buildCharmMetaJson, loadCharmMeta } from './charm-meta-files.js';
export type { ActionNameOf, ActionParamsOf, CharmTypes, UntypedCharm } from './charm-types.js';
export { CharmkitError } from './charmkit-error.js';
export { InvalidBreakpointNameError } from './debug/breakpoint-name.js';
export type { DebugStopper, DebugStopRequest } from './debug/debug-stopper.js';
export { type DispatchOptions, type DispatchResult, dispatch, RESTRICTED_KINDS } from './dispatch.js';
export {
  DISPATCH_MANIFEST_ENV,
  DISPATCH_MANIFEST_FILE,
  type DispatchManifest,
  NO_SKIP_MARKER,
  QUEUE_EMPTY_MARKER,
} from './dispatch-manifest.js';
export type { OpsErrorCode } from './error-codes.js';
export {
  CharmMetaError,
  DuplicateHandleError,
  EventDefinitionError,
  EventNotDeferrableError,
  InvalidHandleError,
  InvalidObserverError,
  InvalidSnapshotError,
  JujuContextError,
  MissingHandleKindError,
  StorageAccessError,
  StorageBusyError,
  StorageCorruptError,
  StorageError,
  type StorageErrorCode,
  StorageFullError,
  StorageIoError,
  StorageNotAFileError,
  StoredStateError,
  UnknownEndpointError,
} from './errors.js';
export {
  type AnyEventType,
  type EventArgs,
  EventBase,
  type EventType,
  NonDeferrableEvent,
} from './event-base.js';
export { ActionEvent, type LoadParamsOptions } from './events/action-event.js';
export {
  CollectMetricsEvent,
  ConfigChangedEvent,
  HookEvent,
  InstallEvent,
  LeaderElectedEvent,
  LeaderSettingsChangedEvent,
  PostSeriesUpgradeEvent,
  PreSeriesUpgradeEvent,
  RemoveEvent,
  StartEvent,
  StopEvent,
  UpdateStatusEvent,
  UpgradeCharmEvent,
} from './events/hook-events.js';
export {
  RelationBrokenEvent,
  RelationChangedEvent,
  RelationCreatedEvent,
  RelationDepartedEvent,
  RelationEvent,
  RelationJoinedEvent,
} from './events/relation-events.js';
export {
  SecretChangedEvent,
  SecretEvent,
  SecretExpiredEvent,
  SecretRemoveEvent,
  SecretRevisionEvent,
  SecretRotateEvent,
} from './events/secret-events.js';
export { StorageAttachedEvent, StorageDetachingEvent, StorageEvent } from './events/storage-events.js';
export {
  PebbleCheckEvent,
  PebbleCheckFailedEvent,
  PebbleCheckRecoveredEvent,
  PebbleCustomNoticeEvent,
  type PebbleNoticeRef,
  PebbleReadyEvent,
  WorkloadEvent,
} from './events/workload-events.js';
export {
  type Checkpointable,
  type DispatchParticipant,
  Framework,
  type FrameworkBusEvents,
  type FrameworkOptions,
} from './framework.js';
export { Handle } from './handle.js';
export { HookAbort } from './hook-abort.js';
export type { ActionResults, ActionResultValue } from './hook-tools/action.js';
export type { CloudCredential } from './hook-tools/credential.js';
export {
  ActionNotRunningError,
  HookToolArgumentError,
  HookToolConfigError,
  HookToolError,
  type HookToolErrorCode,
  HookToolNotFoundError,
  HookToolOutputError,
  HookToolOutputLimitError,
  HookToolTempDirError,
  HookToolTimeoutError,
  NotLeaderError,
  PermissionDeniedError,
  RelationNotFoundError,
  SecretNotFoundError,
} from './hook-tools/errors.js';
export type { GoalStatus } from './hook-tools/goal-state.js';
export { HookTools } from './hook-tools/hook-tools.js';
export type { BindAddress, InterfaceAddress } from './hook-tools/network.js';
export { cleanPrivateTempDir, PRIVATE_TEMP_DIR_NAME } from './hook-tools/private-temp-dir.js';
export { DEFAULT_HOOK_TOOL_TIMEOUT_MS, HOOK_TOOL_TIMEOUT_ENV } from './hook-tools/run-tool.js';
export type { StandardOutput, StandardSchema, StandardSchemaIssue } from './internal/standard-schema.js';
export {
  canonicalJson,
  type JsonArray,
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
} from './json.js';
export { eventKindFromDispatchPath, type JujuContext, parseJujuContext } from './juju-context.js';
export {
  CollectStatusEvent,
  CommitEvent,
  FrameworkEvents,
  LifecycleEvent,
  PreCommitEvent,
} from './lifecycle-events.js';
export { AsyncSchemaError, camelCaseName } from './load-schema.js';
export { HookLogger, LevelLogger, type Logger, type LogLevel, type LogSink, MemoryLogger } from './logger.js';
export { type MainOptions, main } from './main.js';
export { actionParamsSchema, paramSchema, validateActionParams } from './model/action-params.js';
export { Application } from './model/application.js';
export {
  type ConfigDeclarations,
  type ConfigOf,
  type ConfigOptionDeclaration,
  type ConfigTypeMap,
  configSchema,
  configSchemaFromMeta,
  type InferConfig,
  validateConfig,
} from './model/config-schema.js';
export { Container } from './model/container.js';
export { HookToolsBackend } from './model/hook-tools-backend.js';
export { Model, type ModelContext, type SecretLookup } from './model/model.js';
export type {
  BackendSecretInfo,
  CloudSpec,
  ConfigValue,
  GoalState,
  ModelBackend,
  NetworkInfo,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretOwner,
  SecretSelector,
  SettableStatusName,
  StorageInfo,
} from './model/model-backend.js';
export {
  ActionParamsError,
  ConfigError,
  InvalidPortError,
  InvalidStatusError,
  ModelError,
  type ModelErrorCode,
  RelationDataAccessError,
  RelationDataError,
  type RelationDataErrorCode,
  RelationDataTypeError,
  RelationDataValidationError,
  SecretValidationError,
  TooManyRelatedAppsError,
} from './model/model-errors.js';
export { Binding, Network, type NetworkInterface } from './model/network.js';
export type {
  IcmpPort,
  Port,
  PortNumberOrRange,
  PortProtocol,
  PortRange,
} from './model/port.js';
export { Relation } from './model/relation.js';
export { type BagAccess, RelationDataBag } from './model/relation-data-bag.js';
export { Resources } from './model/resources.js';
export {
  Secret,
  type SecretGetContentOptions,
  type SecretGrantOptions,
  type SecretInfo,
} from './model/secret.js';
export {
  canonicalSecretId,
  type SecretContent,
  type SecretExpiry,
  type SecretMetadata,
  type SecretRotate,
} from './model/secret-rules.js';
export {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  type SettableStatus,
  StatusBase,
  type StatusName,
  UnknownStatus,
  WaitingStatus,
} from './model/status.js';
export { StorageInstance, type StorageLocator } from './model/storage-instance.js';
export { Unit } from './model/unit.js';
export { ObjectEvents } from './object-events.js';
export { OpsObject } from './ops-object.js';
export {
  PebbleAPIError,
  PebbleChangeError,
  PebbleConnectionError,
  PebblePathError,
  PebbleProtocolError,
} from './pebble/errors.js';
export { PebbleClient, pebbleSocketPath } from './pebble/pebble-client.js';
export { JujuStorage, type UnitStateTools } from './storage/juju-storage.js';
export { MemoryStorage } from './storage/memory-storage.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  QUEUE_EMPTY_MARKER_SUFFIX,
  SqliteStorage,
  type SqliteStorageOptions,
  STORAGE_SCHEMA_VERSION,
} from './storage/sqlite-storage.js';
export type { ParkedNotice, Storage, StoredNotice } from './storage/storage.js';
export {
  type SafeParser,
  type StoredShape,
  StoredStateData,
  type StoredStateOptions,
} from './stored-state.js';
