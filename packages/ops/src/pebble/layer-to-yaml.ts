import { stringify } from 'yaml';
import type { Layer } from './types.js';

// camelCase fields that Pebble spells in kebab-case. Only these are renamed: keys inside
// `environment`, `labels`, `headers` and `onCheckFailure` are user data and keep their spelling.
const LAYER_KEYS: Record<string, string> = { logTargets: 'log-targets' };
const SERVICE_KEYS: Record<string, string> = {
  userId: 'user-id',
  groupId: 'group-id',
  workingDir: 'working-dir',
  onSuccess: 'on-success',
  onFailure: 'on-failure',
  onCheckFailure: 'on-check-failure',
  backoffDelay: 'backoff-delay',
  backoffFactor: 'backoff-factor',
  backoffLimit: 'backoff-limit',
  killDelay: 'kill-delay',
};
const EXEC_KEYS: Record<string, string> = {
  serviceContext: 'service-context',
  userId: 'user-id',
  groupId: 'group-id',
  workingDir: 'working-dir',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Renames the known camelCase keys of one object and drops `undefined` values. Unknown keys pass
 * through as they are, so a kebab-case key written by hand, or a field from a newer Pebble, still
 * reaches Pebble, which rejects real typos with its own message.
 */
function renameKeys(
  value: Record<string, unknown>,
  keys: Record<string, string>,
  nested: Record<string, (item: Record<string, unknown>) => Record<string, unknown>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const convert = nested[key];
    out[keys[key] ?? key] = convert !== undefined && isRecord(item) ? convert(item) : item;
  }
  return out;
}

function mapEntries(
  value: Record<string, unknown>,
  convert: (item: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = isRecord(item) ? convert(item) : item;
  }
  return out;
}

const serviceToWire = (service: Record<string, unknown>) => renameKeys(service, SERVICE_KEYS);
const checkToWire = (check: Record<string, unknown>) =>
  renameKeys(check, {}, { exec: (exec) => renameKeys(exec, EXEC_KEYS) });
const logTargetToWire = (target: Record<string, unknown>) => renameKeys(target, {});

/** Converts a camelCase {@link Layer} into the kebab-case document Pebble reads. */
export function layerToWire(layer: Layer): Record<string, unknown> {
  return renameKeys(layer as Record<string, unknown>, LAYER_KEYS, {
    services: (services) => mapEntries(services, serviceToWire),
    checks: (checks) => mapEntries(checks, checkToWire),
    logTargets: (targets) => mapEntries(targets, logTargetToWire),
  });
}

/** Serialises a layer for `POST /v1/layers`; a string is taken to be YAML already. */
export function layerToYaml(layer: Layer | string): string {
  return typeof layer === 'string' ? layer : stringify(layerToWire(layer));
}
