import * as z from 'zod/mini';
import type { ActionMeta } from '../charm-meta.js';
import { CharmMetaError } from '../errors.js';
import { describe } from '../hook-tools/validate.js';
import type { SchemaIssue } from '../internal/describe-issues.js';
import { describeSchemaIssue } from '../internal/describe-schema-issue.js';
import { isPlainObject } from '../json.js';
import { jujuMajorVersion } from '../juju-context.js';
import { ActionParamsError } from './model-errors.js';

// Juju describes action parameters with a subset of JSON Schema (draft 4, as actions.yaml writes
// it). This maps that subset to zod; a keyword outside it is ignored, as Juju itself checks the
// parameters against the full schema before the action starts. What this adds is typing, defaults
// for parameters the operator left out, and an error that names the parameter.

type JsonSchema = Readonly<Record<string, unknown>>;

function schemaError(where: string, message: string): CharmMetaError {
  return new CharmMetaError(`actions.yaml: ${where}: ${message}`);
}

function numberOption(schema: JsonSchema, key: string, where: string): number | undefined {
  const value = schema[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw schemaError(where, `${key} must be a number, got ${describe(value)}`);
  }
  return value;
}

function stringSchema(schema: JsonSchema, where: string): z.ZodMiniType {
  const checks: z.core.$ZodCheck<string>[] = [];
  const minLength = numberOption(schema, 'minLength', where);
  const maxLength = numberOption(schema, 'maxLength', where);
  if (minLength !== undefined) checks.push(z.minLength(minLength));
  if (maxLength !== undefined) checks.push(z.maxLength(maxLength));
  if (schema.pattern !== undefined) {
    if (typeof schema.pattern !== 'string') {
      throw schemaError(where, `pattern must be a string, got ${describe(schema.pattern)}`);
    }
    let pattern: RegExp;
    try {
      // JSON Schema patterns are unanchored ECMA-262 regular expressions.
      pattern = new RegExp(schema.pattern, 'u');
    } catch (cause) {
      throw schemaError(
        where,
        `pattern ${JSON.stringify(schema.pattern)} is not a valid regular expression: ${String(cause)}`,
      );
    }
    checks.push(z.refine((v: string) => pattern.test(v), `must match the pattern /${schema.pattern}/`));
  }
  return checks.length ? z.string().check(...checks) : z.string();
}

function numericSchema(schema: JsonSchema, integer: boolean, where: string): z.ZodMiniType {
  const checks: z.core.$ZodCheck<number>[] = [];
  const minimum = numberOption(schema, 'minimum', where);
  const maximum = numberOption(schema, 'maximum', where);
  // Draft 4 writes exclusive bounds as booleans beside minimum/maximum; later drafts as numbers.
  const exclusiveMin = schema.exclusiveMinimum;
  const exclusiveMax = schema.exclusiveMaximum;
  if (minimum !== undefined) checks.push(exclusiveMin === true ? z.gt(minimum) : z.gte(minimum));
  if (maximum !== undefined) checks.push(exclusiveMax === true ? z.lt(maximum) : z.lte(maximum));
  if (typeof exclusiveMin === 'number') checks.push(z.gt(exclusiveMin));
  if (typeof exclusiveMax === 'number') checks.push(z.lt(exclusiveMax));
  const base = integer ? z.int() : z.number();
  return checks.length ? base.check(...checks) : base;
}

function typedSchema(type: unknown, schema: JsonSchema, where: string): z.ZodMiniType {
  switch (type) {
    case 'string':
      return stringSchema(schema, where);
    case 'integer':
      return numericSchema(schema, true, where);
    case 'number':
      return numericSchema(schema, false, where);
    case 'boolean':
      return z.boolean();
    case 'null':
      return z.null();
    case 'array': {
      const items = schema.items;
      const item = isPlainObject(items) ? paramSchema(items, `${where}.items`) : z.unknown();
      const checks: z.core.$ZodCheck<unknown[]>[] = [];
      const minItems = numberOption(schema, 'minItems', where);
      const maxItems = numberOption(schema, 'maxItems', where);
      if (minItems !== undefined) checks.push(z.minLength(minItems));
      if (maxItems !== undefined) checks.push(z.maxLength(maxItems));
      return checks.length ? z.array(item).check(...checks) : z.array(item);
    }
    case 'object':
      return objectSchema(schema.properties, schema.required, schema.additionalProperties, where);
    case undefined:
      return z.unknown();
    default:
      throw schemaError(
        where,
        `type ${describe(type)} is not one of string, integer, number, boolean, array, object, null`,
      );
  }
}

