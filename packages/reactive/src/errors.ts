import { CharmkitError } from '@charmkit/ops';

/** A flag name that cannot be stored or passed to a handler in another language. */
export class FlagNameError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_FLAG_NAME';
}

/** `set()`/`clear()` of a flag that a {@link FlagProvider} owns (leadership, coordinator…). */
export class ReadOnlyFlagError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_READ_ONLY_FLAG';
}

/** A handler or trigger registered wrongly: no conditions, no name, a duplicate name, a bad pattern. */
export class HandlerDefinitionError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_HANDLER_DEFINITION';
}

/**
 * Handlers kept changing each other's flags until the round cap: the message names the handlers
 * that would still have run and the flags that kept changing.
 */
export class ReactiveCycleError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_CYCLE';

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

/** Triggers kept setting and clearing flags that fire other triggers, past the depth limit. */
export class TriggerLoopError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_TRIGGER_LOOP';
}

/** An external handler (an executable under `reactive/`) failed, or broke the protocol. */
export class ExternalHandlerError extends CharmkitError {
  readonly code = 'CHARMKIT_REACTIVE_EXTERNAL_HANDLER';
}
