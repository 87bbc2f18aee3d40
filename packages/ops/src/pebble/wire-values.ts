/**
 * Schemas for single values in Pebble's JSON and YAML, shared by the field tables, and the
 * functions that write them back.
 *
 * Loaded with the field tables, never on a hook's start-up path (see `wire-schemas.ts`).
 */
import * as z from 'zod/mini';
import { formatGoDuration, parseGoDuration } from './go-duration.js';
import type {
  CheckLevel,
  CheckStatus,
  FileType,
  Override,
  ServiceAction,
  ServiceStatus,
  Startup,
} from './types.js';

/**
 * `z.enum` over every member of the union `T`. The members are the keys of `members`, so the
 * compiler rejects a table that misses a member of the public type or adds one it does not have.
 */
function oneOf<T extends string>(members: Record<T, true>): z.ZodMiniType<T, T> {
  // Typed as `T` so that the fields' types name the public union (`ServiceAction`, ...).
  return z.enum(Object.keys(members) as [T, ...T[]]);
}

export const override = oneOf<Override>({ merge: true, replace: true });
export const startup = oneOf<Startup>({ enabled: true, disabled: true });
export const serviceAction = oneOf<ServiceAction>({
  restart: true,
  shutdown: true,
  ignore: true,
  'success-shutdown': true,
  'failure-shutdown': true,
});
export const checkLevel = oneOf<CheckLevel>({ alive: true, ready: true });
export const serviceStatus = oneOf<ServiceStatus>({
  active: true,
  inactive: true,
  error: true,
  backoff: true,
});
export const checkStatus = oneOf<CheckStatus>({ up: true, down: true, inactive: true });
export const fileType = oneOf<FileType>({
  file: true,
  directory: true,
  symlink: true,
  socket: true,
  'named-pipe': true,
  device: true,
  unknown: true,
});

export const stringMap = z.record(z.string(), z.string());
export const stringList = z.array(z.string());
export const dataMap = z.record(z.string(), z.unknown());

/** An RFC 3339 time; written back with {@link timeToWire}. */
export const time = z.pipe(
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
export const timeToWire = (date: Date): string => date.toISOString();

/** A Go duration string as milliseconds; written back with {@link durationToWire}. */
export const duration = z.pipe(
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
export const durationToWire = (ms: number): string => formatGoDuration(ms);

/** Permission bits, sent as octal text (`"644"`); written back with {@link permissionsToWire}. */
export const permissions = z.pipe(
  z.string().check(z.regex(/^[0-7]{3,4}$/, 'expected octal permissions like "644"')),
  z.transform((text: string) => Number.parseInt(text, 8)),
);
export const permissionsToWire = (bits: number): string => bits.toString(8).padStart(3, '0');

/** Pebble sends `null` for an unknown user id, and `""` for an unknown user name. */
export const optionalId = nullAsAbsent(z.int());
export const optionalName = emptyAsAbsent(z.optional(z.string()));

/** `schema`, absent or `null` read as absent. */
export function nullAsAbsent<T>(schema: z.ZodMiniType<T>) {
  return z.pipe(
    z.nullish(schema),
    z.transform((value: T | null | undefined): T | undefined => value ?? undefined),
  );
}

/** `schema` (which may allow absence), with `""` read as absent: Pebble's zero value for "none". */
export function emptyAsAbsent<T extends string>(schema: z.ZodMiniType<T | '' | undefined>) {
  return z.pipe(
    schema,
    z.transform((value: T | '' | undefined): T | undefined => (value === '' ? undefined : value)),
  );
}

/** `schema` (which may allow absence or `null`), with `fallback()` in place of a missing value. */
export function withDefault<T>(schema: z.ZodMiniType<T | null | undefined>, fallback: () => NoInfer<T>) {
  return z.pipe(
    schema,
    z.transform((value: T | null | undefined): T => value ?? fallback()),
  );
}
