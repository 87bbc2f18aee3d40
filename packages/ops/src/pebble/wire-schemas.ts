/**
 * zod schemas for Pebble's JSON and plan YAML (kebab-case keys), each transforming into the
 * camelCase shapes of `types.ts`. Unknown keys are dropped, so a newer Pebble that adds fields
 * still parses; a field that is present with the wrong type is a protocol error.
 *
 * Written with `zod/mini`, like the rest of the framework, and loaded by the client with its first
 * request: full zod would add about 30 ms to the start of every hook (docs/explanation/performance.md).
 */
import * as z from 'zod/mini';
import { describeIssues } from '../internal/describe-issues.js';
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

const time = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
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
  }),
);

const duration = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
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
  }),
);

/** Pebble sends `null` for an unknown user id, and `""` for an unknown user name. */
const optionalId = z.pipe(
  z.nullish(z.int()),
  z.transform((v: number | null | undefined) => v ?? undefined),
);
const optionalName = z.pipe(
  z.optional(z.string()),
  z.transform((v: string | undefined) => (v === '' ? undefined : v)),
);

/** The envelope of every JSON response. */
export const envelopeSchema = z.object({
  type: z.enum(['sync', 'async', 'error']),
  'status-code': z.int(),
  status: z.optional(z.string()),
  result: z.optional(z.unknown()),
  change: z.optional(z.string()),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** `result` of an error response. */
export const errorResultSchema = z.object({
  message: z.string(),
  kind: z.optional(z.string()),
  value: z.optional(z.unknown()),
});

export const systemInfoSchema = z.pipe(
  z.object({
    version: z.string(),
    'boot-id': z.optional(z.string()),
    'http-address': z.optional(z.string()),
  }),
  z.transform(
    (w): SystemInfo =>
      omitUndefined({ version: w.version, bootId: w['boot-id'], httpAddress: w['http-address'] }),
  ),
);

export const serviceInfoSchema = z.pipe(
  z.object({
    name: z.string(),
    startup,
    current: z.enum(['active', 'inactive', 'error', 'backoff']),
    'current-since': z.optional(time),
  }),
  z.transform(
    (w): ServiceInfo =>
      omitUndefined({
        name: w.name,
        startup: w.startup,
        current: w.current,
        currentSince: w['current-since'],
      }),
  ),
);

export const checkInfoSchema = z.pipe(
  z.object({
    name: z.string(),
    level: z.optional(z.union([checkLevel, z.literal('')])),
    // Pebble before v1.15 had no per-check startup: every check ran.
    startup: z.optional(startup),
    status: z.enum(['up', 'down', 'inactive']),
    failures: z.optional(z.int()),
    threshold: z.int(),
    'change-id': z.optional(z.string()),
  }),
  z.transform(
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
  ),
);

export const noticeSchema = z.pipe(
  z.object({
    id: z.string(),
    'user-id': optionalId,
    type: z.string(),
    key: z.string(),
    'first-occurred': time,
    'last-occurred': time,
    'last-repeated': time,
    occurrences: z.int(),
    'last-data': z.nullish(stringMap),
    'repeat-after': z.optional(duration),
    'expire-after': z.optional(duration),
  }),
  z.transform(
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
  ),
);

export const fileInfoSchema = z.pipe(
  z.object({
    path: z.string(),
    name: z.string(),
    type: z.enum(['file', 'directory', 'symlink', 'socket', 'named-pipe', 'device', 'unknown']),
    size: z.nullish(z.int()),
    permissions: z.string().check(z.regex(/^[0-7]{3,4}$/, 'expected octal permissions like "644"')),
    'last-modified': time,
    'user-id': optionalId,
    user: optionalName,
    'group-id': optionalId,
    group: optionalName,
  }),
  z.transform(
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
  ),
);

/** One entry of the per-path results of file writes, reads, make-dirs and removes. */
export const fileResultSchema = z.object({
  path: z.string(),
  error: z.nullish(z.object({ message: z.string(), kind: z.optional(z.string()) })),
});

const dataMap = z.nullish(z.record(z.string(), z.unknown()));

const taskSchema = z.pipe(
  z.object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    log: z.nullish(z.array(z.string())),
    progress: z.object({ label: z.string(), done: z.number(), total: z.number() }),
    'spawn-time': time,
    'ready-time': z.optional(time),
    data: dataMap,
  }),
  z.transform(
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
  ),
);

