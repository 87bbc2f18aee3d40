/**
 * zod schemas for Pebble's JSON and plan YAML (kebab-case keys), each transforming into the
 * camelCase shapes of `types.ts`. Unknown keys are dropped, so a newer Pebble that adds fields
 * still parses; a field that is present with the wrong type is a protocol error.
 */
import { z } from 'zod';
import { PebbleProtocolError } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import { omitUndefined } from './omit-undefined.js';
import type {
  Change,
  CheckDefinition,
  CheckInfo,
  FileInfo,
  LogTargetDefinition,
  Notice,
  Plan,
  ServiceDefinition,
  ServiceInfo,
  SystemInfo,
  Task,
} from './types.js';

const stringMap = z.record(z.string(), z.string());
const override = z.enum(['merge', 'replace']);
const startup = z.enum(['enabled', 'disabled']);
const serviceAction = z.enum(['restart', 'shutdown', 'ignore', 'success-shutdown', 'failure-shutdown']);
const checkLevel = z.enum(['alive', 'ready']);

const time = z.string().transform((text, ctx) => {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    ctx.issues.push({
      code: 'custom',
      message: `expected an RFC 3339 time, got ${JSON.stringify(text)}`,
      input: text,
    });
    return z.NEVER;
  }
  return date;
});

const duration = z.string().transform((text, ctx) => {
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    ctx.issues.push({
      code: 'custom',
      message: `expected a duration like "1m30s", got ${JSON.stringify(text)}`,
      input: text,
    });
    return z.NEVER;
  }
  return ms;
});

/** Pebble sends `null` for an unknown user id, and `""` for an unknown user name. */
const optionalId = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalName = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** The envelope of every JSON response. */
export const envelopeSchema = z.object({
  type: z.enum(['sync', 'async', 'error']),
  'status-code': z.number().int(),
  status: z.string().optional(),
  result: z.unknown().optional(),
  change: z.string().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** `result` of an error response. */
export const errorResultSchema = z.object({
  message: z.string(),
  kind: z.string().optional(),
  value: z.unknown().optional(),
});

export const systemInfoSchema = z
  .object({ version: z.string(), 'boot-id': z.string().optional(), 'http-address': z.string().optional() })
  .transform(
    (w): SystemInfo =>
      omitUndefined({ version: w.version, bootId: w['boot-id'], httpAddress: w['http-address'] }),
  );

export const serviceInfoSchema = z
  .object({
    name: z.string(),
    startup,
    current: z.enum(['active', 'inactive', 'error', 'backoff']),
    'current-since': time.optional(),
  })
  .transform(
    (w): ServiceInfo =>
      omitUndefined({
        name: w.name,
        startup: w.startup,
        current: w.current,
        currentSince: w['current-since'],
      }),
  );

export const checkInfoSchema = z
  .object({
    name: z.string(),
    level: z.union([checkLevel, z.literal('')]).optional(),
    // Pebble before v1.15 had no per-check startup: every check ran.
    startup: startup.optional(),
    status: z.enum(['up', 'down', 'inactive']),
    failures: z.number().int().optional(),
    threshold: z.number().int(),
    'change-id': z.string().optional(),
  })
  .transform(
    (w): CheckInfo =>
      omitUndefined({
        name: w.name,
        level: w.level === '' ? undefined : w.level,
        startup: w.startup ?? 'enabled',
        status: w.status,
        failures: w.failures ?? 0,
        threshold: w.threshold,
        changeId: w['change-id'] === '' ? undefined : w['change-id'],
      }),
  );

export const noticeSchema = z
  .object({
    id: z.string(),
    'user-id': optionalId,
    type: z.string(),
    key: z.string(),
    'first-occurred': time,
    'last-occurred': time,
    'last-repeated': time,
    occurrences: z.number().int(),
    'last-data': stringMap.nullish(),
    'repeat-after': duration.optional(),
    'expire-after': duration.optional(),
  })
  .transform(
    (w): Notice =>
      omitUndefined({
        id: w.id,
        userId: w['user-id'],
        type: w.type,
        key: w.key,
        firstOccurred: w['first-occurred'],
        lastOccurred: w['last-occurred'],
        lastRepeated: w['last-repeated'],
        occurrences: w.occurrences,
        lastData: w['last-data'] ?? {},
        repeatAfter: w['repeat-after'],
        expireAfter: w['expire-after'],
      }),
  );

export const fileInfoSchema = z
  .object({
    path: z.string(),
    name: z.string(),
    type: z.enum(['file', 'directory', 'symlink', 'socket', 'named-pipe', 'device', 'unknown']),
    size: z.number().int().nullish(),
    permissions: z.string().regex(/^[0-7]{3,4}$/, 'expected octal permissions like "644"'),
    'last-modified': time,
    'user-id': optionalId,
    user: optionalName,
    'group-id': optionalId,
    group: optionalName,
  })
  .transform(
    (w): FileInfo =>
      omitUndefined({
        path: w.path,
        name: w.name,
        type: w.type,
        size: w.size ?? undefined,
        permissions: Number.parseInt(w.permissions, 8),
        lastModified: w['last-modified'],
        userId: w['user-id'],
        user: w.user,
        groupId: w['group-id'],
        group: w.group,
      }),
  );

/** One entry of the per-path results of file writes, reads, make-dirs and removes. */
export const fileResultSchema = z.object({
  path: z.string(),
  error: z.object({ message: z.string(), kind: z.string().optional() }).nullish(),
});

const dataMap = z.record(z.string(), z.unknown()).nullish();

const taskSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    log: z.array(z.string()).nullish(),
    progress: z.object({ label: z.string(), done: z.number(), total: z.number() }),
    'spawn-time': time,
    'ready-time': time.optional(),
    data: dataMap,
  })
  .transform(
    (w): Task =>
      omitUndefined({
        id: w.id,
        kind: w.kind,
        summary: w.summary,
        status: w.status,
        log: w.log ?? [],
        progress: w.progress,
        spawnTime: w['spawn-time'],
        readyTime: w['ready-time'],
        data: w.data ?? undefined,
      }),
  );

