/** A JSON value: what snapshots, stored state and notices may hold. */
export type JsonPrimitive = string | number | boolean | null;
/** A JSON array. */
export type JsonArray = JsonValue[];
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}
/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/**
 * Describes why `value` is not plain JSON, or returns null when it is. `where` names the value
 * in the message (e.g. `stored.config.port`), so the error points at the offending field.
 */
export function jsonProblem(value: unknown, where: string, seen: Set<object> = new Set()): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${where} is ${value}, which JSON cannot represent`;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) return `${where} refers to itself (a cycle), which JSON cannot represent`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            if (!(i in value)) return `${where}[${i}] is a hole in a sparse array`;
            const problem = jsonProblem(value[i], `${where}[${i}]`, seen);
            if (problem) return problem;
          }
          return null;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          return `${where} is a ${name} instance; only plain objects, arrays, strings, finite numbers, booleans and null are allowed`;
        }
        for (const [key, item] of Object.entries(value)) {
          const problem = jsonProblem(item, `${where}.${key}`, seen);
          if (problem) return problem;
        }
        return null;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return `${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}; only plain objects, arrays, strings, finite numbers, booleans and null are allowed`;
  }
}

/** True when `value` is a plain (non-array, non-null) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * JSON text with object keys sorted at every level, so two equal values always give the same
 * string: this is what lets identical deferred events be recognised by comparing text.
 */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as JsonValue);
    return out;
  }
  return value;
}