export const changeSchema = z.pipe(
  z.object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    tasks: z.nullish(z.array(taskSchema)),
    ready: z.boolean(),
    err: z.optional(z.string()),
    'spawn-time': time,
    'ready-time': z.optional(time),
    data: dataMap,
  }),
  z.transform(
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
  ),
);

export const addedNoticeSchema = z.object({ id: z.string() });

export const checksChangedSchema = z.object({ changed: z.nullish(z.array(z.string())) });

// Plan YAML. Pebble writes it from its own typed structs, so the types are reliable; a layer
// given as YAML by the charm is checked by Pebble itself, not here.

const serviceDefinitionSchema = z.pipe(
  z.object({
    override: z.optional(override),
    summary: z.optional(z.string()),
    description: z.optional(z.string()),
    startup: z.optional(startup),
    command: z.optional(z.string()),
    after: z.optional(z.array(z.string())),
    before: z.optional(z.array(z.string())),
    requires: z.optional(z.array(z.string())),
    environment: z.optional(stringMap),
    user: z.optional(z.string()),
    'user-id': z.optional(z.int()),
    group: z.optional(z.string()),
    'group-id': z.optional(z.int()),
    'working-dir': z.optional(z.string()),
    'on-success': z.optional(serviceAction),
    'on-failure': z.optional(serviceAction),
    'on-check-failure': z.optional(z.record(z.string(), serviceAction)),
    'backoff-delay': z.optional(z.string()),
    'backoff-factor': z.optional(z.number()),
    'backoff-limit': z.optional(z.string()),
    'kill-delay': z.optional(z.string()),
  }),
  z.transform(
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
  ),
);

const checkDefinitionSchema = z.pipe(
  z.object({
    override: z.optional(override),
    level: z.optional(checkLevel),
    startup: z.optional(startup),
    period: z.optional(z.string()),
    timeout: z.optional(z.string()),
    threshold: z.optional(z.int()),
    http: z.optional(z.object({ url: z.string(), headers: z.optional(stringMap) })),
    tcp: z.optional(z.object({ port: z.int(), host: z.optional(z.string()) })),
    exec: z.optional(
      z.object({
        command: z.string(),
        'service-context': z.optional(z.string()),
        environment: z.optional(stringMap),
        user: z.optional(z.string()),
        'user-id': z.optional(z.int()),
        group: z.optional(z.string()),
        'group-id': z.optional(z.int()),
        'working-dir': z.optional(z.string()),
      }),
    ),
  }),
  z.transform(
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
  ),
);

const logTargetDefinitionSchema = z.pipe(
  z.object({
    override: z.optional(override),
    type: z.optional(z.string()),
    location: z.optional(z.string()),
    services: z.optional(z.array(z.string())),
    labels: z.optional(stringMap),
  }),
  z.transform(
    (w): LogTargetDefinition =>
      omitUndefined({
        override: w.override,
        type: w.type,
        location: w.location,
        services: w.services,
        labels: w.labels,
      }),
  ),
);

/** The parsed `GET /v1/plan?format=yaml` document (`null` for an empty document). */
export const planSchema = z.pipe(
  z.nullable(
    z.object({
      services: z.nullish(z.record(z.string(), serviceDefinitionSchema)),
      checks: z.nullish(z.record(z.string(), checkDefinitionSchema)),
      'log-targets': z.nullish(z.record(z.string(), logTargetDefinitionSchema)),
    }),
  ),
  z.transform(
    (w): Plan => ({
      services: w?.services ?? {},
      checks: w?.checks ?? {},
      logTargets: w?.['log-targets'] ?? {},
    }),
  ),
);

/**
 * Validates `value` against `schema`, or throws a {@link PebbleProtocolError} that names the
 * request and every field that did not match.
 */
export function parseWire<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PebbleProtocolError(
    `Pebble sent ${what} in an unexpected shape: ${describeIssues(parsed.error.issues, value)}`,
    { cause: parsed.error },
  );
}

export const serviceInfoListSchema = z.array(serviceInfoSchema);
export const fileInfoListSchema = z.array(fileInfoSchema);
export const fileResultListSchema = z.array(fileResultSchema);
export const checkInfoListSchema = z.array(checkInfoSchema);
export const noticeListSchema = z.array(noticeSchema);
