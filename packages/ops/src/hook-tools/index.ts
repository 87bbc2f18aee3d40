/**
 * The hook-tool layer: typed, synchronous wrappers for every Juju hook tool. Charms rarely need it:
 * the model is built on it.
 *
 * @module @charmkit/ops/hook-tools
 */

export {
  type ActionResults,
  type ActionResultValue,
  actionFail,
  actionGet,
  actionGetKey,
  actionLog,
  actionSet,
  flattenActionResults,
  RESERVED_ACTION_KEYS,
} from './action.js';
export { type ConfigValue, configGet, configGetAll, configGetKey } from './config.js';
export { type CloudCredential, type CloudSpec, credentialGet } from './credential.js';
export {
  ActionNotRunningError,
  classifyHookToolFailure,
  HookToolArgumentError,
  HookToolConfigError,
  HookToolError,
  type HookToolErrorClass,
  type HookToolErrorCode,
  type HookToolErrorDetails,
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
} from './errors.js';
export { type GoalState, type GoalStatus, goalState } from './goal-state.js';
export { HookTools } from './hook-tools.js';
export { JUJU_LOG_LEVELS, type JujuLogLevel, jujuLog, splitUtf8 } from './juju-log.js';
export { isLeader, leaderGet, leaderGetKey, leaderSet } from './leadership.js';
export {
  type BindAddress,
  type InterfaceAddress,
  type NetworkGetOptions,
  type NetworkInfo,
  networkGet,
} from './network.js';
export {
  closePort,
  formatPort,
  type IcmpPort,
  type OpenedPort,
  type OpenedPortsOptions,
  openedPorts,
  openPort,
  type Port,
  type PortOptions,
  type PortRange,
  parseOpenedPort,
} from './ports.js';
export {
  cleanPrivateTempDir,
  PRIVATE_TEMP_DIR_NAME,
  privateTempDirOf,
  withPrivateFile,
} from './private-temp-dir.js';
export { jujuReboot, type RebootOptions } from './reboot.js';
export {
  type RelationGetOptions,
  type RelationOptions,
  type RelationSetOptions,
  relationGet,
  relationGetKey,
  relationIds,
  relationList,
  relationModelGet,
  relationRemoteApp,
  relationSet,
} from './relation.js';
export { parseRelationId, type RelationRef } from './relation-ref.js';
export { isRemovedInJuju4, REMOVED_IN_JUJU_4, removedInJuju4Error } from './removed-in-juju-4.js';
export { resourceGet } from './resource.js';
export {
  DEFAULT_HOOK_TOOL_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  HOOK_TOOL_TIMEOUT_ENV,
  MAX_ARGUMENT_BYTES,
  type RunJsonOptions,
  type RunToolOptions,
  type SpawnListener,
  ToolRunner,
  type ToolRunnerOptions,
} from './run-tool.js';
export {
  SECRET_KEY,
  SECRET_ROTATE_POLICIES,
  SECRET_URI,
  type SecretAccess,
  type SecretAddOptions,
  type SecretGetOptions,
  type SecretGrantOptions,
  type SecretInfo,
  type SecretMetadataOptions,
  type SecretOwner,
  type SecretRemoveOptions,
  type SecretRotatePolicy,
  type SecretSelector,
  type SecretSetOptions,
  secretAdd,
  secretGet,
  secretGrant,
  secretIds,
  secretInfoGet,
  secretRemove,
  secretRevoke,
  secretSet,
} from './secret.js';
export {
  type ApplicationStatusInfo,
  applicationStatusGet,
  applicationVersionSet,
  SETTABLE_STATUSES,
  type SettableStatus,
  type StatusInfo,
  type StatusSetOptions,
  statusGet,
  statusSet,
} from './status.js';
export {
  type StorageGetOptions,
  type StorageInfo,
  storageAdd,
  storageGet,
  storageList,
} from './storage.js';
export { type UnitSetting, unitGet } from './unit-get.js';
export {
  MAX_STATE_KEY_BYTES,
  MAX_STATE_VALUE_BYTES,
  stateDelete,
  stateGet,
  stateGetKey,
  stateSet,
} from './unit-state.js';
