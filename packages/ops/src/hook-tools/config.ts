import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import type { ToolRunner } from './run-tool.js';
import { requireNonEmpty } from './validate.js';

/**
 * A charm config value as `config-get` prints it: string (also for `secret` options, which hold a
 * secret URI), number (`int` and `float`; JSON has one number type, and Go prints an integral float
 * `2.0` as `2`, so the declared option type decides which it is) or boolean.
 */
export type ConfigValue = string | number | boolean;

const configValue = lazy(() => z.union([z.string(), z.number(), z.boolean()]));
const configMap = lazy(() =>
  z.pipe(
    z.nullable(z.record(z.string(), configValue())),
    z.transform((v): Record<string, ConfigValue> => v ?? {}),
  ),
);
const configMapWithUnset = lazy(() =>
  z.pipe(
    z.nullable(z.record(z.string(), z.nullable(configValue()))),
    z.transform((v): Record<string, ConfigValue | null> => v ?? {}),
  ),
);
const configKeyValue = lazy(() => z.nullable(configValue()));

/**
 * The options that are set or have a default: `config-get --format=json`. Juju caches config for
 * the hook; a change arrives as a later `config-changed`.
 */
export function configGet(runner: ToolRunner): Record<string, ConfigValue> {
  return runner.runJson('config-get', [], configMap);
}

/**
 * Every option, with `null` for those unset and without a default: `config-get --format=json --all`.
 */
export function configGetAll(runner: ToolRunner): Record<string, ConfigValue | null> {
  return runner.runJson('config-get', ['--all'], configMapWithUnset);
}

/**
 * One option, `undefined` when unknown or unset (Juju does not treat that as an error):
 * `config-get --format=json -- <key>`.
 */
export function configGetKey(runner: ToolRunner, key: string): ConfigValue | undefined {
  requireNonEmpty('config-get', 'key', key);
  return runner.runJson('config-get', ['--', key], configKeyValue) ?? undefined;
}
