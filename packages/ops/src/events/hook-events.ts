import { EventBase } from '../event-base.js';

/**
 * The base of events Juju starts a dispatch for. Each concrete class carries a private brand, so
 * a handler written for one hook does not type-check against another with the same shape.
 */
export class HookEvent extends EventBase {}

/** `install`: the first hook of a unit. */
export class InstallEvent extends HookEvent {
  declare protected readonly brandInstall: undefined;
}
/** `start`: after install/config-changed, and after every reboot. */
export class StartEvent extends HookEvent {
  declare protected readonly brandStart: undefined;
}
/** `stop`: the unit is being torn down. Cannot be deferred. */
export class StopEvent extends HookEvent {
  declare protected readonly brandStop: undefined;
  override get deferrable(): boolean {
    return false;
  }
}
/** `remove`: the last hook of a unit. Cannot be deferred. */
export class RemoveEvent extends HookEvent {
  declare protected readonly brandRemove: undefined;
  override get deferrable(): boolean {
    return false;
  }
}
/** `config-changed`: after install, upgrades, agent restarts and every config change. */
export class ConfigChangedEvent extends HookEvent {
  declare protected readonly brandConfigChanged: undefined;
}
/** `update-status`: every few minutes (model config `update-status-hook-interval`). */
export class UpdateStatusEvent extends HookEvent {
  declare protected readonly brandUpdateStatus: undefined;
}
/** `upgrade-charm`: a new charm revision was unpacked. */
export class UpgradeCharmEvent extends HookEvent {
  declare protected readonly brandUpgradeCharm: undefined;
}
/** `leader-elected`: this unit became the leader. */
export class LeaderElectedEvent extends HookEvent {
  declare protected readonly brandLeaderElected: undefined;
}
/** `leader-settings-changed`: the leader wrote `leader-set` data (non-leaders only). */
export class LeaderSettingsChangedEvent extends HookEvent {
  declare protected readonly brandLeaderSettingsChanged: undefined;
}
/** `collect-metrics` (removed in Juju 3.6.11; kept so old deployments still dispatch). */
export class CollectMetricsEvent extends HookEvent {
  declare protected readonly brandCollectMetrics: undefined;
}
/** `pre-series-upgrade` (machine charms; gone in Juju 4). */
export class PreSeriesUpgradeEvent extends HookEvent {
  declare protected readonly brandPreSeriesUpgrade: undefined;
}
/** `post-series-upgrade` (machine charms; gone in Juju 4). */
export class PostSeriesUpgradeEvent extends HookEvent {
  declare protected readonly brandPostSeriesUpgrade: undefined;
}
