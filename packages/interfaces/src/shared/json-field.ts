import { z } from 'zod';

/**
 * A databag field that holds JSON in its string, as Python libraries write it with `json.dumps`
 * (ingress' `port: '8080'`, `name: '"my-app"'`; data_interfaces' `requested-secrets: '["username"]'`).
 * Decoding parses the string and checks it with `inner`; encoding checks the value with `inner`
 * and writes `JSON.stringify` of it. A string that is not JSON is reported as `expected a JSON value`.
 */
export function jsonField<T extends z.ZodType>(inner: T): z.ZodCodec<z.ZodString, T> {
  return z.codec(z.string(), inner, {
    decode: (text, ctx) => {
      try {
        return JSON.parse(text) as z.input<T>;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'expected a JSON value', input: text });
        return z.NEVER;
      }
    },
    encode: (value) => pythonJson(value),
  });
}

/**
 * JSON text exactly as Python's `json.dumps(value)` writes it with its defaults (`", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX`), so that a value we write is byte for byte what a
 * Python charm writes: the remote side sees no change where there is none.
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return asciiJson(value);
  return JSON.stringify(value);
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
