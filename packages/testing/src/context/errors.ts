import { CharmkitError } from '@charmkit/ops';
import type { TestingErrorCode } from '../error-codes.js';

/**
 * A test's input state contradicts the charm's metadata or itself.
 *
 * @remedy Make the test's `State` agree with the charm's metadata and with itself; the message
 * names the field.
 */
export class InconsistentStateError extends CharmkitError {
  readonly code = 'CHARMKIT_INCONSISTENT_STATE' satisfies TestingErrorCode;
}

/**
 * The charm threw while a Context ran it; `cause` is what it threw.
 *
 * @remedy The charm threw: read `cause` (its error and stack) and fix the charm, or the test's
 * `State` if the hook should not fail.
 */
export class UncaughtCharmError extends CharmkitError {
  readonly code = 'CHARMKIT_UNCAUGHT_CHARM_ERROR' satisfies TestingErrorCode;
}