export const changeSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    tasks: z.array(taskSchema).nullish(),
    ready: z.boolean(),
    err: z.string().optional(),
    'spawn-time': time,
    'ready-time': time.optional(),
    data: dataMap,
  })
  .transform(
    (w): Change =>
      omitUndefined({
        id: w.id,
        kind: w.kind,
        summary: w.summary,
        status: w.status,
        tasks: w.tasks ?? [],
        ready: w.ready,
        err: w.err === '' ? undefined : w.err,
        spawnTime: w['spawn-time'],
        readyTime: w['ready-time'],
        data: w.data ?? undefined,
      }),
  );

export const addedNoticeSchema = z.object({ id: z.string() });

export const checksChangedSchema = z.object({ changed: z.array(z.string()).nullish() });

// Plan YAML. Pebble writes it from its own typed structs, so the types are reliable; a layer
// given as YAML by the charm is checked by Pebble itself, not here.

const serviceDefinitionSchema = z
  .object({
    override: override.optional(),
    summary: z.string().optional(),
    description: z.string().optional(),
    startup: startup.optional(),
    command: z.string().optional(),
    after: z.array(z.string()).optional(),
    before: z.array(z.string()).optional(),
    requires: z.array(z.string()).optional(),
    environment: stringMap.optional(),
    user: z.string().optional(),
    'user-id': z.number().int().optional(),
    group: z.string().optional(),
    'group-id': z.number().int().optional(),
    'working-dir': z.string().optional(),
    'on-success': serviceAction.optional(),
    'on-failure': serviceAction.optional(),
    'on-check-failure': z.record(z.string(), serviceAction).optional(),
    'backoff-delay': z.string().optional(),
    'backoff-factor': z.number().optional(),
    'backoff-limit': z.string().optional(),
    'kill-delay': z.string().optional(),
  })
  .transform(
    (w): ServiceDefinition =>
      omitUndefined({
        override: w.override,
        summary: w.summary,
        description: w.description,
        startup: w.startup,
        command: w.command,
        after: w.after,
        before: w.before,
        requires: w.requires,
        environment: w.environment,
        user: w.user,
        userId: w['user-id'],
        group: w.group,
        groupId: w['group-id'],
        workingDir: w['working-dir'],
        onSuccess: w['on-success'],
        onFailure: w['on-failure'],
        onCheckFailure: w['on-check-failure'],
        backoffDelay: w['backoff-delay'],
        backoffFactor: w['backoff-factor'],
        backoffLimit: w['backoff-limit'],
        killDelay: w['kill-delay'],
      }),
  );

const checkDefinitionSchema = z
  .object({
    override: override.optional(),
    level: checkLevel.optional(),
    startup: startup.optional(),
    period: z.string().optional(),
    timeout: z.string().optional(),
    threshold: z.number().int().optional(),
    http: z.object({ url: z.string(), headers: stringMap.optional() }).optional(),
    tcp: z.object({ port: z.number().int(), host: z.string().optional() }).optional(),
    exec: z
      .object({
        command: z.string(),
        'service-context': z.string().optional(),
        environment: stringMap.optional(),
        user: z.string().optional(),
        'user-id': z.number().int().optional(),
        group: z.string().optional(),
        'group-id': z.number().int().optional(),
        'working-dir': z.string().optional(),
      })
      .optional(),
  })
  .transform(
    (w): CheckDefinition =>
      omitUndefined({
        override: w.override,
        level: w.level,
        startup: w.startup,
        period: w.period,
        timeout: w.timeout,
        threshold: w.threshold,
        http: w.http === undefined ? undefined : omitUndefined({ url: w.http.url, headers: w.http.headers }),
        tcp: w.tcp === undefined ? undefined : omitUndefined({ port: w.tcp.port, host: w.tcp.host }),
        exec:
          w.exec === undefined
            ? undefined
            : omitUndefined({
                command: w.exec.command,
                serviceContext: w.exec['service-context'],
                environment: w.exec.environment,
                user: w.exec.user,
                userId: w.exec['user-id'],
                group: w.exec.group,
                groupId: w.exec['group-id'],
                workingDir: w.exec['working-dir'],
              }),
      }),
  );

const logTargetDefinitionSchema = z
  .object({
    override: override.optional(),
    type: z.string().optional(),
    location: z.string().optional(),
    services: z.array(z.string()).optional(),
    labels: stringMap.optional(),
  })
  .transform(
    (w): LogTargetDefinition =>
      omitUndefined({
        override: w.override,
        type: w.type,
        location: w.location,
        services: w.services,
        labels: w.labels,
      }),
  );

/** The parsed `GET /v1/plan?format=yaml` document (`null` for an empty document). */
export const planSchema = z
  .object({
    services: z.record(z.string(), serviceDefinitionSchema).nullish(),
    checks: z.record(z.string(), checkDefinitionSchema).nullish(),
    'log-targets': z.record(z.string(), logTargetDefinitionSchema).nullish(),
  })
  .nullable()
  .transform(
    (w): Plan => ({
      services: w?.services ?? {},
      checks: w?.checks ?? {},
      logTargets: w?.['log-targets'] ?? {},
    }),
  );

/**
 * Validates `value` against `schema`, or throws a {@link PebbleProtocolError} that names the
 * request and every field that did not match.
 */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new PebbleProtocolError(`Pebble sent ${what} in an unexpected shape: ${problems}`, {
    cause: parsed.error,
  });
}
