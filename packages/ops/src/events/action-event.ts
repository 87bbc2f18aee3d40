import { NonDeferrableEvent } from '../event-base.js';
import type { Handle } from '../handle.js';
import { type ActionResults, flattenActionResults } from '../hook-tools/action.js';

/**
 * An action run on this unit (`actions/<name>`). `params` holds the parameters; report with
 * `setResults`, `log` and `fail`. Actions run once and cannot be deferred.
 *
 * @typeParam P - The parameters' type: `this.on.action('backup')` of a charm with generated types
 * gives the parameters declared in actions.yaml; otherwise a record.
 */
export class ActionEvent<P extends object = Readonly<Record<string, unknown>>> extends NonDeferrableEvent {
  /** The action's id (`JUJU_ACTION_UUID`). */
  readonly id: string;
  /** The parameters, as given (validated against actions.yaml by the model, defaults applied). */
  readonly params: Readonly<P>;

  constructor(handle: Handle, id: string, params: Readonly<Record<string, unknown>>) {
    super(handle);
    this.id = id;
    // The model validated them against the same actions.yaml the types were generated from.
    this.params = params as Readonly<P>;
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
