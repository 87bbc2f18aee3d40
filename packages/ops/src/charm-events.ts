import type { BoundEvent } from './bound-event.js';
import type { ActionNameOf, ActionParamsOf, CharmTypes, UntypedCharm } from './charm-types.js';
import { UnknownEndpointError } from './errors.js';
import type { EventArgs, EventBase } from './event-base.js';
import { ActionEvent } from './events/action-event.js';
import {
  CollectMetricsEvent,
  ConfigChangedEvent,
  InstallEvent,
  LeaderElectedEvent,
  LeaderSettingsChangedEvent,
  PostSeriesUpgradeEvent,
  PreSeriesUpgradeEvent,
  RemoveEvent,
  StartEvent,
  StopEvent,
  UpdateStatusEvent,
  UpgradeCharmEvent,
} from './events/hook-events.js';
import {
  RelationBrokenEvent,
  RelationChangedEvent,
  RelationCreatedEvent,
  RelationDepartedEvent,
  RelationJoinedEvent,
} from './events/relation-events.js';
import {
  SecretChangedEvent,
  SecretExpiredEvent,
  SecretRemoveEvent,
  SecretRotateEvent,
} from './events/secret-events.js';
import { StorageAttachedEvent, StorageDetachingEvent } from './events/storage-events.js';
import {
  PebbleCheckFailedEvent,
  PebbleCheckRecoveredEvent,
  PebbleCustomNoticeEvent,
  PebbleReadyEvent,
} from './events/workload-events.js';
import { CollectStatusEvent } from './lifecycle-events.js';
import { ObjectEvents } from './object-events.js';
import type { OpsObject } from './ops-object.js';

type Bound<C extends abstract new (...args: never[]) => unknown> = BoundEvent<
  InstanceType<C> & EventBase,
  EventArgs<C>
>;

/** The five events of one relation endpoint: `this.on.relation('db').changed`. */
export interface RelationEndpointEvents {
  readonly created: Bound<typeof RelationCreatedEvent>;
  readonly joined: Bound<typeof RelationJoinedEvent>;
  readonly changed: Bound<typeof RelationChangedEvent>;
  readonly departed: Bound<typeof RelationDepartedEvent>;
  readonly broken: Bound<typeof RelationBrokenEvent>;
}

/** The events of one storage: `this.on.storage('data').attached`. */
export interface StorageEndpointEvents {
  readonly attached: Bound<typeof StorageAttachedEvent>;
  readonly detaching: Bound<typeof StorageDetachingEvent>;
}

/** The events of one workload container: `this.on.container('redis').pebbleReady`. */
export interface ContainerEvents {
  readonly pebbleReady: Bound<typeof PebbleReadyEvent>;
  readonly pebbleCustomNotice: Bound<typeof PebbleCustomNoticeEvent>;
  readonly pebbleCheckFailed: Bound<typeof PebbleCheckFailedEvent>;
  readonly pebbleCheckRecovered: Bound<typeof PebbleCheckRecoveredEvent>;
}

