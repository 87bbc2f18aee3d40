/**
 * Pebble: the service manager in every Kubernetes workload container. {@link Pebble} is what a
 * charm can ask of it; {@link PebbleClient} implements it over the container's unix socket.
 *
 * @module @charmkit/ops/pebble
 */
export {
  PebbleAPIError,
  type PebbleAPIErrorDetails,
  PebbleChangeError,
  type PebbleChangeFailure,
  PebbleConnectionError,
  type PebbleConnectionFailure,
  PebbleExecError,
  PebbleExecTimeoutError,
  PebblePathError,
  type PebblePathErrorKind,
  PebbleProtocolError,
} from './errors.js';
export type {
  ExecOptions,
  ExecOutput,
  ExecProcess,
  ExecResultType,
  FileOwnership,
  GetChecksOptions,
  Identity,
  ListFilesOptions,
  MakeDirOptions,
  NoticeFilters,
  NotifyOptions,
  Pebble,
  PullBytesOptions,
  PullTextOptions,
  PushOptions,
  RemovePathOptions,
  ServiceActionOptions,
  WaitChangeOptions,
} from './pebble-api.js';
export {
  PEBBLE_SOCKET_DIR_ENV,
  PebbleClient,
  type PebbleClientOptions,
  pebbleSocketPath,
} from './pebble-client.js';
export type {
  Change,
  CheckDefinition,
  CheckInfo,
  CheckLevel,
  CheckStatus,
  ExecCheck,
  FileInfo,
  FileType,
  HttpCheck,
  Layer,
  LogTargetDefinition,
  Notice,
  NoticeType,
  Override,
  Plan,
  ServiceAction,
  ServiceDefinition,
  ServiceInfo,
  ServiceStatus,
  Startup,
  SystemInfo,
  Task,
  TaskProgress,
  TcpCheck,
} from './types.js';
