import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import { invalidArgument } from './errors.js';
import { parseRelationId, type RelationRef, relationArgs } from './relation-ref.js';
import type { ToolRunner } from './run-tool.js';
import { maybeString, stringList, stringMap } from './schemas.js';
import {
  ENDPOINT_NAME,
  requireMatch,
  requireNonEmpty,
  requireStringEntries,
  UNIT_NAME,
  UNIT_OR_APP_NAME,
} from './validate.js';
import { yamlSafeJson } from './yaml-safe-json.js';

/** Which relation a call is about. */
export interface RelationOptions {
  /** The relation; default: the relation of the current relation hook. */
  readonly relationId?: RelationRef;
}

/** Which databag `relation-get` reads. */
export interface RelationGetOptions extends RelationOptions {
  /**
   * The unit (`app/0`) or, with `app`, the application whose data to read. Default: Juju's choice,
   * the hook's remote unit, else its remote app.
   */
  readonly unitOrApp?: string;
  /** Read application data instead of unit data (`--app`). */
  readonly app?: boolean;
}

/** Which databag `relation-set` writes. */
export interface RelationSetOptions extends RelationOptions {
  /** Write this application's data (`--app`; leader only) instead of this unit's. */
  readonly app?: boolean;
}

/** `relation-ids` output: `["db:0","db:3"]` (`null` read as none). */
const relationIdList = lazy(() =>
  z.pipe(
    z.nullable(z.array(z.string().check(z.regex(/^(?:[^:]*:)?\d+$/)))),
    z.transform((ids): string[] => ids ?? []),
  ),
);

/**
 * Ids of the live relations on `endpoint` (default: the hook's relation's endpoint):
 * `relation-ids --format=json [-- <endpoint>]`. Juju prints `"db:3"`; this returns `3`.
 */
export function relationIds(runner: ToolRunner, endpoint?: string): number[] {
  const args =
    endpoint === undefined
      ? []
      : ['--', requireMatch('relation-ids', 'endpoint', endpoint, ENDPOINT_NAME, 'an endpoint name')];
  // The schema guarantees every entry parses.
  return runner.runJson('relation-ids', args, relationIdList).map((id) => parseRelationId(id) as number);
}

/** Remote units this unit sees in the relation, sorted: `relation-list --format=json [-r <id>]`. */
export function relationList(runner: ToolRunner, options: RelationOptions = {}): string[] {
  return runner.runJson('relation-list', relationArgs('relation-list', options.relationId), stringList);
}

/**
 * The remote application's name (for a peer relation: this application):
 * `relation-list --format=json [-r <id>] --app`. `undefined` if Juju does not know it.
 */
export function relationRemoteApp(runner: ToolRunner, options: RelationOptions = {}): string | undefined {
  const args = [...relationArgs('relation-list', options.relationId), '--app'];
  const app = runner.runJson('relation-list', args, maybeString);
  return app === '' ? undefined : app;
}

/**
 * A whole databag: `relation-get --format=json [-r <id>] [--app] -- - [<unit-or-app>]`.
 * Values are always strings; an empty databag is `{}`.
 */
export function relationGet(runner: ToolRunner, options: RelationGetOptions = {}): Record<string, string> {
  return runner.runJson('relation-get', relationGetArgs('-', options), stringMap);
}

/**
 * One key of a databag, `undefined` when absent (never an error):
 * `relation-get --format=json [-r <id>] [--app] -- <key> [<unit-or-app>]`.
 */
export function relationGetKey(
  runner: ToolRunner,
  key: string,
  options: RelationGetOptions = {},
): string | undefined {
  requireNonEmpty('relation-get', 'key', key);
  if (key === '-') throw invalidArgument('relation-get', 'key "-" is reserved (it means the whole databag)');
  return runner.runJson('relation-get', relationGetArgs(key, options), maybeString);
}

function relationGetArgs(key: string, options: RelationGetOptions): string[] {
  const args = relationArgs('relation-get', options.relationId);
  if (options.app === true) args.push('--app');
  args.push('--', key);
  if (options.unitOrApp !== undefined) {
    // Without --app Juju wants a unit name; with --app it accepts either and uses the unit's app.
    const target =
      options.app === true
        ? requireMatch(
            'relation-get',
            'unitOrApp',
            options.unitOrApp,
            UNIT_OR_APP_NAME,
            'a unit or application name',
          )
        : requireMatch(
            'relation-get',
            'unitOrApp',
            options.unitOrApp,
            UNIT_NAME,
            'a unit name (without app: true, Juju reads unit data)',
          );
    args.push(target);
  }
  return args;
}

/**
 * Writes this unit's (or with `app`, this application's) databag:
 * `relation-set [-r <id>] [--app] --file -`, with the values as a JSON object on stdin.
 *
 * Why stdin: `key=value` arguments are whitespace-trimmed by Juju and limited in size, and a value
 * starting with `-` would read as a flag. JSON is YAML, which is what `--file` parses, so every
 * value arrives exactly. A `null` or `''` value deletes the key. Nothing is spawned when `values`
 * is empty. Buffered by Juju: committed only if the hook exits 0.
 */
export function relationSet(
  runner: ToolRunner,
  values: Readonly<Record<string, string | null>>,
  options: RelationSetOptions = {},
): void {
  const entries = requireStringEntries('relation-set', 'relation data', values, { allowNull: true });
  const args = relationArgs('relation-set', options.relationId);
  if (entries.length === 0) return;
  if (options.app === true) args.push('--app');
  args.push('--file', '-');
  runner.run('relation-set', args, { input: yamlSafeJson(Object.fromEntries(entries)) });
}

const modelOutput = lazy(() => z.looseObject({ uuid: z.string() }));

/** The model of the relation's remote side: `relation-model-get --format=json [-r <id>]`. */
export function relationModelGet(runner: ToolRunner, options: RelationOptions = {}): { uuid: string } {
  const args = relationArgs('relation-model-get', options.relationId);
  const result = runner.runJson('relation-model-get', args, modelOutput);
  return { uuid: result.uuid };
}
