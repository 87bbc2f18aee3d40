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

function describeIssue(issue: SchemaIssue, got: unknown, values: boolean): string {
  const shown = (value: unknown): string => (values ? JSON.stringify(value) : kindName(value));
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined
        ? `required ${issue.expected ?? 'value'} is missing`
        : `expected ${issue.expected}, got ${values ? typeName(got) : kindName(got)}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${shown(got)}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${(issue.keys ?? []).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return `must match the ${issue.format ?? 'expected'} format, got ${shown(got)}`;
    case 'invalid_union':
      return `matches none of the allowed shapes (got ${values ? typeName(got) : kindName(got)})`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : `invalid (${issue.code})`;
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

/** `string`, `integer`, `array`, `null`…: the kind of a value, never the value itself. */
function kindName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
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
