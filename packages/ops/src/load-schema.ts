import { CharmkitError } from './charmkit-error.js';
import type { OpsErrorCode } from './error-codes.js';
import { describeSchemaIssue, issuePath } from './internal/describe-schema-issue.js';
import type {
  StandardSchema,
  StandardSchemaIssue,
  StandardSchemaResult,
} from './internal/standard-schema.js';

/** Turns a Juju name (`log-level`, `target-dir`) into the field a schema declares (`logLevel`). */
export function camelCaseName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A schema's `validate` returned a promise: config and params are loaded synchronously.
 *
 * @remedy Use a schema that validates synchronously (no async refinements or transforms); do
 * asynchronous checks in the handler after loading.
 */
export class AsyncSchemaError extends CharmkitError {
  readonly code = 'CHARMKIT_ASYNC_SCHEMA' satisfies OpsErrorCode;
}

/** What {@link loadIntoSchema} found wrong: the first bad Juju name and every problem. */
export interface SchemaProblems {
  /** The Juju name (`log-level`) of the first problem ('' when it is about the whole object). */
  readonly first: string;
  /** `name: what was expected`, one per issue; never holds a value. */
  readonly problems: readonly string[];
}

/**
 * Validates `raw` (Juju names) against a user's schema (camelCase fields, as ops turns `-` into
 * `_`). Returns the schema's output, or the problems named with the Juju names.
 */
export function loadIntoSchema<Output>(
  schema: StandardSchema<unknown, Output>,
  raw: Readonly<Record<string, unknown>>,
  what: string,
): { readonly value: Output } | SchemaProblems {
  const input: Record<string, unknown> = {};
  const jujuName = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const field = camelCaseName(name);
    input[field] = value;
    jujuName.set(field, name);
  }
  const result = schema['~standard'].validate(input) as
    | StandardSchemaResult<Output>
    | Promise<StandardSchemaResult<Output>>;
  if (result instanceof Promise) {
    // Keep an unhandled rejection from surfacing later.
    result.catch(() => undefined);
    throw new AsyncSchemaError(
      `the schema given to load ${what} validates asynchronously; give a synchronous one`,
    );
  }
  if (!result.issues) return { value: result.value };
  const describe = (issue: StandardSchemaIssue): { name: string; text: string } => {
    const path = issuePath(issue);
    const [head, ...rest] = path;
    const name =
      head === undefined ? '' : [jujuName.get(String(head)) ?? String(head), ...rest.map(String)].join('.');
    let got: unknown = input;
    for (const key of path)
      got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[key] : undefined;
    const keys = (issue as { keys?: readonly string[] }).keys;
    const text = Array.isArray(keys)
      ? `unknown ${what === 'config' ? 'option' : 'parameter'}(s) ${keys.map((k) => jujuName.get(k) ?? k).join(', ')}`
      : describeSchemaIssue(issue, got);
    return { name, text: name ? `${name}: ${text}` : text };
  };
  const described = result.issues.map(describe);
  const unknownKeys = (result.issues[0] as { keys?: readonly string[] } | undefined)?.keys;
  const first =
    described[0]?.name || (unknownKeys?.[0] ? (jujuName.get(unknownKeys[0]) ?? unknownKeys[0]) : '');
  return { first, problems: described.map((d) => d.text) };
}