/** `db-admin` → `db_admin`: metadata names become event-kind prefixes. */
export function kindPrefix(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * Every event Juju can send a charm. The fixed hooks are fields (`this.on.configChanged`); the
 * events of relations, storages, containers and actions come from the charm's metadata and are
 * reached by name (`this.on.relation('db').changed`), checked against metadata at startup.
 * Extend it to add custom events, and `override readonly on = new MyEvents(this)` in the charm.
 *
 * @typeParam T - The charm's {@link CharmTypes}: with the types `charmkit typegen` writes, only
 * declared names compile and action parameters are typed (`class MyEvents extends
 * CharmEvents<MyTypes>`). The default accepts any name.
 */
export class CharmEvents<T extends CharmTypes = UntypedCharm> extends ObjectEvents {
  readonly install = this.event('install', InstallEvent);
  readonly start = this.event('start', StartEvent);
  readonly stop = this.event('stop', StopEvent);
  readonly remove = this.event('remove', RemoveEvent);
  readonly configChanged = this.event('config_changed', ConfigChangedEvent);
  readonly updateStatus = this.event('update_status', UpdateStatusEvent);
  readonly upgradeCharm = this.event('upgrade_charm', UpgradeCharmEvent);
  readonly leaderElected = this.event('leader_elected', LeaderElectedEvent);
  readonly leaderSettingsChanged = this.event('leader_settings_changed', LeaderSettingsChangedEvent);
  readonly collectMetrics = this.event('collect_metrics', CollectMetricsEvent);
  readonly preSeriesUpgrade = this.event('pre_series_upgrade', PreSeriesUpgradeEvent);
  readonly postSeriesUpgrade = this.event('post_series_upgrade', PostSeriesUpgradeEvent);
  readonly secretChanged = this.event('secret_changed', SecretChangedEvent);
  readonly secretRotate = this.event('secret_rotate', SecretRotateEvent);
  readonly secretRemove = this.event('secret_remove', SecretRemoveEvent);
  readonly secretExpired = this.event('secret_expired', SecretExpiredEvent);
  /** Emitted on the leader after every dispatch's event: add the application's status. */
  readonly collectAppStatus = this.event('collect_app_status', CollectStatusEvent);
  /** Emitted after every dispatch's event: add the unit's status. */
  readonly collectUnitStatus = this.event('collect_unit_status', CollectStatusEvent);

  readonly #relations = new Map<string, RelationEndpointEvents>();
  readonly #storages = new Map<string, StorageEndpointEvents>();
  readonly #containers = new Map<string, ContainerEvents>();
  readonly #actions = new Map<string, Bound<typeof ActionEvent>>();

  constructor(charm: OpsObject) {
    super(charm);
    // Defined eagerly: a deferred relation event must find its class before any code asks for it.
    const meta = this.framework.meta;
    for (const name of meta.relations.keys()) {
      const p = kindPrefix(name);
      this.#relations.set(name, {
        created: this.defineEvent(`${p}_relation_created`, RelationCreatedEvent),
        joined: this.defineEvent(`${p}_relation_joined`, RelationJoinedEvent),
        changed: this.defineEvent(`${p}_relation_changed`, RelationChangedEvent),
        departed: this.defineEvent(`${p}_relation_departed`, RelationDepartedEvent),
        broken: this.defineEvent(`${p}_relation_broken`, RelationBrokenEvent),
      });
    }
    for (const name of meta.storages.keys()) {
      const p = kindPrefix(name);
      this.#storages.set(name, {
        attached: this.defineEvent(`${p}_storage_attached`, StorageAttachedEvent),
        detaching: this.defineEvent(`${p}_storage_detaching`, StorageDetachingEvent),
      });
    }
    for (const name of meta.containers.keys()) {
      const p = kindPrefix(name);
      this.#containers.set(name, {
        pebbleReady: this.defineEvent(`${p}_pebble_ready`, PebbleReadyEvent),
        pebbleCustomNotice: this.defineEvent(`${p}_pebble_custom_notice`, PebbleCustomNoticeEvent),
        pebbleCheckFailed: this.defineEvent(`${p}_pebble_check_failed`, PebbleCheckFailedEvent),
        pebbleCheckRecovered: this.defineEvent(`${p}_pebble_check_recovered`, PebbleCheckRecoveredEvent),
      });
    }
    for (const name of meta.actions.keys()) {
      this.#actions.set(name, this.defineEvent(`${kindPrefix(name)}_action`, ActionEvent));
    }
  }

  /** The events of relation endpoint `name`. */
  relation(name: T['relations']): RelationEndpointEvents {
    return this.#lookup(this.#relations, name, 'relation endpoint');
  }

  /** The events of storage `name`. */
  storage(name: T['storages']): StorageEndpointEvents {
    return this.#lookup(this.#storages, name, 'storage');
  }

  /** The events of workload container `name`. */
  container(name: T['containers']): ContainerEvents {
    return this.#lookup(this.#containers, name, 'container');
  }

  /** The event of action `name`; its `params` have the declared parameters' types. */
  action<N extends ActionNameOf<T>>(
    name: N,
  ): BoundEvent<ActionEvent<ActionParamsOf<T, N>>, EventArgs<typeof ActionEvent>> {
    // One ActionEvent class serves every action; the type argument only describes its params.
    return this.#lookup(this.#actions, name, 'action') as unknown as BoundEvent<
      ActionEvent<ActionParamsOf<T, N>>,
      EventArgs<typeof ActionEvent>
    >;
  }

  #lookup<T>(map: ReadonlyMap<string, T>, name: string, what: string): T {
    const found = map.get(name);
    if (!found) {
      const known = [...map.keys()];
      throw new UnknownEndpointError(
        `no ${what} ${JSON.stringify(name)} in the charm's metadata (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
    return found;
  }
}