/**
 * The zod schema of one parameter's JSON Schema (`type`, `enum`, `minimum`/`maximum`,
 * `minLength`/`maxLength`, `pattern`, `items`, `properties`, `required`, `additionalProperties`).
 * `default` is applied by the enclosing object. `where` names it in errors about the schema.
 */
export function paramSchema(schema: JsonSchema, where: string): z.ZodMiniType {
  const type = schema.type;
  let base: z.ZodMiniType;
  if (Array.isArray(type)) {
    if (type.length === 0) throw schemaError(where, 'type must not be an empty list');
    const options = type.map((t) => typedSchema(t, schema, where));
    base = options.length === 1 ? (options[0] as z.ZodMiniType) : z.union(options);
  } else {
    base = typedSchema(type, schema, where);
  }
  if (schema.enum === undefined) return base;
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) {
    throw schemaError(where, 'enum must be a non-empty list');
  }
  const literals = schema.enum.filter(
    (v): v is string | number | boolean | null =>
      v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
  if (literals.length !== schema.enum.length) {
    throw schemaError(where, 'enum may only hold strings, numbers, booleans and null');
  }
  return z.literal(literals);
}

function objectSchema(
  properties: unknown,
  required: unknown,
  additional: unknown,
  where: string,
): z.ZodMiniType {
  if (properties !== undefined && properties !== null && !isPlainObject(properties)) {
    throw schemaError(where, `properties must be a mapping, got ${describe(properties)}`);
  }
  if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === 'string'))) {
    throw schemaError(where, `required must be a list of names, got ${describe(required)}`);
  }
  const requiredSet = new Set((required ?? []) as string[]);
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (!isPlainObject(property)) {
      throw schemaError(`${where}.${name}`, `a parameter must be a mapping, got ${describe(property)}`);
    }
    const schema = paramSchema(property, `${where}.${name}`);
    if (property.default !== undefined && property.default !== null) {
      shape[name] = z._default(schema, property.default as never);
    } else {
      shape[name] = requiredSet.has(name) ? schema : z.optional(schema);
    }
  }
  if (additional === false) return z.strictObject(shape);
  if (isPlainObject(additional)) {
    return z.catchall(z.object(shape), paramSchema(additional, `${where}.additionalProperties`));
  }
  return z.looseObject(shape);
}

/**
 * Whether an action that does not set `additionalProperties` accepts unknown parameters: yes
 * before Juju 4, no from Juju 4 on (as Juju itself, and ops, decide). An unknown version (no
 * `JUJU_VERSION`) counts as before 4, as in ops.
 */
export function defaultAdditionalProperties(jujuVersion: string | undefined): boolean {
  return jujuMajorVersion(jujuVersion) < 4;
}

/**
 * The zod schema of all of an action's parameters, from its actions.yaml entry. `jujuVersion`
 * (`JUJU_VERSION`) decides whether unknown parameters are accepted when the action does not say.
 */
export function actionParamsSchema(
  action: ActionMeta,
  jujuVersion?: string,
): z.ZodMiniType<Record<string, unknown>> {
  return objectSchema(
    action.params,
    action.required,
    action.additionalProperties ?? defaultAdditionalProperties(jujuVersion),
    `${action.name}.params`,
  ) as z.ZodMiniType<Record<string, unknown>>;
}

/**
 * Checks `params` (from `action-get`) against the action's schema and applies defaults.
 *
 * @throws {ActionParamsError} naming the bad parameters and what was expected (never their values:
 * parameters may hold secrets, and the message goes to `action-fail` and the log).
 */
export function validateActionParams(
  action: ActionMeta,
  params: Readonly<Record<string, unknown>>,
  schema: z.ZodMiniType<Record<string, unknown>> = actionParamsSchema(action),
): Record<string, unknown> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issues = result.error.issues as readonly SchemaIssue[];
  const first = issues[0];
  const param = first ? (first.path.length ? first.path.map(String).join('.') : (first.keys?.[0] ?? '')) : '';
  const problems = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.length
        ? `${issue.path.map(String).join('.')}: unknown key(s)`
        : 'unknown parameter(s)';
      return `${prefix} ${(issue.keys ?? []).join(', ')}`;
    }
    let got: unknown = params;
    for (const key of issue.path) {
      got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[key] : undefined;
    }
    const path = issue.path.length ? issue.path.map(String).join('.') : '(all parameters)';
    return `${path}: ${describeSchemaIssue(issue, got)}`;
  });
  throw new ActionParamsError(
    action.name,
    param,
    `invalid parameters for action ${JSON.stringify(action.name)}: ${problems.join('; ')}`,
  );
}
