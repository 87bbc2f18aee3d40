import {
  type CheckDefinition,
  type Layer,
  type LogTargetDefinition,
  PebbleAPIError,
  type Plan,
  type ServiceDefinition,
} from '@charmkit/ops/pebble';
import { parse as parseYaml } from 'yaml';
import { deepCopy } from './deep-copy.js';

/** One layer of a {@link MemoryPebble}'s plan, as Pebble keeps it. */
export interface LabelledLayer {
  readonly label: string;
  readonly layer: Layer;
}

/** A layer or plan that Pebble refuses: its 400 answer to `POST /v1/layers`, with Pebble's message. */
function formatError(message: string): PebbleAPIError {
  return new PebbleAPIError(message, { statusCode: 400, status: 'Bad Request', request: 'POST /v1/layers' });
}

type Section = 'services' | 'checks' | 'logTargets';
const SECTIONS: readonly Section[] = ['services', 'checks', 'logTargets'];
const SECTION_NOUN: Record<Section, string> = {
  services: 'service',
  checks: 'check',
  logTargets: 'log target',
};

const clone = deepCopy;

// Pebble's `Merge` methods: set scalars win, lists append, maps merge key by key.
function mergeService(base: ServiceDefinition, over: ServiceDefinition): ServiceDefinition {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || value === '') continue;
    if (key === 'after' || key === 'before' || key === 'requires') {
      out[key] = [...((base[key] as string[] | undefined) ?? []), ...(value as string[])];
    } else if (key === 'environment' || key === 'onCheckFailure') {
      out[key] = { ...(base[key] as object | undefined), ...(value as object) };
    } else out[key] = value;
  }
  return out as ServiceDefinition;
}

function mergeCheck(base: CheckDefinition, over: CheckDefinition): CheckDefinition {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || value === '' || (key === 'threshold' && value === 0)) continue;
    if (key === 'http' || key === 'tcp' || key === 'exec') {
      const merged: Record<string, unknown> = { ...(base[key] as object | undefined) };
      for (const [k, v] of Object.entries(value as object)) {
        if (v === undefined || v === '' || v === 0) continue;
        merged[k] =
          k === 'headers' || k === 'environment' ? { ...(merged[k] as object | undefined), ...v } : v;
      }
      out[key] = merged;
    } else out[key] = value;
  }
  return out as CheckDefinition;
}

function mergeLogTarget(base: LogTargetDefinition, over: LogTargetDefinition): LogTargetDefinition {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || value === '') continue;
    if (key === 'services') out[key] = [...(base.services ?? []), ...(value as string[])];
    else if (key === 'labels') out[key] = { ...base.labels, ...(value as object) };
    else out[key] = value;
  }
  return out as LogTargetDefinition;
}

const MERGE: Record<Section, (base: never, over: never) => unknown> = {
  services: mergeService,
  checks: mergeCheck,
  logTargets: mergeLogTarget,
};

/**
 * Pebble's `CombineLayers`: later layers win; each entry must say `override: merge` (fields
 * combine) or `replace` (the entry replaces the earlier one). Summary and description are the
 * last layer's.
 */
export function combineLayers(layers: readonly LabelledLayer[]): Layer {
  const combined: Record<Section, Record<string, unknown>> = { services: {}, checks: {}, logTargets: {} };
  let last: Layer = {};
  for (const { label, layer } of layers) {
    last = layer;
    for (const section of SECTIONS) {
      for (const [name, entry] of Object.entries(layer[section] ?? {})) {
        const override = (entry as { override?: string }).override;
        const old = combined[section][name];
        if (override === 'merge' && old !== undefined) {
          combined[section][name] = MERGE[section](old as never, clone(entry) as never);
        } else if (override === 'merge' || override === 'replace') {
          combined[section][name] = clone(entry);
        } else if (override === undefined || override === '') {
          throw formatError(
            `layer ${JSON.stringify(label)} must define "override" for ${SECTION_NOUN[section]} ${JSON.stringify(name)}`,
          );
        } else {
          throw formatError(
            `layer ${JSON.stringify(label)} has invalid "override" value for ${SECTION_NOUN[section]} ${JSON.stringify(name)}`,
          );
        }
      }
    }
  }
  const out: Layer = {
    services: combined.services as Record<string, ServiceDefinition>,
    checks: combined.checks as Record<string, CheckDefinition>,
    logTargets: combined.logTargets as Record<string, LogTargetDefinition>,
  };
  if (last.summary !== undefined) out.summary = last.summary;
  if (last.description !== undefined) out.description = last.description;
  return out;
}

/** The plan of `layers`, checked as Pebble's `Plan.Validate` does. */
export function planOf(layers: readonly LabelledLayer[]): Plan {
  const combined = combineLayers(layers);
  const plan: Plan = {
    services: combined.services ?? {},
    checks: combined.checks ?? {},
    logTargets: combined.logTargets ?? {},
  };
  validatePlan(plan);
  return plan;
}

function validatePlan(plan: Plan): void {
  for (const [name, service] of Object.entries(plan.services)) {
    if (!service.command) throw formatError(`plan must define "command" for service ${JSON.stringify(name)}`);
    for (const dependency of service.requires ?? []) {
      if (!(dependency in plan.services))
        throw formatError(
          `plan service ${JSON.stringify(name)} requires missing service ${JSON.stringify(dependency)}`,
        );
    }
  }
  for (const [name, check] of Object.entries(plan.checks)) {
    const kinds = [check.http, check.tcp, check.exec].filter((k) => k !== undefined).length;
    if (check.http && !check.http.url)
      throw formatError(`plan must set "url" for http check ${JSON.stringify(name)}`);
    if (check.tcp && !check.tcp.port)
      throw formatError(`plan must set "port" for tcp check ${JSON.stringify(name)}`);
    if (check.exec && !check.exec.command)
      throw formatError(`plan must set "command" for exec check ${JSON.stringify(name)}`);
    if (kinds !== 1)
      throw formatError(
        `plan must specify one of "http", "tcp", or "exec" for check ${JSON.stringify(name)}`,
      );
  }
  for (const [name, target] of Object.entries(plan.logTargets)) {
    if (!target.type)
      throw formatError(
        `plan must define "type" ("loki", "opentelemetry" or "syslog") for log target ${JSON.stringify(name)}`,
      );
    for (const service of target.services ?? []) {
      const bare = service.replace(/^-/, '');
      if (bare !== 'all' && !(bare in plan.services))
        throw formatError(
          `log target ${JSON.stringify(name)} specifies unknown service ${JSON.stringify(bare)}`,
        );
    }
    if (!target.location)
      throw formatError(`plan must define "location" for log target ${JSON.stringify(name)}`);
  }
}

// Maps whose keys are user data (environment variable names, check names, label names).
const USER_MAPS = new Set(['environment', 'headers', 'labels', 'on-check-failure']);
const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function camelKeys(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Depth 1 keys are entry names (a service called `my-app`): kept as they are.
    const name = depth === 1 ? key : camel(key);
    out[name] = USER_MAPS.has(key) ? item : camelKeys(item, depth + 1);
  }
  return out;
}

/** A layer given as Pebble YAML, in the client's camelCase shape. */
export function layerFromYaml(text: string): Layer {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw formatError(`cannot parse layer YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw formatError('cannot parse layer YAML: not a mapping');
  return camelKeys(parsed, 0) as Layer;
}
