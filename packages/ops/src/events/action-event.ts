import { NonDeferrableEvent } from '../event-base.js';
import type { Handle } from '../handle.js';
import { HookAbort } from '../hook-abort.js';
import { type ActionResults, flattenActionResults } from '../hook-tools/action.js';
import type { StandardSchema } from '../internal/standard-schema.js';
import { loadIntoSchema } from '../load-schema.js';
import { ActionParamsError } from '../model/model-errors.js';

/** Options of {@link ActionEvent.loadParams}. */
export interface LoadParamsOptions {
  /**
   * What to do when the params do not fit the schema: `'fail'` (default) fails the action and
   * ends the hook successfully; `'throw'` throws {@link ActionParamsError} for the charm to handle.
   */
  readonly onInvalid?: 'fail' | 'throw';
}

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

  /**
   * The parameters loaded into `schema` (any Standard Schema: zod 4 or `zod/mini`, valibot…), with
   * Juju's kebab-case names as camelCase fields (`target-dir` → `targetDir`, as ops turns `-` into
   * `_`). The params were already checked against actions.yaml; this adds the charm's own rules.
   *
   * If they do not fit, by default the **action** fails (`action-fail` with
   * `invalid parameters: target-dir: must have at least 2 characters`, naming each parameter and
   * what was expected, never its value) and the hook ends at once, successfully: a
   * {@link HookAbort} is thrown — let it propagate — the hook's other changes are rolled back
   * and nothing else runs. This is ops' `load_params(errors='fail')`.
   *
   * @throws {ActionParamsError} with `onInvalid: 'throw'`, when the params do not fit.
   * @throws {AsyncSchemaError} when the schema validates asynchronously.
   */
  loadParams<Output>(schema: StandardSchema<unknown, Output>, options: LoadParamsOptions = {}): Output {
    const loaded = loadIntoSchema(
      schema,
      this.params as Readonly<Record<string, unknown>>,
      'action parameters',
    );
    if ('value' in loaded) return loaded.value;
    const message = `invalid parameters: ${loaded.problems.join('; ')}`;
    const action = this.framework.model.context.actionName ?? this.handle.kind.replace(/_action$/, '');
    if (options.onInvalid === 'throw') throw new ActionParamsError(action, loaded.first, message);
    this.fail(message);
    throw new HookAbort(`action ${action} failed: ${message}`);
  }

  /** Marks the action failed (`action-fail`); the handler keeps running. */
  fail(message = ''): void {
    this.framework.model.backend.actionFail(message);
  }
}
