/**
 * The shapes the Pebble client returns and accepts. Field names are camelCase; the client maps
 * them from and to Pebble's kebab-case JSON and YAML keys (`current-since` → `currentSince`,
 * `working-dir` → `workingDir`). Keys that are user data (environment variables, check names
 * in `onCheckFailure`, label names) are passed through untouched.
 *
 * Durations inside layers (`period`, `backoffDelay`, ...) stay Pebble duration strings such as
 * `'10s'`, because that is what a layer file holds. Timeouts and `repeatAfter` given to client
 * methods are milliseconds, like everything else in Node.
 *
 * @module
 */

/** How a layer entry combines with the same entry in lower layers. */
export type Override = 'merge' | 'replace';

/** Whether Pebble starts a service on `autostart`/`replan`, or runs a check. */
export type Startup = 'enabled' | 'disabled';

/** What Pebble does when a service exits or a check fails. */
export type ServiceAction = 'restart' | 'shutdown' | 'ignore' | 'success-shutdown' | 'failure-shutdown';

/** One service in a layer or plan (the `services:` map of a Pebble layer). */
export interface ServiceDefinition {
  override?: Override;
  summary?: string;
  description?: string;
  startup?: Startup;
  /** The command line; Pebble splits it shell-style (no shell runs). */
  command?: string;
  after?: string[];
  before?: string[];
  requires?: string[];
  environment?: Record<string, string>;
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
  workingDir?: string;
  onSuccess?: ServiceAction;
  onFailure?: ServiceAction;
  /** Keyed by check name; the value is what to do when that check fails. */
  onCheckFailure?: Record<string, ServiceAction>;
  /** Pebble duration, e.g. `'500ms'`. */
  backoffDelay?: string;
  backoffFactor?: number;
  /** Pebble duration, e.g. `'30s'`. */
  backoffLimit?: string;
  /** Pebble duration, e.g. `'5s'`. */
  killDelay?: string;
}

/** Health level of a check: `alive` failures mean restart, `ready` failures mean "not ready". */
export type CheckLevel = 'alive' | 'ready';

/** An HTTP check: up while the URL answers 2xx. */
export interface HttpCheck {
  url: string;
  headers?: Record<string, string>;
}

/** A TCP check: up while the port accepts connections. */
export interface TcpCheck {
  port: number;
  host?: string;
}

/** A command check: up while the command exits 0. */
export interface ExecCheck {
  command: string;
  /** Run with the named service's environment, user, group and working directory. */
  serviceContext?: string;
  environment?: Record<string, string>;
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
  workingDir?: string;
}

/** One check in a layer or plan (the `checks:` map of a Pebble layer). */
export interface CheckDefinition {
  override?: Override;
  level?: CheckLevel;
  startup?: Startup;
  /** Pebble duration, e.g. `'10s'`. */
  period?: string;
  /** Pebble duration, e.g. `'3s'`. */
  timeout?: string;
  threshold?: number;
  http?: HttpCheck;
  tcp?: TcpCheck;
  exec?: ExecCheck;
}

/** One log forwarding target in a layer or plan (the `log-targets:` map). */
export interface LogTargetDefinition {
  override?: Override;
  /** `'loki'` or `'opentelemetry'` in current Pebble. */
  type?: string;
  location?: string;
  /** Services to forward; `'all'` for every service, `'-name'` to remove one. */
  services?: string[];
  labels?: Record<string, string>;
}

/** A Pebble configuration layer, as given to `addLayer`. */
export interface Layer {
  summary?: string;
  description?: string;
  services?: Record<string, ServiceDefinition>;
  checks?: Record<string, CheckDefinition>;
  logTargets?: Record<string, LogTargetDefinition>;
}

/** The combined configuration of all layers, as returned by `getPlan`. */
export interface Plan {
  services: Record<string, ServiceDefinition>;
  checks: Record<string, CheckDefinition>;
  logTargets: Record<string, LogTargetDefinition>;
}

/** A service's run state. */
export type ServiceStatus = 'active' | 'inactive' | 'error' | 'backoff';

/** The state of one service, from `getServices`. */
export interface ServiceInfo {
  name: string;
  startup: Startup;
  current: ServiceStatus;
  /** When the service entered `current`; absent if Pebble did not say. */
  currentSince?: Date;
}

/** A check's state. */
export type CheckStatus = 'up' | 'down' | 'inactive';

/** The state of one check, from `getChecks`. */
export interface CheckInfo {
  name: string;
  level?: CheckLevel;
  startup: Startup;
  status: CheckStatus;
  /** Consecutive failures so far (0 when Pebble omits it). */
  failures: number;
  /** Failures after which the check counts as down. */
  threshold: number;
  /** The change that runs the check, on Pebble versions that run checks as changes. */
  changeId?: string;
}

/** Notice kinds Pebble knows; newer Pebble versions may send others. */
export type NoticeType = 'custom' | 'change-update' | 'warning';

/** A notice: something that happened `occurrences` times, identified by type and key. */
export interface Notice {
  id: string;
  /** The user the notice belongs to; absent for public notices. */
  userId?: number;
  type: NoticeType | (string & {});
  key: string;
  firstOccurred: Date;
  lastOccurred: Date;
  lastRepeated: Date;
  occurrences: number;
  lastData: Record<string, string>;
  /** Milliseconds; absent when the notice repeats on every occurrence. */
  repeatAfter?: number;
  /** Milliseconds after the last occurrence at which Pebble drops the notice. */
  expireAfter?: number;
}

/** Kind of a file system entry. */
export type FileType = 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';

/** One entry from `listFiles`. */
export interface FileInfo {
  /** Absolute path in the container. */
  path: string;
  name: string;
  type: FileType;
  /** Size in bytes; regular files only. */
  size?: number;
  /** Permission bits, e.g. `0o644`. */
  permissions: number;
  lastModified: Date;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
}

/** Progress of a task. */
export interface TaskProgress {
  label: string;
  done: number;
  total: number;
}

/** One step of a change. */
export interface Task {
  id: string;
  kind: string;
  summary: string;
  /** Pebble's status string: `Do`, `Doing`, `Done`, `Error`, `Hold`, `Undo`, ... */
  status: string;
  log: string[];
  progress: TaskProgress;
  spawnTime: Date;
  readyTime?: Date;
  data?: Record<string, unknown>;
}

/** A Pebble change: a set of tasks (e.g. starting services) that runs in the background. */
export interface Change {
  id: string;
  kind: string;
  summary: string;
  /** Pebble's status string: `Do`, `Doing`, `Done`, `Error`, `Hold`, `Undo`, ... */
  status: string;
  tasks: Task[];
  /** True once no task will run any more (done or failed). */
  ready: boolean;
  /** Set when the change failed. */
  err?: string;
  spawnTime: Date;
  readyTime?: Date;
  data?: Record<string, unknown>;
}

/** What `systemInfo` reports about the Pebble daemon. */
export interface SystemInfo {
  version: string;
  bootId?: string;
  httpAddress?: string;
}
