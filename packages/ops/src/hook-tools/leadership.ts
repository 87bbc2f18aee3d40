import * as z from 'zod/mini';
import { invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { maybeString, stringMap } from './schemas.js';
import { requireNonEmpty, requireStringEntries } from './validate.js';

/**
 * Whether this unit is the leader: `is-leader --format=json`. True guarantees leadership for at
 * least 30 s; a false answer stays false for the rest of the hook (Juju caches it).
 */
export function isLeader(runner: ToolRunner): boolean {
  return runner.runJson('is-leader', [], z.boolean());
}

/** All leader settings: `leader-get --format=json`. */
export function leaderGet(runner: ToolRunner): Record<string, string> {
  return runner.runJson('leader-get', [], stringMap);
}

/** One leader setting, `undefined` when unset: `leader-get --format=json -- <key>`. */
export function leaderGetKey(runner: ToolRunner, key: string): string | undefined {
  checkLeaderKey('leader-get', key);
  return runner.runJson('leader-get', ['--', key], maybeString);
}

/**
 * Writes leader settings: `leader-set -- k1=v1 k2= ...`. A `null` or `''` value deletes the key.
 * Leader only (`NotLeaderError`). Not transactional: the write lands at once, even if the hook
 * fails later, and every other unit gets `leader-settings-changed`.
 *
 * `leader-set` has no `--file`: the values travel as `key=value` arguments, and **Juju trims
 * whitespace around each value** (`" x\n"` is stored as `"x"`). Keys must already be trimmed (a key
 * that Juju would change is rejected here). Each pair is limited to 131071 bytes. Nothing is spawned
 * when `values` is empty.
 */
export function leaderSet(runner: ToolRunner, values: Readonly<Record<string, string | null>>): void {
  const pairs = requireStringEntries('leader-set', 'leader settings', values, { allowNull: true }).map(
    ([key, value]) => {
      checkLeaderKey('leader-set', key);
      if (key.trim() !== key) {
        throw invalidArgument(
          'leader-set',
          `key ${JSON.stringify(key)} has surrounding whitespace, which Juju would trim`,
        );
      }
      return `${key}=${value}`;
    },
  );
  if (pairs.length === 0) return;
  runner.run('leader-set', ['--', ...pairs], { redactArgs: true });
}

function checkLeaderKey(tool: string, key: string): void {
  requireNonEmpty(tool, 'key', key);
  if (key.includes('=')) throw invalidArgument(tool, `key ${JSON.stringify(key)} must not contain "="`);
  // `-` alone means "all settings" to leader-get.
  if (key === '-') throw invalidArgument(tool, 'key "-" is reserved (it means all settings)');
}
