import { CharmkitError } from '@charmkit/ops';

/** Every `code` an error thrown by `@charmkit/leadership` carries (stable; match on it). */
export type LeadershipErrorCode =
  | 'CHARMKIT_LEADER_SETTINGS_UNAVAILABLE'
  | 'CHARMKIT_LEADER_SETTINGS_INVALID'
  | 'CHARMKIT_NOT_LEADER';

/**
 * Leader settings cannot be read or written yet: the peer relation does not exist (early hooks,
 * or no `peers:` in metadata), or the model's backend has no `leader-get`/`leader-set`.
 *
 * @remedy Declare a peer relation in metadata (or use `backend: 'leader-set'`), and in hooks that
 * run before the peer relation is created (`install`, the first `leader-elected`), defer the event
 * and set the settings in a later hook.
 */
export class LeaderSettingsUnavailableError extends CharmkitError {
  readonly code = 'CHARMKIT_LEADER_SETTINGS_UNAVAILABLE' satisfies LeadershipErrorCode;
}

/**
 * A value given to `set()` is not a string, or the settings it would produce do not match the
 * schema.
 *
 * @remedy Pass strings (or `null` to delete) that satisfy the schema given to `LeaderSettings`;
 * the message names the key and what was expected.
 */
export class LeaderSettingsValidationError extends CharmkitError {
  readonly code = 'CHARMKIT_LEADER_SETTINGS_INVALID' satisfies LeadershipErrorCode;
}

/**
 * `set()` on a unit that is not the leader. Same code as `@charmkit/ops`' `NotLeaderError`: the
 * same refusal, found before any hook tool runs.
 *
 * @remedy Call `set()` only when `this.unit.isLeader()`, typically from `leaderElected` or a
 * handler that checks leadership first.
 */
export class NotLeaderForSettingsError extends CharmkitError {
  readonly code = 'CHARMKIT_NOT_LEADER' satisfies LeadershipErrorCode;
}
