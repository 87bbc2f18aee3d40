import { CharmkitError } from '@charmkit/ops';

/** Every `code` an error thrown by `@charmkit/coordinator` carries (stable; match on it). */
export type CoordinatorErrorCode =
  | 'CHARMKIT_COORDINATOR_CONFIG'
  | 'CHARMKIT_COORDINATOR_DATA'
  | 'CHARMKIT_RESTART';

/**
 * The coordinator's options (in code or in `charmkit.yaml`) are wrong, or it is used the wrong way:
 * an invalid lock name or policy, a lock call while the charm is being constructed, `hold()` of a
 * lock this unit does not hold.
 *
 * @remedy Fix the option or call the message names: lock names are lowercase letters, digits,
 * `.`, `_` or `-`; `acquire()`, `hold()` and `release()` are called from event handlers.
 */
export class CoordinatorConfigError extends CharmkitError {
  readonly code = 'CHARMKIT_COORDINATOR_CONFIG' satisfies CoordinatorErrorCode;
}

/**
 * Lock data in a databag is not what this coordinator writes: not JSON, or requests and grants of
 * the wrong shape.
 *
 * @remedy Something else writes the coordinator's keys in the peer relation: give the other
 * writer (or this coordinator) its own relation, and do not edit the keys by hand.
 */
export class CoordinatorDataError extends CharmkitError {
  readonly code = 'CHARMKIT_COORDINATOR_DATA' satisfies CoordinatorErrorCode;
}

/**
 * A restart command (`systemctl restart`) or Pebble call failed.
 *
 * @remedy The message has the command's exit code and stderr (or Pebble's error): fix the service.
 * The hook fails, so its lock changes roll back with it and Juju retries it: no other unit restarts
 * meanwhile, and the restart runs again (make restarts idempotent).
 */
export class RestartError extends CharmkitError {
  readonly code = 'CHARMKIT_RESTART' satisfies CoordinatorErrorCode;
}
