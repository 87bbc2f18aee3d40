import { CharmkitError } from '@charmkit/ops';

/** Every `code` an error thrown by `@charmkit/reactive` carries (stable; match on it). */
export type ReactiveErrorCode =
  | 'CHARMKIT_REACTIVE_FLAG_NAME'
  | 'CHARMKIT_REACTIVE_READ_ONLY_FLAG'
  | 'CHARMKIT_REACTIVE_HANDLER_DEFINITION'
  | 'CHARMKIT_REACTIVE_CYCLE'
  | 'CHARMKIT_REACTIVE_TRIGGER_LOOP'
  | 'CHARMKIT_REACTIVE_EXTERNAL_HANDLER';

/**
 * A flag name that cannot be stored or passed to a handler in another language: empty, with
 * whitespace or commas, or starting with `!`.
 *
 * @remedy Use text without whitespace or commas, dotted by convention (`db.available`); a leading
 * `!` negates a flag in conditions only.
 */
export class FlagNameError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_FLAG_NAME' satisfies ReactiveErrorCode;
}

/**
 * `set()`/`clear()` of a flag that a {@link FlagProvider} owns (leadership, coordinator…).
 *
 * @remedy Change what the provider derives the flag from (become leader, take the lock), or use a
 * flag of your own; test the provider's flags in conditions only.
 */
export class ReadOnlyFlagError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_READ_ONLY_FLAG' satisfies ReactiveErrorCode;
}

/**
 * A handler, trigger or flag provider defined wrongly: conditions that are not flag names, a
 * handler that is not a function, a trigger without `when`/`whenNot` or without an effect, a hook
 * pattern with unbalanced braces or that gives no hook name, or a registration after the dispatch
 * loop started.
 *
 * @remedy Register in the charm's (or endpoint's) constructor and fix what the message names; hook
 * patterns expand to hook names (`{requires:pgsql}-relation-{joined,changed}`).
 */
export class HandlerDefinitionError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_HANDLER_DEFINITION' satisfies ReactiveErrorCode;
}

/**
 * Handlers kept changing each other's flags until the round cap: the message names the handlers
 * that would still have run and the flags that kept changing.
 *
 * @remedy Make the named handlers converge: a handler should clear the flag that triggers it, or
 * stop setting a flag another handler clears.
 */
export class ReactiveCycleError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_CYCLE' satisfies ReactiveErrorCode;

  constructor(
    message: string,
    /** Handlers that still matched when the cap was reached, in run order. */
    readonly handlers: readonly string[],
    /** Flags that changed in the last round. */
    readonly flags: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Triggers kept setting and clearing flags that fire other triggers, past the depth limit.
 *
 * @remedy Two triggers undo each other (the message names the last flag): remove one of them or
 * make one conditional.
 */
export class TriggerLoopError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_TRIGGER_LOOP' satisfies ReactiveErrorCode;
}

/**
 * An external handler (an executable under `reactive/`) failed, or broke the protocol.
 *
 * @remedy Run the handler by hand with `--test` and `--invoke <name>` in the charm directory: it
 * must exit 0 and, for `--test`, print the names of the functions to run, separated by commas.
 */
export class ExternalHandlerError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_EXTERNAL_HANDLER' satisfies ReactiveErrorCode;
}
