import { CharmkitError } from '@charmkit/ops';

/** A test's input state contradicts the charm's metadata or itself. */
export class InconsistentStateError extends CharmkitError {
  readonly code = 'CHARMKIT_INCONSISTENT_STATE';
}

/** The charm threw while a Context ran it; `cause` is what it threw. */
export class UncaughtCharmError extends CharmkitError {
  readonly code = 'CHARMKIT_UNCAUGHT_CHARM_ERROR';
}

/** `runAction()` ran an action that called `fail()`. */
export class ActionFailedError extends CharmkitError {
  readonly code = 'CHARMKIT_ACTION_FAILED';
}
