import {
  ActionParamsError,
  actionParamsSchema,
  CharmkitError,
  type CharmMeta,
  validateActionParams,
} from '@charmkit/ops';
import type { TestingErrorCode } from '../error-codes.js';
import { ToolFailure } from './errors.js';
import { makeHook, type QueuedHook } from './hook-queue.js';

/**
 * Juju refused to run an action: the charm does not define it, or its parameters do not match
 * actions.yaml (`juju run` fails before anything is queued).
 *
 * @remedy Use an action from actions.yaml and give parameters its schema accepts (on Juju 4 an
 * action that does not set `additionalProperties` refuses unknown parameters).
 */
export class ActionRejectedError extends CharmkitError {
  readonly code: TestingErrorCode = 'CHARMKIT_SIM_ACTION_REJECTED';
}

/** What {@link Simulator.runAction} reports, as `juju run` / `juju show-task` do. */
export interface SimActionResult {
  /** `completed`, or `failed` after `action-fail` or a non-zero exit. */
  readonly status: 'completed' | 'failed';
  /** What the charm set with `action-set` (dotted keys as nested maps). */
  readonly results: Record<string, unknown>;
  /** The `action-log` messages, in order. */
  readonly logs: readonly string[];
  /** The failure message ('' when it completed). */
  readonly message: string;
  /** The dispatch process's exit code as Juju reports it (0, or 1 for any failure). */
  readonly returnCode: number;
  /** The action's id (`JUJU_ACTION_UUID`). */
  readonly id: string;
}

/** Result keys Juju fills in itself. */
const RESERVED = new Set(['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding']);
const KEY_PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DEFAULT_FAILURE = 'action failed without reason given, check action for errors';

/**
 * One running action's side of the unit agent: its parameters for `action-get`, and what
 * `action-set`, `action-log` and `action-fail` record (juju-contract §2, Actions).
 */
export class SimActionRun {
  readonly results: Record<string, unknown> = {};
  readonly logs: string[] = [];
  failure: string | null = null;

  constructor(
    readonly name: string,
    readonly id: string,
    /** Validated parameters, defaults applied. */
    readonly params: Readonly<Record<string, unknown>>,
  ) {}

  /** `action-get [key.key…]`: every parameter, or one (dotted keys walk maps; missing → null). */
  get(key?: string): unknown {
    if (key === undefined || key === '') return structuredClone(this.params);
    let value: unknown = this.params;
    for (const part of key.split('.')) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      value = (value as Record<string, unknown>)[part];
      if (value === undefined) return null;
    }
    return structuredClone(value);
  }

  /** `action-set key.key=value …`: Juju's key rules; dotted keys build nested maps. */
  set(pairs: readonly (readonly [string, string])[]): void {
    for (const [key] of pairs) {
      for (const part of key.split('.')) {
        if (!KEY_PART.test(part)) {
          throw new ToolFailure(
            2,
            `key "${key}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
          );
        }
        if (RESERVED.has(part)) throw new ToolFailure(2, `cannot set reserved action key "${part}"`);
      }
    }
    for (const [key, value] of pairs) {
      const parts = key.split('.');
      let bag = this.results;
      for (const part of parts.slice(0, -1)) {
        const next = bag[part];
        if (next === null || typeof next !== 'object') bag[part] = {};
        bag = bag[part] as Record<string, unknown>;
      }
      bag[parts.at(-1) as string] = value;
    }
  }

  /** `action-log`: a progress message. */
  log(message: string): void {
    this.logs.push(message);
  }

  /** `action-fail [message]`: the action fails; the process keeps running. */
  fail(message: string): void {
    this.failure = message === '' ? DEFAULT_FAILURE : message;
  }

  /** The result once the dispatch process ended (`error`: why it failed, or null). */
  finish(error: string | null): SimActionResult {
    const failed = error !== null || this.failure !== null;
    return {
      status: failed ? 'failed' : 'completed',
      results: structuredClone(this.results),
      logs: [...this.logs],
      message: this.failure ?? (error === null ? '' : error),
      returnCode: error === null ? 0 : 1,
      id: this.id,
    };
  }
}

/**
 * Checks an action request as Juju does before queuing it, and builds its run: the action must be
 * in actions.yaml and its parameters must match the schema (unknown parameters allowed when the
 * action says `additionalProperties: true`, or does not say and the model runs Juju 3).
 * @throws {ActionRejectedError} an unknown action or bad parameters.
 */
export function prepareAction(
  meta: CharmMeta,
  unit: string,
  name: string,
  params: Readonly<Record<string, unknown>>,
  id: string,
  jujuVersion: string,
): { run: SimActionRun; hook: QueuedHook; env: Record<string, string> } {
  const action = meta.actions.get(name);
  if (!action) throw new ActionRejectedError(`action "${name}" not defined on unit "${unit}"`);
  let validated: Record<string, unknown>;
  try {
    validated = validateActionParams(action, params, actionParamsSchema(action, jujuVersion));
  } catch (error) {
    if (error instanceof ActionParamsError)
      throw new ActionRejectedError(`validation failed: ${error.message}`);
    throw error;
  }
  const hook: QueuedHook = { ...makeHook('action'), name: `${name}-action` };
  return {
    run: new SimActionRun(name, id, validated),
    hook,
    env: {
      JUJU_ACTION_NAME: name,
      JUJU_ACTION_UUID: id,
      JUJU_ACTION_TAG: `action-${id}`,
      JUJU_DISPATCH_PATH: `actions/${name}`,
    },
  };
}

/** `action-*` outside an action: Juju's error. */
export function notRunningAction(): never {
  throw new ToolFailure(1, 'not running an action');
}
