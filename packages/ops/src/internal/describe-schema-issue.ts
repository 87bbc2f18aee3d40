import type { StandardPathSegment, StandardSchemaIssue } from './standard-schema.js';

// Describes a schema issue without the value that caused it: config and action params may hold
// secrets, and messages end up in status, action results and logs. zod issues (full or mini) carry
// structured fields we describe ourselves (zod/mini ships no messages); other libraries' issues are
// described by their own message.

interface ZodLikeIssue extends StandardSchemaIssue {
  readonly code?: string;
  readonly expected?: string;
  readonly received?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly format?: string;
  readonly pattern?: string;
  readonly origin?: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly divisor?: unknown;
}

const DEFAULT_MESSAGE = 'Invalid input';

/** The keys of an issue's path (Standard Schema allows `{ key }` segments). */
export function issuePath(issue: StandardSchemaIssue): PropertyKey[] {
  return (issue.path ?? []).map((segment: StandardPathSegment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
}

/** The JSON-ish type of `value` (`string`, `integer`, `array`…), never the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The allowed values of an enum, as JSON: they come from the schema, not from the input. */
export function oneOf(values: readonly unknown[] | undefined): string {
  return (values ?? []).map((v) => JSON.stringify(v)).join(', ');
}

function sized(origin: string | undefined): string | null {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set') return 'items';
  return null;
}

/**
 * What is wrong, as `expected integer, got string` or `must be at most 9`; `got` is the value at
 * the issue's path, used only for its type.
 */
export function describeSchemaIssue(issue: StandardSchemaIssue, got: unknown): string {
  const z = issue as ZodLikeIssue;
  switch (z.code) {
    case 'invalid_type':
      return got === undefined
        ? `required ${z.expected ?? 'value'} is missing`
        : `expected ${z.expected === 'int' ? 'integer' : (z.expected ?? 'another type')}, got ${kindOf(got)}`;
    case 'invalid_value':
      return `expected one of ${oneOf(z.values)}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${(z.keys ?? []).join(', ')}`;
    case 'too_small': {
      const unit = sized(z.origin);
      if (unit) return `must have at least ${String(z.minimum)} ${unit}`;
      return `must be ${z.inclusive === false ? 'greater than' : 'at least'} ${String(z.minimum)}`;
    }
    case 'too_big': {
      const unit = sized(z.origin);
      if (unit) return `must have at most ${String(z.maximum)} ${unit}`;
      return `must be ${z.inclusive === false ? 'less than' : 'at most'} ${String(z.maximum)}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(z.divisor)}`;
    case 'invalid_format':
      return z.format === 'regex' && z.pattern
        ? `must match ${z.pattern}`
        : `must be a valid ${z.format ?? 'value'}`;
    case 'invalid_union':
      return `matches none of the allowed types (got ${kindOf(got)})`;
    default:
      // `custom` (refinements) and other libraries: their message is written by the schema's author.
      return issue.message && issue.message !== DEFAULT_MESSAGE ? issue.message : 'is invalid';
  }
}
