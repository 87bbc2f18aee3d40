import { CharmkitError } from '../charmkit-error.js';
import { NonDeferrableEvent } from '../event-base.js';
import type { Handle } from '../handle.js';

/** Action results that Juju cannot take (bad keys, reserved keys, duplicates after flattening). */
export class ActionResultsError extends CharmkitError {
  readonly code = 'CHARMKIT_ACTION_RESULTS';
}

const KEY_PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED = new Set(['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding']);

/** A results value: nested objects become dotted keys; other values are turned into strings. */
export type ActionResultValue = string | number | boolean | { readonly [key: string]: ActionResultValue };

/**
 * Flattens `{a: {b: 1}}` to `{'a.b': '1'}`, the form `action-set` takes, checking every key part
 * against Juju's rule (lowercase alphanumerics and hyphens, starting and ending alphanumeric).
 */
export function flattenActionResults(
  results: Readonly<Record<string, ActionResultValue>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: ActionResultValue, path: string[]): void => {
    if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (!KEY_PART.test(key)) {
          throw new ActionResultsError(
            `action result key ${JSON.stringify([...path, key].join('.'))}: ${JSON.stringify(key)} must be lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
          );
        }
        walk(inner, [...path, key]);
      }
      return;
    }
    const key = path.join('.');
    if (path.length === 1 && RESERVED.has(key)) {
      throw new ActionResultsError(`action result key ${JSON.stringify(key)} is reserved by Juju`);
    }
    if (key in out) throw new ActionResultsError(`action result key ${JSON.stringify(key)} is given twice`);
    out[key] = String(value);
  };
  walk(results, []);
  return out;
}

/**
 * An action run on this unit (`actions/<name>`). `params` holds the parameters; report with
 * `setResults`, `log` and `fail`. Actions run once and cannot be deferred.
 */
export class ActionEvent extends NonDeferrableEvent {
  /** The action's id (`JUJU_ACTION_UUID`). */
  readonly id: string;
  /** The parameters, as given (validated against actions.yaml by the model). */
  readonly params: Readonly<Record<string, unknown>>;

  constructor(handle: Handle, id: string, params: Readonly<Record<string, unknown>>) {
    super(handle);
    this.id = id;
    this.params = params;
  }

  /** Reports results (`action-set`); nested objects become dotted keys. */
  setResults(results: Readonly<Record<string, ActionResultValue>>): void {
    const flat = flattenActionResults(results);
    if (Object.keys(flat).length) this.framework.model.backend.actionSet(flat);
  }

  /** Sends a progress message to the operator (`action-log`). */
  log(message: string): void {
    this.framework.model.backend.actionLog(message);
  }

  /** Marks the action failed (`action-fail`); the handler keeps running. */
  fail(message = ''): void {
    this.framework.model.backend.actionFail(message);
  }
}
