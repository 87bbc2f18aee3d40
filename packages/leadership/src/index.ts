/**
 * Leader settings with a schema, the leadership layer's flags (`leadership.is_leader`,
 * `leadership.set.<key>`, `leadership.changed.<key>`) and typed change events, for ops-style and
 * reactive charms.
 *
 * @module @charmkit/leadership
 */
export {
  LeaderSettingsUnavailableError,
  LeaderSettingsValidationError,
  type LeadershipErrorCode,
  NotLeaderForSettingsError,
} from './errors.js';
export {
  LeaderSettings,
  type LeaderSettingsOptions,
  type SettingsKey,
  type SettingsSchema,
} from './leader-settings.js';
export { LeadershipChangedEvent, LeadershipEvents, LeadershipSettledEvent } from './leadership-events.js';
export {
  LeaderSetStore,
  type LeaderSetTools,
  PeerAppDataStore,
  type SettingsStore,
} from './settings-store.js';
