/**
 * Field tables: each Pebble object is described once, as a table of its camelCase fields with
 * their kebab-case wire key and the schema of their value. Everything else follows from it:
 * the TypeScript type ({@link TableValue}, which `types.ts` names), the parser of Pebble's JSON and
 * YAML (`schema`), and the writer back to Pebble's form (`toWire`). Adding a field to a table adds
 * it to all three.
 *
 * Tables are built with zod/mini and loaded with the first Pebble request, never on a hook's
 * start-up path (see `wire-schemas.ts`).
 */
import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import { type OmitUndefined, omitUndefined } from './omit-undefined.js';

/** How a field holds objects of another table. */
export type NestedShape = 'object' | 'record' | 'array';

/** One field of a Pebble object. */
export interface Field<S extends z.ZodMiniType = z.ZodMiniType> {
  /** Pebble's key, e.g. `'working-dir'`. */
  readonly wire: string;
  /** Parses the wire value; its output type is the field's TypeScript type. */
  readonly schema: S;
  /** For a field holding objects of another table: that table and how the field holds them. */
  readonly nested?: { readonly table: TableLike<unknown>; readonly shape: NestedShape };
  /** Writes a (defined) value back in Pebble's form; absent when the value goes out as it is. */
  readonly toWire?: (value: never) => unknown;
}

/** The fields of one object, keyed by their camelCase name. */
export type Fields = { readonly [name: string]: Field };

/**
 * The camelCase object a table describes: one property per field, typed by the output of its
 * schema, optional where that output may be `undefined`. The property's doc comment is the
 * table entry's.
 */
export type TableValue<T extends { readonly fields: Fields }> = FieldsValue<T['fields']>;

/** {@link TableValue} of a table's fields. */
export type FieldsValue<F extends Fields> = OmitUndefined<{
  -readonly [K in keyof F]: z.output<F[K]['schema']>;
}>;

/** A table: its fields, the parser of Pebble's form and the writer to it. */
export interface ObjectTable<F extends Fields, T = FieldsValue<F>> {
  readonly fields: F;
  /**
   * Parses Pebble's object into the camelCase one. Unknown keys are dropped, so a newer Pebble
   * that adds fields still parses; a field present with the wrong type is an issue.
   */
  readonly schema: z.ZodMiniType<T>;
  /**
   * Renames the table's fields to Pebble's keys (recursing into nested tables) and drops
   * `undefined` values. Unknown keys pass through as they are, so a key written in Pebble's
   * spelling, or a field from a newer Pebble, still reaches Pebble, which rejects real typos
   * with its own message. Keys inside user data (`environment`, `labels`, ...) are never renamed.
   */
  toWire(value: T): Record<string, unknown>;
  /** This table typed with the public interface that `types.ts` declares for it. */
  as<Named extends FieldsValue<F>>(): ObjectTable<F, Named>;
}

/** What a nested field needs of the table it holds. */
export interface TableLike<T> {
  readonly fields: Fields;
  readonly schema: z.ZodMiniType<T>;
  toWire(value: T): Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes a table of the fields `build` returns. The fields and the parser are built on first use:
 * a hook deals with a few of Pebble's objects, and building zod schemas costs start-up time.
 */
export function defineTable<F extends Fields>(build: () => F): ObjectTable<F> {
  const fields = lazy(build);
  const schema = lazy(() => {
    const shape: Record<string, z.ZodMiniType> = {};
    const byWire: Array<[name: string, wire: string]> = [];
    for (const [name, field] of Object.entries(fields())) {
      shape[field.wire] = field.schema;
      byWire.push([name, field.wire]);
    }
    return z.pipe(
      z.object(shape),
      z.transform((wire: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const [name, key] of byWire) out[name] = wire[key];
        return omitUndefined(out) as FieldsValue<F>;
      }),
    );
  });
  const table: ObjectTable<F> = {
    get fields() {
      return fields();
    },
    get schema() {
      // zod types a transform's output as Awaited<…>, which TypeScript cannot simplify for a generic F.
      return schema() as z.ZodMiniType as z.ZodMiniType<FieldsValue<F>>;
    },
    toWire(value) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        const field = Object.hasOwn(table.fields, key) ? table.fields[key] : undefined;
        out[field?.wire ?? key] = field === undefined ? item : valueToWire(field, item);
      }
      return out;
    },
    as: () => table as never,
  };
  return table;
}

function valueToWire(field: Field, value: unknown): unknown {
  if (field.toWire !== undefined) return (field.toWire as (value: unknown) => unknown)(value);
  if (field.nested === undefined) return value;
  const { table, shape } = field.nested;
  const toWire = (item: unknown) => (isRecord(item) ? table.toWire(item) : item);
  if (shape === 'object') return toWire(value);
  if (shape === 'array') return Array.isArray(value) ? value.map(toWire) : value;
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) out[name] = toWire(item);
  return out;
}

/**
 * A field whose value is read by `schema`. `toWire` writes a value that `schema` transforms
 * (a time, a duration) back in Pebble's form.
 */
export function field<S extends z.ZodMiniType>(
  wire: string,
  schema: S,
  toWire?: (value: NonNullable<z.output<S>>) => unknown,
): Field<S> {
  return toWire === undefined ? { wire, schema } : { wire, schema, toWire };
}

/**
 * A field holding objects of `table`: one (`'object'`), a map of them by name (`'record'`) or
 * a list (`'array'`). `wrap` says what the field allows besides, e.g. `z.optional`.
 */
export function nestedField<T, S extends z.ZodMiniType>(
  wire: string,
  table: TableLike<T>,
  shape: 'object',
  wrap: (schema: z.ZodMiniType<T>) => S,
): Field<S>;
export function nestedField<T, S extends z.ZodMiniType>(
  wire: string,
  table: TableLike<T>,
  shape: 'record',
  wrap: (schema: z.ZodMiniType<Record<string, T>>) => S,
): Field<S>;
export function nestedField<T, S extends z.ZodMiniType>(
  wire: string,
  table: TableLike<T>,
  shape: 'array',
  wrap: (schema: z.ZodMiniType<T[]>) => S,
): Field<S>;
export function nestedField(
  wire: string,
  table: TableLike<unknown>,
  shape: NestedShape,
  wrap: (schema: never) => z.ZodMiniType,
): Field {
  const schema = lazy(() => {
    const inner =
      shape === 'object'
        ? table.schema
        : shape === 'record'
          ? z.record(z.string(), table.schema)
          : z.array(table.schema);
    return wrap(inner as never);
  });
  return {
    wire,
    get schema() {
      return schema();
    },
    nested: { table, shape },
  };
}
