/**
 * The field tables of a Pebble layer and plan: services, checks, log targets. `types.ts` names
 * the types they describe; the doc comments here are the fields' documentation.
 *
 * Durations inside layers (`period`, `backoffDelay`, ...) stay Pebble duration strings such as
 * `'10s'`, because that is what a layer file holds.
 *
 * Plan YAML is written by Pebble from its own typed structs, so its types are reliable; a layer
 * given as YAML by the charm is checked by Pebble itself, not here.
 */
import * as z from 'zod/mini';
import { defineTable, field, nestedField } from './field-table.js';
import type {
  CheckDefinition,
  ExecCheck,
  HttpCheck,
  LogTargetDefinition,
  ServiceDefinition,
  TcpCheck,
} from './types.js';
import {
  checkLevel,
  override,
  serviceAction,
  startup,
  stringList,
  stringMap,
  withDefault,
} from './wire-values.js';

export const serviceDefinition = defineTable(() => ({
  override: field('override', z.optional(override)),
  summary: field('summary', z.optional(z.string())),
  description: field('description', z.optional(z.string())),
  startup: field('startup', z.optional(startup)),
  /** The command line; Pebble splits it shell-style (no shell runs). */
  command: field('command', z.optional(z.string())),
  after: field('after', z.optional(stringList)),
  before: field('before', z.optional(stringList)),
  requires: field('requires', z.optional(stringList)),
  environment: field('environment', z.optional(stringMap)),
  user: field('user', z.optional(z.string())),
  userId: field('user-id', z.optional(z.int())),
  group: field('group', z.optional(z.string())),
  groupId: field('group-id', z.optional(z.int())),
  workingDir: field('working-dir', z.optional(z.string())),
  onSuccess: field('on-success', z.optional(serviceAction)),
  onFailure: field('on-failure', z.optional(serviceAction)),
  /** Keyed by check name; the value is what to do when that check fails. */
  onCheckFailure: field('on-check-failure', z.optional(z.record(z.string(), serviceAction))),
  /** Pebble duration, e.g. `'500ms'`. */
  backoffDelay: field('backoff-delay', z.optional(z.string())),
  backoffFactor: field('backoff-factor', z.optional(z.number())),
  /** Pebble duration, e.g. `'30s'`. */
  backoffLimit: field('backoff-limit', z.optional(z.string())),
  /** Pebble duration, e.g. `'5s'`. */
  killDelay: field('kill-delay', z.optional(z.string())),
}));

export const httpCheck = defineTable(() => ({
  url: field('url', z.string()),
  headers: field('headers', z.optional(stringMap)),
}));

export const tcpCheck = defineTable(() => ({
  port: field('port', z.int()),
  host: field('host', z.optional(z.string())),
}));

export const execCheck = defineTable(() => ({
  command: field('command', z.string()),
  /** Run with the named service's environment, user, group and working directory. */
  serviceContext: field('service-context', z.optional(z.string())),
  environment: field('environment', z.optional(stringMap)),
  user: field('user', z.optional(z.string())),
  userId: field('user-id', z.optional(z.int())),
  group: field('group', z.optional(z.string())),
  groupId: field('group-id', z.optional(z.int())),
  workingDir: field('working-dir', z.optional(z.string())),
}));

export const checkDefinition = defineTable(() => ({
  override: field('override', z.optional(override)),
  level: field('level', z.optional(checkLevel)),
  startup: field('startup', z.optional(startup)),
  /** Pebble duration, e.g. `'10s'`. */
  period: field('period', z.optional(z.string())),
  /** Pebble duration, e.g. `'3s'`. */
  timeout: field('timeout', z.optional(z.string())),
  threshold: field('threshold', z.optional(z.int())),
  http: nestedField('http', httpCheck.as<HttpCheck>(), 'object', z.optional),
  tcp: nestedField('tcp', tcpCheck.as<TcpCheck>(), 'object', z.optional),
  exec: nestedField('exec', execCheck.as<ExecCheck>(), 'object', z.optional),
}));

export const logTargetDefinition = defineTable(() => ({
  override: field('override', z.optional(override)),
  /** `'loki'` or `'opentelemetry'` in current Pebble. */
  type: field('type', z.optional(z.string())),
  location: field('location', z.optional(z.string())),
  /** Services to forward; `'all'` for every service, `'-name'` to remove one. */
  services: field('services', z.optional(stringList)),
  labels: field('labels', z.optional(stringMap)),
}));

// A layer and the plan hold the same sections; the plan's are never absent. The field-table
// test checks that the two tables list the same sections.

export const layer = defineTable(() => ({
  summary: field('summary', z.optional(z.string())),
  description: field('description', z.optional(z.string())),
  services: nestedField('services', serviceDefinition.as<ServiceDefinition>(), 'record', z.optional),
  checks: nestedField('checks', checkDefinition.as<CheckDefinition>(), 'record', z.optional),
  logTargets: nestedField('log-targets', logTargetDefinition.as<LogTargetDefinition>(), 'record', z.optional),
}));

const orEmpty = <T>(schema: z.ZodMiniType<Record<string, T>>) => withDefault(z.nullish(schema), () => ({}));

export const plan = defineTable(() => ({
  services: nestedField('services', serviceDefinition.as<ServiceDefinition>(), 'record', orEmpty),
  checks: nestedField('checks', checkDefinition.as<CheckDefinition>(), 'record', orEmpty),
  logTargets: nestedField('log-targets', logTargetDefinition.as<LogTargetDefinition>(), 'record', orEmpty),
}));
