import { NonDeferrableEvent } from '../event-base.js';
import type { Handle } from '../handle.js';
import { type ActionResults, flattenActionResults } from '../hook-tools/action.js';

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

  /**
   * Reports results (`action-set`). Nested objects become dotted keys; every key is checked
   * against Juju's rules before anything runs.
   */
  setResults(results: ActionResults): void {
    const flat = flattenActionResults(results);
    if (flat.length) this.framework.model.backend.actionSet(Object.fromEntries(flat));
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
