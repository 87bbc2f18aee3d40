import { HookToolError, invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { maybeString, stringMap } from './schemas.js';
import { requireNonEmpty, requireStringEntries } from './validate.js';
import { yamlSafeJson } from './yaml-safe-json.js';

/** Longest key Juju stores in unit state, in bytes. */
export const MAX_STATE_KEY_BYTES = 256;
/** Longest value Juju stores in unit state, in bytes (64 KiB). */
export const MAX_STATE_VALUE_BYTES = 64 * 1024;

/**
 * The unit's server-side state: `state-get --format=json`. An empty store prints `null` (a Go nil
 * map); that reads as `{}` here.
 */
export function stateGet(runner: ToolRunner): Record<string, string> {
  return runner.runJson('state-get', [], stringMap);
}

/**
 * One value, `undefined` when absent: `state-get --format=json --strict -- <key>`. Without
 * `--strict` a missing key prints `""`, which a stored empty value also prints; with it, Juju fails
 * with `"<key>" not found` (exit 1), read here as `undefined`.
 */
export function stateGetKey(runner: ToolRunner, key: string): string | undefined {
  requireNonEmpty('state-get', 'key', key);
  try {
    return runner.runJson('state-get', ['--strict', '--', key], maybeString);
  } catch (error) {
    if (error instanceof HookToolError && error.exitCode === 1 && /not found/i.test(error.stderr))
      return undefined;
    throw error;
  }
}

/**
 * Stores values: `state-set --file -` with a JSON object on stdin, so values arrive exactly (no
 * trimming, any size up to the limit, newlines and leading dashes included). Buffered by Juju,
 * committed only if the hook exits 0. Keys over {@link MAX_STATE_KEY_BYTES} bytes or values over
 * {@link MAX_STATE_VALUE_BYTES} bytes are rejected before spawning (Juju would fail the quota
 * check). Remove keys with {@link stateDelete}. Nothing is spawned for `{}`.
 */
export function stateSet(runner: ToolRunner, values: Readonly<Record<string, string>>): void {
  const entries = requireStringEntries('state-set', 'state values', values, { allowNull: false });
  for (const [key, value] of entries) {
    const keyBytes = Buffer.byteLength(key, 'utf8');
    if (keyBytes > MAX_STATE_KEY_BYTES) {
      throw invalidArgument(
        'state-set',
        `key of ${keyBytes} bytes exceeds the limit of ${MAX_STATE_KEY_BYTES}`,
      );
    }
    const valueBytes = Buffer.byteLength(value, 'utf8');
    if (valueBytes > MAX_STATE_VALUE_BYTES) {
      throw invalidArgument(
        'state-set',
        `value of ${JSON.stringify(key)} is ${valueBytes} bytes; the limit is ${MAX_STATE_VALUE_BYTES}`,
      );
    }
  }
  if (entries.length === 0) return;
  runner.run('state-set', ['--file', '-'], { input: yamlSafeJson(Object.fromEntries(entries)) });
}

/** Removes a key (a missing key is fine): `state-delete -- <key>`. Buffered like state-set. */
export function stateDelete(runner: ToolRunner, key: string): void {
  requireNonEmpty('state-delete', 'key', key);
  runner.run('state-delete', ['--', key]);
}
