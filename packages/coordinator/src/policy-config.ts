import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '@charmkit/ops';
import { parse } from 'yaml';
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
 * Options given in code win over the file.
 */
export function readCoordinatorFile(charmDir: string | null): { policy?: PolicyChoice; logLevel?: LogLevel } {
  if (!charmDir) return {};
  const path = join(charmDir, 'charmkit.yaml');
  if (!existsSync(path)) return {};
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CoordinatorConfigError(`${path} is not valid YAML`, { cause });
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
