import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { LogLevel } from '@charmkit/ops';
import { CoordinatorConfigError } from './errors.js';
import { type GrantPolicy, maxConcurrent, serial, simple } from './policy.js';

/** How a charm names a policy in code or in `charmkit.yaml`. */
export type PolicyChoice = 'serial' | 'simple' | { readonly maxConcurrent: number } | GrantPolicy;

/** The coordinator's settings after code and file are combined. */
export interface ResolvedCoordinatorSettings {
  readonly policy: GrantPolicy;
  readonly policyName: string;
  readonly logLevel: LogLevel;
}

const LEVELS: Record<string, LogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
};

/**
 * The YAML parser, loaded only when the file was not given already parsed: in a dispatch run by
 * `main()` it always is; tests and tools that construct the charm themselves get here. (Loaded
 * with `require` so that a bundled charm does not carry it in its start-up code.)
 */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as { parse(text: string): unknown };
  return yaml.parse(text);
}

/** Turns a policy choice into a policy function and a name for logs. */
export function resolvePolicy(choice: PolicyChoice): { policy: GrantPolicy; name: string } {
  if (typeof choice === 'function') return { policy: choice, name: choice.name || 'custom' };
  if (choice === 'serial') return { policy: serial, name: 'serial' };
  if (choice === 'simple') return { policy: simple, name: 'simple' };
  if (typeof choice === 'object' && choice !== null && 'maxConcurrent' in choice) {
    return { policy: maxConcurrent(choice.maxConcurrent), name: `max-concurrent(${choice.maxConcurrent})` };
  }
  throw new CoordinatorConfigError(
    `unknown coordinator policy ${JSON.stringify(choice)}: expected serial, simple, { maxConcurrent: n } or a function`,
  );
}

/**
 * Reads the `coordinator:` section of `<charm dir>/charmkit.yaml`, the way seed 001's
 * `layer.yaml` options chose the class and log level:
 *
 * ```yaml
 * coordinator:
 *   policy: max-concurrent   # serial (default) | simple | max-concurrent
 *   max-concurrent: 2
 *   log-level: debug         # debug | info (default) | warning | error | critical
 * ```
 *
 * Options given in code win over the file. `preloaded` is the file already parsed (null: there is
 * none), as `main()` gives it (`framework.charmkitConfig`, from the build's JSON): then no YAML
 * parser is loaded, which saves a built charm about 10 ms in every hook.
 */
export function readCoordinatorFile(
  charmDir: string | null,
  preloaded?: unknown,
): { policy?: PolicyChoice; logLevel?: LogLevel } {
  if (!charmDir) return {};
  const path = join(charmDir, 'charmkit.yaml');
  let doc: unknown = preloaded;
  if (doc === undefined) {
    if (!existsSync(path)) return {};
    try {
      doc = parseYaml(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new CoordinatorConfigError(`${path} is not valid YAML`, { cause });
    }
  }
  const section = (doc as { coordinator?: unknown } | null)?.coordinator;
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object') throw new CoordinatorConfigError(`${path}: coordinator must be a mapping`);
  const options = section as Record<string, unknown>;
  const out: { policy?: PolicyChoice; logLevel?: LogLevel } = {};
  const policy = options.policy ?? options.class;
  if (policy !== undefined) {
    if (policy === 'serial' || policy === 'simple') out.policy = policy;
    else if (policy === 'max-concurrent') {
      const max = options['max-concurrent'];
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
        throw new CoordinatorConfigError(
          `${path}: coordinator.max-concurrent must be a whole number >= 1, got ${JSON.stringify(max)}`,
        );
      }
      out.policy = { maxConcurrent: max };
    } else {
      throw new CoordinatorConfigError(
        `${path}: coordinator.policy is ${JSON.stringify(policy)}; expected serial, simple or max-concurrent`,
      );
    }
  }
  const level = options['log-level'] ?? options.log_level;
  if (level !== undefined) {
    const mapped = typeof level === 'string' ? LEVELS[level.toLowerCase()] : undefined;
    if (!mapped) {
      throw new CoordinatorConfigError(
        `${path}: coordinator.log-level is ${JSON.stringify(level)}; expected debug, info, warning, error or critical`,
      );
    }
    out.logLevel = mapped;
  }
  return out;
}
