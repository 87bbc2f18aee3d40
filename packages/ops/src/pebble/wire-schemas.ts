/**
 * The schemas the client parses Pebble's answers with: the JSON envelope and the results that are
 * only wire shapes, plus the schemas of the field tables (`layer-tables.ts`, `state-tables.ts`),
 * which transform Pebble's kebab-case objects into the camelCase shapes of `types.ts`. Unknown keys
 * are dropped, so a newer Pebble that adds fields still parses; a field that is present with the
 * wrong type is a protocol error.
 *
 * Written with `zod/mini`, like the rest of the framework, and loaded by the client with its first
 * request: full zod would add about 30 ms to the start of every hook (docs/explanation/performance.md).
 */
import * as z from 'zod/mini';
import { describeIssues } from '../internal/describe-issues.js';
import { lazy } from '../internal/lazy.js';
import { PebbleProtocolError } from './errors.js';
import { plan } from './layer-tables.js';
import { change, checkInfo, fileInfo, notice, serviceInfo, systemInfo } from './state-tables.js';
import type { Change, CheckInfo, FileInfo, Notice, Plan, ServiceInfo, SystemInfo } from './types.js';

/** The envelope of every JSON response. */
export const envelopeSchema = lazy(() =>
  z.object({
    type: z.enum(['sync', 'async', 'error']),
    'status-code': z.int(),
    status: z.optional(z.string()),
    result: z.optional(z.unknown()),
    change: z.optional(z.string()),
  }),
);
export type Envelope = z.infer<ReturnType<typeof envelopeSchema>>;

/** `result` of an error response. */
export const errorResultSchema = lazy(() =>
  z.object({
    message: z.string(),
    kind: z.optional(z.string()),
    value: z.optional(z.unknown()),
  }),
);

/** One entry of the per-path results of file writes, reads, make-dirs and removes. */
const fileResultSchema = () =>
  z.object({
    path: z.string(),
    error: z.nullish(z.object({ message: z.string(), kind: z.optional(z.string()) })),
  });

export const addedNoticeSchema = lazy(() => z.object({ id: z.string() }));

export const checksChangedSchema = lazy(() => z.object({ changed: z.nullish(z.array(z.string())) }));

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

// Each schema is built on first use: a hook asks Pebble for a few things, not for all of them.

export const systemInfoSchema = lazy(() => systemInfo.as<SystemInfo>().schema);
export const changeSchema = lazy(() => change.as<Change>().schema);
export const noticeSchema = lazy(() => notice.as<Notice>().schema);

/** The parsed `GET /v1/plan?format=yaml` document (`null` for an empty document). */
export const planSchema = lazy(() =>
  z.pipe(
    z.transform((document: unknown): unknown => (document === null ? {} : document)),
    plan.as<Plan>().schema,
  ),
);

export const serviceInfoListSchema = lazy(() => z.array(serviceInfo.as<ServiceInfo>().schema));
export const fileInfoListSchema = lazy(() => z.array(fileInfo.as<FileInfo>().schema));
export const fileResultListSchema = lazy(() => z.array(fileResultSchema()));
export const checkInfoListSchema = lazy(() => z.array(checkInfo.as<CheckInfo>().schema));
export const noticeListSchema = lazy(() => z.array(noticeSchema()));
