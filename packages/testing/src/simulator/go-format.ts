import { stringify as stringifyYaml } from 'yaml';

/** The output formats Juju's reading tools accept. */
export type OutputFormat = 'smart' | 'yaml' | 'json';

/** A value a simulated tool prints: what Go would have before formatting. */
export type ToolValue =
  | null
  | string
  | number
  | boolean
  | readonly ToolValue[]
  | { readonly [key: string]: ToolValue };

/**
 * JSON as Go's `encoding/json` writes it: compact, map keys sorted, `<` `>` `&` and U+2028/U+2029
 * escaped, integral numbers without a fraction. Juju's `--format=json` output is exactly this plus
 * a newline, and charms parse it, so the simulator must not be more lenient than Juju.
 */
export function goJson(value: ToolValue): string {
  return JSON.stringify(sortKeys(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sortKeys(value: ToolValue): ToolValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as readonly ToolValue[]).map(sortKeys);
  const out: Record<string, ToolValue> = {};
  for (const key of Object.keys(value).sort())
    out[key] = sortKeys((value as Record<string, ToolValue>)[key] as ToolValue);
  return out;
}

/**
 * Formats a tool's result the way `juju/cmd` does (juju-contract §1): `smart` prints strings bare,
 * booleans as `True`/`False`, string lists one per line and everything else as YAML; `yaml` is
 * block YAML with sorted keys; `json` is {@link goJson}. `nil` prints nothing except in JSON.
 */
export function formatToolOutput(value: ToolValue, format: OutputFormat): string {
  if (format === 'json') return `${goJson(value)}\n`;
  if (value === null) return '';
  if (format === 'smart') {
    if (typeof value === 'string') return value === '' ? '' : `${value}\n`;
    if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      return value.length === 0 ? '' : `${value.join('\n')}\n`;
    }
  }
  if (typeof value === 'boolean') return value ? 'true\n' : 'false\n';
  return stringifyYaml(sortKeys(value), { sortMapEntries: true, lineWidth: 0 });
}
