/**
 * The field tables of what Pebble reports: system info, services, checks, changes and their
 * tasks, notices, files. `types.ts` names the types they describe; the doc comments here are the
 * fields' documentation.
 */
import * as z from 'zod/mini';
import { defineTable, field, nestedField } from './field-table.js';
import type { CheckLevel, NoticeType, Startup, Task, TaskProgress } from './types.js';
import {
  checkLevel,
  checkStatus,
  dataMap,
  duration,
  durationToWire,
  emptyAsAbsent,
  fileType,
  nullAsAbsent,
  optionalId,
  optionalName,
  permissions,
  permissionsToWire,
  serviceStatus,
  startup,
  stringList,
  stringMap,
  time,
  timeToWire,
  withDefault,
} from './wire-values.js';

export const systemInfo = defineTable(() => ({
  version: field('version', z.string()),
  bootId: field('boot-id', z.optional(z.string())),
  httpAddress: field('http-address', z.optional(z.string())),
}));

export const serviceInfo = defineTable(() => ({
  name: field('name', z.string()),
  startup: field('startup', startup),
  current: field('current', serviceStatus),
  /** When the service entered `current`; absent if Pebble did not say. */
  currentSince: field('current-since', z.optional(time), timeToWire),
}));

export const checkInfo = defineTable(() => ({
  name: field('name', z.string()),
  level: field('level', emptyAsAbsent<CheckLevel>(z.optional(z.union([checkLevel, z.literal('')])))),
  // Pebble before v1.15 had no per-check startup: every check ran.
  startup: field(
    'startup',
    withDefault<Startup>(z.optional(startup), () => 'enabled'),
  ),
  status: field('status', checkStatus),
  /** Consecutive failures so far (0 when Pebble omits it). */
  failures: field(
    'failures',
    withDefault(z.optional(z.int()), () => 0),
  ),
  /** Failures after which the check counts as down. */
  threshold: field('threshold', z.int()),
  /** The change that runs the check, on Pebble versions that run checks as changes. */
  changeId: field('change-id', emptyAsAbsent(z.optional(z.string()))),
}));

export const notice = defineTable(() => ({
  id: field('id', z.string()),
  /** The user the notice belongs to; absent for public notices. */
  userId: field('user-id', optionalId),
  // Newer Pebble versions may send types this client does not know.
  type: field('type', z.string() as z.ZodMiniType<NoticeType | (string & {}), string>),
  key: field('key', z.string()),
  firstOccurred: field('first-occurred', time, timeToWire),
  lastOccurred: field('last-occurred', time, timeToWire),
  lastRepeated: field('last-repeated', time, timeToWire),
  occurrences: field('occurrences', z.int()),
  lastData: field(
    'last-data',
    withDefault(z.nullish(stringMap), () => ({})),
  ),
  /** Milliseconds; absent when the notice repeats on every occurrence. */
  repeatAfter: field('repeat-after', z.optional(duration), durationToWire),
  /** Milliseconds after the last occurrence at which Pebble drops the notice. */
  expireAfter: field('expire-after', z.optional(duration), durationToWire),
}));

export const fileInfo = defineTable(() => ({
  /** Absolute path in the container. */
  path: field('path', z.string()),
  name: field('name', z.string()),
  type: field('type', fileType),
  /** Size in bytes; regular files only. */
  size: field('size', nullAsAbsent(z.int())),
  /** Permission bits, e.g. `0o644`. */
  permissions: field('permissions', permissions, permissionsToWire),
  lastModified: field('last-modified', time, timeToWire),
  userId: field('user-id', optionalId),
  user: field('user', optionalName),
  groupId: field('group-id', optionalId),
  group: field('group', optionalName),
}));

export const taskProgress = defineTable(() => ({
  label: field('label', z.string()),
  done: field('done', z.number()),
  total: field('total', z.number()),
}));

export const task = defineTable(() => ({
  id: field('id', z.string()),
  kind: field('kind', z.string()),
  summary: field('summary', z.string()),
  /** Pebble's status string: `Do`, `Doing`, `Done`, `Error`, `Hold`, `Undo`, ... */
  status: field('status', z.string()),
  log: field(
    'log',
    withDefault(z.nullish(stringList), () => []),
  ),
  progress: nestedField('progress', taskProgress.as<TaskProgress>(), 'object', (schema) => schema),
  spawnTime: field('spawn-time', time, timeToWire),
  readyTime: field('ready-time', z.optional(time), timeToWire),
  data: field('data', nullAsAbsent(dataMap)),
}));

export const change = defineTable(() => ({
  id: field('id', z.string()),
  kind: field('kind', z.string()),
  summary: field('summary', z.string()),
  /** Pebble's status string: `Do`, `Doing`, `Done`, `Error`, `Hold`, `Undo`, ... */
  status: field('status', z.string()),
  tasks: nestedField('tasks', task.as<Task>(), 'array', (schema) => withDefault(z.nullish(schema), () => [])),
  /** True once no task will run any more (done or failed). */
  ready: field('ready', z.boolean()),
  /** Set when the change failed. */
  err: field('err', emptyAsAbsent(z.optional(z.string()))),
  spawnTime: field('spawn-time', time, timeToWire),
  readyTime: field('ready-time', z.optional(time), timeToWire),
  data: field('data', nullAsAbsent(dataMap)),
}));
