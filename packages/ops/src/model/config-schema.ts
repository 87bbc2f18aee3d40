import * as z from 'zod/mini';
import type { ConfigOptionMeta, ConfigOptionType } from '../charm-meta.js';
import { SECRET_URI } from '../hook-tools/secret.js';
import type { SchemaIssue } from '../internal/describe-issues.js';
import { describeSchemaIssue, kindOf } from '../internal/describe-schema-issue.js';
import type { ConfigValue } from './model-backend.js';
import { ConfigError } from './model-errors.js';

/** The TypeScript type of a value of each config option type (`secret` holds a secret URI). */
export interface ConfigTypeMap {
  string: string;
  int: number;
  float: number;
  boolean: boolean;
  secret: string;
}

/** A config option as config.yaml declares it (the part that decides its type). */
export interface ConfigOptionDeclaration {
  readonly type: ConfigOptionType;
  readonly default?: ConfigValue | null;
  readonly description?: string;
}

/** config.yaml's `options`: option name → declaration. */
export type ConfigDeclarations = Readonly<Record<string, ConfigOptionDeclaration>>;

type HasDefault<D> = D extends { readonly default: infer V }
  ? [V] extends [null | undefined]
    ? false
    : true
  : false;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The config type a charm sees for `options`: options with a default are always present (the
 * model fills in the default if Juju leaves one out), the others are optional.
 *
 * @example
 * ```ts
 * const options = { port: { type: 'int', default: 8080 }, token: { type: 'secret' } } as const;
 * type Config = InferConfig<typeof options>; // { readonly port: number; readonly token?: string }
 * ```
 */
export type InferConfig<D extends ConfigDeclarations> = Simplify<
  {
    readonly [K in keyof D as HasDefault<D[K]> extends true ? K : never]: ConfigTypeMap[D[K]['type']];
  } & {
    readonly [K in keyof D as HasDefault<D[K]> extends true ? never : K]?: ConfigTypeMap[D[K]['type']];
  }
>;

/** The config type a schema from {@link configSchema} validates to. */
export type ConfigOf<S extends z.ZodMiniType> = z.infer<S>;

/** The schema of one option's value. */
function valueSchema(type: ConfigOptionType): z.ZodMiniType<ConfigValue> {
  switch (type) {
    case 'int':
      return z.int();
    case 'float':
      // JSON has one number type, and Go prints an integral float (2.0) as 2: any finite number.
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'secret':
      return z
        .string()
        .check(
          z.refine(
            (v) => SECRET_URI.test(v),
            'expected a secret URI (secret:<id> or secret://<model uuid>/<id>)',
          ),
        );
    default:
      return z.string();
  }
}

function shapeOf(entries: Iterable<[string, ConfigOptionDeclaration]>): Record<string, z.ZodMiniType> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, option] of entries) {
    const schema = valueSchema(option.type);
    const fallback = option.default;
    shape[name] =
      fallback === undefined || fallback === null ? z.optional(schema) : z._default(schema, fallback);
  }
  return shape;
}

/**
 * A zod schema for a config declared as in config.yaml. Declared options are type-checked and
 * defaults filled in; options not declared pass through unchanged.
 */
export function configSchema<const D extends ConfigDeclarations>(options: D): z.ZodMiniType<InferConfig<D>> {
  return z.looseObject(shapeOf(Object.entries(options))) as unknown as z.ZodMiniType<InferConfig<D>>;
}

/** The schema of a charm's config from its parsed metadata (`meta.config`). */
export function configSchemaFromMeta(
  config: ReadonlyMap<string, ConfigOptionMeta>,
): z.ZodMiniType<Record<string, ConfigValue>> {
  return z.looseObject(shapeOf(config.entries())) as unknown as z.ZodMiniType<Record<string, ConfigValue>>;
}

/**
 * Checks `config-get` output against the declared options and fills in defaults.
 *
 * @throws {ConfigError} naming the first bad option, what was expected, and every problem found
 * (never the values: an option may hold a secret).
 */
export function validateConfig(
  config: ReadonlyMap<string, ConfigOptionMeta>,
  values: Readonly<Record<string, ConfigValue>>,
  schema: z.ZodMiniType<Record<string, ConfigValue>> = configSchemaFromMeta(config),
): Record<string, ConfigValue> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issues = result.error.issues as readonly SchemaIssue[];
  // Name each bad option with its declared type: clearer than zod's view (`int` is a number check).
  const problems = issues.map((issue) => {
    const option = String(issue.path[0] ?? '');
    const declared = config.get(option);
    if (!declared || issue.path.length !== 1) {
      return `${issue.path.map(String).join('.') || '(top level)'}: ${describeSchemaIssue(issue, values[option])}`;
    }
    const expected =
      declared.type === 'secret' ? 'a secret URI (secret:<id> or secret://<model uuid>/<id>)' : declared.type;
    return `${option}: expected ${expected}, got ${kindOf(values[option])}`;
  });
  const option = String(issues[0]?.path[0] ?? '');
  throw new ConfigError(option, `invalid charm config (declared in config.yaml): ${problems.join('; ')}`);
}
