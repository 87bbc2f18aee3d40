import type { JsonObject, JsonValue } from '../json.js';
import { invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { jsonObject, maybeJson } from './schemas.js';
import { describeKind, requireNonEmpty, requireString } from './validate.js';

/** A value in action results: a string, a number or boolean (sent as text), or a nested map. */
export type ActionResultValue = string | number | boolean | ActionResults;

/** Action results: nested maps are sent as dotted keys (`{ a: { b: 1 } }` → `a.b=1`). */
export interface ActionResults {
  readonly [key: string]: ActionResultValue;
}

/** Result keys Juju fills in itself; `action-set` refuses them at any level of a dotted key. */
export const RESERVED_ACTION_KEYS: readonly string[] = [
  'stdout',
  'stdout-encoding',
  'stderr',
  'stderr-encoding',
];

/** One part of a dotted result key (Juju's action-name rule). */
const ACTION_KEY_PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The action's parameters: `action-get --format=json` (`{}` when there are none). */
export function actionGet(runner: ToolRunner): JsonObject {
  return runner.runJson('action-get', [], jsonObject);
}

/**
 * One parameter, `undefined` when absent; a dotted key walks nested maps:
 * `action-get --format=json -- <key>`.
 */
export function actionGetKey(runner: ToolRunner, key: string): JsonValue | undefined {
  requireNonEmpty('action-get', 'key', key);
  return runner.runJson('action-get', ['--', key], maybeJson);
}

/**
 * Adds to the action's results: `action-set -- <a>=<v> <b.c>=<v> ...`, nested maps flattened to
 * dotted keys. Keys are checked here, before spawning, with Juju's rule (each dotted part lowercase
 * alphanumeric and inner hyphens, none of {@link RESERVED_ACTION_KEYS}); values become text.
 *
 * `action-set` has no `--file`, so values travel as arguments: up to 131071 bytes each, and the
 * whole command line must stay under the system's limit (about 2 MiB). Values may well be secrets
 * (a generated password), so errors show them redacted. Nothing is spawned for `{}`.
 */
export function actionSet(runner: ToolRunner, results: ActionResults): void {
  const pairs = flattenActionResults(results).map(([key, value]) => `${key}=${value}`);
  if (pairs.length === 0) return;
  runner.run('action-set', ['--', ...pairs], { redactArgs: true });
}

/**
 * `{ a: { b: 1 }, c: 'x' }` → `[['a.b', '1'], ['c', 'x']]`, validating every key part and
 * rejecting two entries that name the same key (`{ 'a.b': 1, a: { b: 2 } }`) or a key that is both
 * a value and a map (`{ a: 1, 'a.b': 2 }`), which Juju would resolve silently by order.
 */
export function flattenActionResults(results: ActionResults): [string, string][] {
  const flat: [string, string][] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidArgument('action-set', `results must be an object, got ${describeKind(value)}`);
    }
    for (const [key, item] of Object.entries(value)) {
      for (const part of key.split('.')) checkKeyPart(part, prefix + key);
      const full = prefix + key;
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        walk(item, `${full}.`);
      } else if (
        typeof item === 'string' ||
        typeof item === 'boolean' ||
        (typeof item === 'number' && Number.isFinite(item))
      ) {
        flat.push([full, String(item)]);
      } else {
        throw invalidArgument(
          'action-set',
          `result ${JSON.stringify(full)} must be a string, finite number, boolean or object, got ${describeKind(item)}`,
        );
      }
    }
  };
  walk(results, '');

  const leaves = new Set<string>();
  for (const [key] of flat) {
    if (leaves.has(key))
      throw invalidArgument('action-set', `result key ${JSON.stringify(key)} is given twice`);
    leaves.add(key);
  }
  for (const key of leaves) {
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      const parent = key.slice(0, dot);
      if (leaves.has(parent)) {
        throw invalidArgument(
          'action-set',
          `result ${JSON.stringify(parent)} is both a value and a map (${JSON.stringify(key)})`,
        );
      }
    }
  }
  return flat;
}

function checkKeyPart(part: string, key: string): void {
  if (!ACTION_KEY_PART.test(part)) {
    throw invalidArgument(
      'action-set',
      `result key ${JSON.stringify(key)}: ${JSON.stringify(part)} must start and end with a lowercase letter or digit and contain only lowercase letters, digits and hyphens`,
    );
  }
  if (RESERVED_ACTION_KEYS.includes(part)) {
    throw invalidArgument(
      'action-set',
      `result key ${JSON.stringify(key)} uses the reserved name ${JSON.stringify(part)}`,
    );
  }
}

/** Reports progress to whoever runs the action: `action-log -- <message>`. Immediate. */
export function actionLog(runner: ToolRunner, message: string): void {
  requireString('action-log', 'message', message);
  runner.run('action-log', ['--', message]);
}

/**
 * Marks the action failed: `action-fail [-- <message>]` (without a message Juju uses "action
 * failed without reason given, check action for errors"). The process keeps running.
 */
export function actionFail(runner: ToolRunner, message?: string): void {
  if (message === undefined) {
    runner.run('action-fail', []);
    return;
  }
  requireString('action-fail', 'message', message);
  runner.run('action-fail', ['--', message]);
}
