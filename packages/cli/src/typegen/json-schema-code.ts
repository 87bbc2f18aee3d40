import { literal, propertyKey } from './names.js';

/** A schema as source code: the zod/mini expression and the TypeScript type it validates to. */
export interface SchemaCode {
  readonly zod: string;
  readonly type: string;
}

type JsonSchema = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indent(text: string, by = '  '): string {
  return text.replace(/\n/g, `\n${by}`);
}

function checks(base: string, list: string[]): string {
  return list.length ? `${base}.check(${list.join(', ')})` : base;
}

function num(schema: JsonSchema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

// The same subset of JSON Schema that @charmkit/ops validates action parameters with
// (model/action-params.ts), written out as code so the types can be read and checked by tsc.
function typed(type: unknown, schema: JsonSchema): SchemaCode {
  switch (type) {
    case 'string': {
      const list: string[] = [];
      const min = num(schema, 'minLength');
      const max = num(schema, 'maxLength');
      if (min !== undefined) list.push(`z.minLength(${min})`);
      if (max !== undefined) list.push(`z.maxLength(${max})`);
      if (typeof schema.pattern === 'string')
        list.push(`z.regex(new RegExp(${literal(schema.pattern)}, 'u'))`);
      return { zod: checks('z.string()', list), type: 'string' };
    }
    case 'integer':
    case 'number': {
      const list: string[] = [];
      const min = num(schema, 'minimum');
      const max = num(schema, 'maximum');
      if (min !== undefined) list.push(schema.exclusiveMinimum === true ? `z.gt(${min})` : `z.gte(${min})`);
      if (max !== undefined) list.push(schema.exclusiveMaximum === true ? `z.lt(${max})` : `z.lte(${max})`);
      return { zod: checks(type === 'integer' ? 'z.int()' : 'z.number()', list), type: 'number' };
    }
    case 'boolean':
      return { zod: 'z.boolean()', type: 'boolean' };
    case 'null':
      return { zod: 'z.null()', type: 'null' };
    case 'array': {
      const item = isObject(schema.items)
        ? schemaCode(schema.items)
        : { zod: 'z.unknown()', type: 'unknown' };
      const element = /[ |&]/.test(item.type) ? `(${item.type})` : item.type;
      return { zod: `z.array(${item.zod})`, type: `readonly ${element}[]` };
    }
    case 'object':
      return objectCode(schema.properties, schema.required, schema.additionalProperties);
    default:
      return { zod: 'z.unknown()', type: 'unknown' };
  }
}

/** One JSON-schema fragment (`type`, `enum`, bounds, `items`, `properties` …) as code. */
export function schemaCode(schema: JsonSchema): SchemaCode {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const values = schema.enum.map(literal);
    return { zod: `z.literal([${values.join(', ')}])`, type: values.join(' | ') };
  }
  if (Array.isArray(schema.type)) {
    const options = schema.type.map((t) => typed(t, schema));
    if (options.length === 1) return options[0] as SchemaCode;
    return {
      zod: `z.union([${options.map((o) => o.zod).join(', ')}])`,
      type: options.map((o) => o.type).join(' | '),
    };
  }
  return typed(schema.type, schema);
}

/**
 * An object of named properties: those with a default or listed in `required` are always present;
 * `additionalProperties: false` makes it strict.
 */
export function objectCode(properties: unknown, required: unknown, additional: unknown): SchemaCode {
  const requiredSet = new Set(Array.isArray(required) ? required.map(String) : []);
  const zodLines: string[] = [];
  const typeLines: string[] = [];
  for (const [name, raw] of Object.entries(isObject(properties) ? properties : {})) {
    const property = isObject(raw) ? raw : {};
    const code = schemaCode(property);
    const hasDefault = property.default !== undefined && property.default !== null;
    const key = propertyKey(name);
    if (hasDefault) zodLines.push(`${key}: z._default(${code.zod}, ${literal(property.default)}),`);
    else if (requiredSet.has(name)) zodLines.push(`${key}: ${code.zod},`);
    else zodLines.push(`${key}: z.optional(${code.zod}),`);
    const optional = hasDefault || requiredSet.has(name) ? '' : '?';
    typeLines.push(`readonly ${key}${optional}: ${code.type};`);
  }
  const ctor = additional === false ? 'z.strictObject' : 'z.looseObject';
  if (zodLines.length === 0) {
    const type =
      additional === false ? 'Readonly<Record<string, never>>' : 'Readonly<Record<string, unknown>>';
    return { zod: `${ctor}({})`, type };
  }
  return {
    zod: `${ctor}({\n  ${zodLines.map((l) => indent(l)).join('\n  ')}\n})`,
    type: `{\n  ${typeLines.map((l) => indent(l)).join('\n  ')}\n}`,
  };
}
