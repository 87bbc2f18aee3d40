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
  type RelationEndpointEvents,
  type StorageEndpointEvents,
} from './charm-events.js';
export {
  type ActionMeta,
  type ActionParamSchema,
  type CharmMeta,
  type CharmMetaSources,
  type ConfigOptionMeta,
  type ConfigOptionType,
  type ContainerMeta,
  type ParseCharmMetaOptions,
  parseCharmMeta,
  type RelationMeta,
  type ResourceMeta,
  type StorageMeta,
} from './charm-meta.js';
export { loadCharmMeta } from './charm-meta-files.js';
export type { ActionNameOf, ActionParamsOf, CharmTypes, UntypedCharm } from './charm-types.js';
export { CharmkitError } from './charmkit-error.js';
export { InvalidBreakpointNameError } from './debug/breakpoint-name.js';
export type { DispatchPhase, DispatchView } from './dispatch-view.js';
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
  LazyNotice,
  PebbleCheckEvent,
  PebbleCheckFailedEvent,
  PebbleCheckRecoveredEvent,
  PebbleCustomNoticeEvent,
  type PebbleNoticeRef,
  PebbleReadyEvent,
  WorkloadEvent,
} from './events/workload-events.js';
export { type DispatchParticipant, Framework, type FrameworkBusEvents } from './framework.js';
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
  RemovedInJuju4Error,
  SecretNotFoundError,
} from './hook-tools/errors.js';
export type { GoalStatus } from './hook-tools/goal-state.js';
export type { BindAddress, InterfaceAddress } from './hook-tools/network.js';
export type { StandardOutput, StandardSchema, StandardSchemaIssue } from './internal/standard-schema.js';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json.js';
export { type JujuContext, type JujuVersion, parseJujuVersion } from './juju-context.js';
export {
  CollectStatusEvent,
  CommitEvent,
  FrameworkEvents,
  LifecycleEvent,
  PreCommitEvent,
} from './lifecycle-events.js';
export { AsyncSchemaError } from './load-schema.js';
export type { Logger, LogLevel } from './logger.js';
export { type MainOptions, main } from './main.js';
export { actionParamsSchema, validateActionParams } from './model/action-params.js';
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
export { CheckNotFoundError, ServiceNotFoundError } from './model/container-errors.js';
export { Model, type SecretLookup } from './model/model.js';
export type {
  CloudSpec,
  ConfigValue,
  GoalState,
  NetworkInfo,
  SecretOwner,
  SettableStatusName,
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
export type { IcmpPort, Port, PortNumberOrRange, PortProtocol, PortRange } from './model/port.js';
export { Relation } from './model/relation.js';
export { type BagAccess, RelationDataBag } from './model/relation-data-bag.js';
export { Resources } from './model/resources.js';
export {
  Secret,
  type SecretGetContentOptions,
  type SecretGrantOptions,
  type SecretInfo,
} from './model/secret.js';
export type { SecretContent, SecretExpiry, SecretMetadata, SecretRotate } from './model/secret-rules.js';
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
export type { ActionNameArg, ModelActionParams, ModelConfig, RelationOf } from './model/typed-names.js';
export { Unit } from './model/unit.js';
export { ObjectEvents } from './object-events.js';
export { OpsObject } from './ops-object.js';
export {
  PebbleAPIError,
  PebbleChangeError,
  PebbleConnectionError,
  PebbleExecError,
  PebbleExecTimeoutError,
  PebblePathError,
  PebbleProtocolError,
} from './pebble/errors.js';
export type { Pebble } from './pebble/pebble-api.js';
export {
  type SafeParser,
  type StoredShape,
  StoredStateData,
  type StoredStateOptions,
} from './stored-state.js';
