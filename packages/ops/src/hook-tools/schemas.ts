import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import type { JsonObject, JsonValue } from '../json.js';

// Output shapes several tools share. Maps and lists accept `null` as empty: Go prints a nil map or
// slice as `null` (secret-ids, state-get on an empty store), and nothing in the contract promises
// that the other tools never do.

/** A map of strings; `null` reads as `{}`. */
export const stringMap = lazy(() =>
  z.pipe(
    z.nullable(z.record(z.string(), z.string())),
    z.transform((value): Record<string, string> => value ?? {}),
  ),
);

/** A list of strings; `null` reads as `[]`. */
export const stringList = lazy(() =>
  z.pipe(
    z.nullable(z.array(z.string())),
    z.transform((value): string[] => value ?? []),
  ),
);

/** One string value, or `null` for "not set" (read as `undefined`). */
export const maybeString = lazy(() =>
  z.pipe(
    z.nullable(z.string()),
    z.transform((value): string | undefined => value ?? undefined),
  ),
);

/** Any JSON object (parsed JSON holds only JSON values); `null` reads as `{}`. */
export const jsonObject = lazy(() =>
  z.pipe(
    z.nullable(z.record(z.string(), z.unknown())),
    z.transform((value): JsonObject => (value ?? {}) as JsonObject),
  ),
);

/** Any JSON value; `null` reads as `undefined` ("not set"). */
export const maybeJson = lazy(() =>
  z.pipe(
    z.unknown(),
    z.transform((value): JsonValue | undefined => (value === null ? undefined : (value as JsonValue))),
  ),
);
