/**
 * Pebble: the service manager in every Kubernetes workload container, and charmkit's client for
 * its REST API over the container's unix socket.
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
  PebblePathError,
  type PebblePathErrorKind,
  PebbleProtocolError,
} from './errors.js';
export {
  type FileOwnership,
  type GetChecksOptions,
  type ListFilesOptions,
  type MakeDirOptions,
  type NoticeFilters,
  type NotifyOptions,
  PebbleClient,
  type PebbleClientOptions,
  type PullBytesOptions,
  type PullTextOptions,
  type PushOptions,
  pebbleSocketPath,
  type RemovePathOptions,
  type ServiceActionOptions,
  type WaitChangeOptions,
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
