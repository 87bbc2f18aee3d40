import { describeSchemaIssue, oneOf } from './describe-schema-issue.js';

/** The parts of a zod issue we describe (zod and zod/mini share them). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly format?: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
}

/**
 * Turns schema issues into `field.path: expected X, got Y` lines. zod/mini (which the framework
 * uses to keep start-up cheap) ships no messages, so we write them; they name the field and what
 * was expected, which is what a charm author needs to fix the file.
 */
export function describeIssues(
  issues: readonly SchemaIssue[],
  input: unknown,
  options: DescribeIssuesOptions = {},
): string {
  const values = options.values !== false;
  return issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
      return `${path}: ${describeIssue(issue, valueAt(input, issue.path), values)}`;
    })
    .join('; ');
}

/** Options of {@link describeIssues}. */
export interface DescribeIssuesOptions {
  /**
   * Whether to quote the offending values (default true). False for relation data, config and
   * secrets: their values may be secret, and messages end up in logs.
   */
  readonly values?: boolean;
}

/**
 * The value-free description (shared with config, action params and user schemas), with the
 * offending value added where showing it helps and is allowed: metadata files and Pebble replies.
 */
function describeIssue(issue: SchemaIssue, got: unknown, values: boolean): string {
  const base = describeSchemaIssue(issue, got);
  if (!values || got === undefined) return base;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${typeName(got)}`;
    case 'invalid_value':
      return `expected one of ${oneOf(issue.values)}, got ${JSON.stringify(got)}`;
    case 'invalid_format':
      return `${base}, got ${JSON.stringify(got)}`;
    case 'invalid_union':
      return `matches none of the allowed types (got ${typeName(got)})`;
    default:
      return base;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `string`, `number`, `array`, `null`… for messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return `integer ${value}`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value;
}
