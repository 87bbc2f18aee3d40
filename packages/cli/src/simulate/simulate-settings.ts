import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyLimit, readCoordinatorFile, resolvePolicy } from '@charmkit/coordinator';
import type { CharmMeta, ConfigValue } from '@charmkit/ops';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';

/** What a charm says about how to simulate it, in the `simulate:` section of its charmkit.yaml. */
export interface SimulateSettings {
  /** Config set at deploy (e.g. a workload mode that runs without systemd). */
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** What the config-change and rolling-restart scenarios change. */
  readonly change: Readonly<Record<string, ConfigValue>>;
  /** The most lock holders the charm's coordinator policy allows, when charmkit.yaml says. */
  readonly maxHolders: number | null;
  /** The Juju to simulate (`3.6`, `4`), when charmkit.yaml pins it; `--juju` wins. */
  readonly juju: string | null;
}

function mapping(value: unknown, where: string): Record<string, ConfigValue> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${where} must be a mapping of option: value`);
  const out: Record<string, ConfigValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new UsageError(`${where}.${key} must be a string, number or boolean`);
    }
    out[key] = v;
  }
  return out;
}

/**
 * Reads `<charm dir>/charmkit.yaml`:
 *
 * ```yaml
 * simulate:
 *   config: { workload: local-process }   # deploy config for the simulator
 *   change: { greeting: bonjour }         # what config-change / rolling-restart set
 *   juju: "3.6"                           # the Juju to simulate (default 4)
 * coordinator:
 *   policy: serial                        # gives the lock-holder limit checked after every hook
 * ```
 */
export function readSimulateSettings(charmDir: string): SimulateSettings {
  const path = join(charmDir, 'charmkit.yaml');
  let section: Record<string, unknown> = {};
  if (existsSync(path)) {
    const doc = parse(readFileSync(path, 'utf8')) as { simulate?: unknown } | null;
    const raw = doc?.simulate;
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== 'object' || Array.isArray(raw))
        throw new UsageError(`${path}: simulate must be a mapping`);
      section = raw as Record<string, unknown>;
    }
  }
  const coordinator = readCoordinatorFile(charmDir);
  const juju = section.juju;
  if (juju !== undefined && juju !== null && typeof juju !== 'string' && typeof juju !== 'number')
    throw new UsageError(`${path}: simulate.juju must be a version such as "3.6" or "4"`);
  return {
    juju: juju === undefined || juju === null ? null : String(juju),
    config: mapping(section.config, `${path}: simulate.config`),
    change: mapping(section.change, `${path}: simulate.change`),
    maxHolders:
      coordinator.policy === undefined ? null : policyLimit(resolvePolicy(coordinator.policy).policy),
  };
}

/** Parses `key=value` options against the charm's config types (`port=8080` is a number for an int option). */
export function parseConfigPairs(
  pairs: readonly string[],
  meta: CharmMeta,
  flag: string,
): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`${flag} ${pair}: expected option=value`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const option = meta.config.get(key);
    if (!option) {
      const known = [...meta.config.keys()];
      throw new UsageError(
        `${flag} ${pair}: the charm has no option ${JSON.stringify(key)} (options: ${known.join(', ') || 'none'})`,
      );
    }
    if (option.type === 'int' || option.type === 'float') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (option.type === 'int' && !Number.isInteger(n))) {
        throw new UsageError(`${flag} ${pair}: ${key} is an ${option.type} option`);
      }
      out[key] = n;
    } else if (option.type === 'boolean') {
      if (text !== 'true' && text !== 'false')
        throw new UsageError(`${flag} ${pair}: ${key} is a boolean option (true or false)`);
      out[key] = text === 'true';
    } else out[key] = text;
  }
  return out;
}

/**
 * The change the config-change scenarios make when neither the command line nor charmkit.yaml
 * says: the first string option gets a new value.
 */
export function defaultChange(meta: CharmMeta, seed: number): Record<string, ConfigValue> {
  const option = [...meta.config.values()].find((o) => o.type === 'string');
  if (option) return { [option.name]: `changed-${seed}` };
  const number = [...meta.config.values()].find((o) => o.type === 'int');
  if (number) return { [number.name]: (typeof number.default === 'number' ? number.default : 0) + 1 };
  return {};
}
