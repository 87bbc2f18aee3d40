import { CharmkitError } from '../charmkit-error.js';
import type { OpsErrorCode } from '../error-codes.js';

/**
 * `framework.breakpoint(name)` was given a name Juju's `debug-code --at` could never match.
 *
 * @remedy Use lowercase letters, digits and inner dashes (`db-migrate`); `all` and `hook` are
 * reserved.
 */
export class InvalidBreakpointNameError extends CharmkitError {
  readonly code = 'CHARMKIT_INVALID_BREAKPOINT_NAME' satisfies OpsErrorCode;
}

// The same rule as ops: lowercase letters, digits and inner dashes.
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** @internal Throws unless `name` can be a breakpoint name (`all` and `hook` are reserved). */
export function validateBreakpointName(name: unknown): void {
  if (typeof name !== 'string') {
    throw new InvalidBreakpointNameError(`breakpoint names must be strings, got ${typeof name}`);
  }
  if (name === 'all' || name === 'hook') {
    throw new InvalidBreakpointNameError(
      `breakpoint name ${JSON.stringify(name)} is reserved (JUJU_DEBUG_AT uses "all" and "hook" itself)`,
    );
  }
  if (!NAME.test(name)) {
    throw new InvalidBreakpointNameError(
      `breakpoint name ${JSON.stringify(name)} must be lowercase letters, digits and inner dashes, like "foo" or "foo-bar"`,
    );
  }
}
