import { CharmkitError } from './charmkit-error.js';
import type { OpsErrorCode } from './error-codes.js';

/**
 * Ends the hook early and successfully, like ops' `_Abort(0)`. Thrown by `loadConfig` (after it
 * set blocked status) and `ActionEvent.loadParams` (after `action-fail`); the dispatch rolls back
 * everything the hook did (stored state, buffered relation data, secrets, ports, status) except
 * that status or action failure, runs nothing more — no further handlers, no collect-status, which
 * would replace the blocked status — and exits 0, so Juju does not retry a hook only the operator
 * can fix.
 *
 * @remedy Nothing to fix: it is how the hook ends. Let it propagate; a handler that catches it
 * keeps running after the hook was meant to end. To handle bad config or params yourself, pass
 * `onInvalid: 'throw'` and catch `ConfigError` or `ActionParamsError` instead.
 */
export class HookAbort extends CharmkitError {
  readonly code = 'CHARMKIT_HOOK_ABORTED' satisfies OpsErrorCode;
}
