import { CharmkitError } from '@charmkit/ops';

/** Leader settings cannot be read or written yet (the peer relation does not exist). */
export class LeaderSettingsUnavailableError extends CharmkitError {
  readonly code = 'CHARMKIT_LEADER_SETTINGS_UNAVAILABLE';
}

/** A value given to `set()` does not match the settings' schema. */
export class LeaderSettingsValidationError extends CharmkitError {
  readonly code = 'CHARMKIT_LEADER_SETTINGS_INVALID';
}

/** `set()` on a unit that is not the leader. */
export class NotLeaderForSettingsError extends CharmkitError {
  readonly code = 'CHARMKIT_NOT_LEADER';
}
