/**
 * The shapes the Pebble client returns and accepts. Field names are camelCase; the client maps
 * them from and to Pebble's kebab-case JSON and YAML keys (`current-since` → `currentSince`,
 * `working-dir` → `workingDir`). Keys that are user data (environment variables, check names
 * in `onCheckFailure`, label names) are passed through untouched.
 *
 * Each object's fields are declared once, in its field table (`layer-tables.ts`,
 * `state-tables.ts`): the interfaces here take their fields, and their fields' documentation,
 * from there. A field added to a table is in the type, the parser and the writer at once.
 *
 * Durations inside layers (`period`, `backoffDelay`, ...) stay Pebble duration strings such as
 * `'10s'`, because that is what a layer file holds. Timeouts and `repeatAfter` given to client
 * methods are milliseconds, like everything else in Node.
 *
 * @module
 */
import type { TableValue } from './field-table.js';
import type {
  checkDefinition,
  execCheck,
  httpCheck,
  layer,
  logTargetDefinition,
  plan,
  serviceDefinition,
  tcpCheck,
} from './layer-tables.js';
import type {
  change,
  checkInfo,
  fileInfo,
  notice,
  serviceInfo,
  systemInfo,
  task,
  taskProgress,
} from './state-tables.js';

/** How a layer entry combines with the same entry in lower layers. */
export type Override = 'merge' | 'replace';

/** Whether Pebble starts a service on `autostart`/`replan`, or runs a check. */
export type Startup = 'enabled' | 'disabled';

/** What Pebble does when a service exits or a check fails. */
export type ServiceAction = 'restart' | 'shutdown' | 'ignore' | 'success-shutdown' | 'failure-shutdown';

/** One service in a layer or plan (the `services:` map of a Pebble layer). */
export interface ServiceDefinition extends TableValue<typeof serviceDefinition> {}

/** Health level of a check: `alive` failures mean restart, `ready` failures mean "not ready". */
export type CheckLevel = 'alive' | 'ready';

/** An HTTP check: up while the URL answers 2xx. */
export interface HttpCheck extends TableValue<typeof httpCheck> {}

/** A TCP check: up while the port accepts connections. */
export interface TcpCheck extends TableValue<typeof tcpCheck> {}

/** A command check: up while the command exits 0. */
export interface ExecCheck extends TableValue<typeof execCheck> {}

/** One check in a layer or plan (the `checks:` map of a Pebble layer). */
export interface CheckDefinition extends TableValue<typeof checkDefinition> {}

/** One log forwarding target in a layer or plan (the `log-targets:` map). */
export interface LogTargetDefinition extends TableValue<typeof logTargetDefinition> {}

/** A Pebble configuration layer, as given to `addLayer`. */
export interface Layer extends TableValue<typeof layer> {}

/** The combined configuration of all layers, as returned by `getPlan`. */
export interface Plan extends TableValue<typeof plan> {}

/** A service's run state. */
export type ServiceStatus = 'active' | 'inactive' | 'error' | 'backoff';

/** The state of one service, from `getServices`. */
export interface ServiceInfo extends TableValue<typeof serviceInfo> {}

/** A check's state. */
export type CheckStatus = 'up' | 'down' | 'inactive';

/** The state of one check, from `getChecks`. */
export interface CheckInfo extends TableValue<typeof checkInfo> {}

/** Notice kinds Pebble knows; newer Pebble versions may send others. */
export type NoticeType = 'custom' | 'change-update' | 'warning';

/** A notice: something that happened `occurrences` times, identified by type and key. */
export interface Notice extends TableValue<typeof notice> {}

/** Kind of a file system entry. */
export type FileType = 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';

/** One entry from `listFiles`. */
export interface FileInfo extends TableValue<typeof fileInfo> {}

/** Progress of a task. */
export interface TaskProgress extends TableValue<typeof taskProgress> {}

/** One step of a change. */
export interface Task extends TableValue<typeof task> {}

/** A Pebble change: a set of tasks (e.g. starting services) that runs in the background. */
export interface Change extends TableValue<typeof change> {}

/** What `systemInfo` reports about the Pebble daemon. */
export interface SystemInfo extends TableValue<typeof systemInfo> {}
