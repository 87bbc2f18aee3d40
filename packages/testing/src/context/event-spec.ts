import type { ActionNameOf, ActionParamsOf, CharmTypes, UntypedCharm } from '@charmkit/ops';
import type { CheckInfo, Notice } from '@charmkit/ops/pebble';
import type { Container } from './container.js';
import type { AnyRelation } from './state.js';

/** One event for `ctx.run()`: the hook (or action) and the environment Juju would give it. */
export interface EventSpec {
  /** `hooks/<name>` or `actions/<name>`. */
  readonly dispatchPath: string;
  /** Extra `JUJU_*` variables of this hook. */
  readonly env: Readonly<Record<string, string>>;
  /** The relation the hook is about, if any. */
  readonly relation?: AnyRelation;
  /** Action parameters, for actions. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The container a workload (Pebble) event is about. */
  readonly container?: string;
  /** The notice id of a `pebble-custom-notice`, the check name of a check event. */
  readonly notice?: string;
  readonly check?: string;
}

/**
 * The hook `ctx.on.collectUnitStatus()` runs: no charm observes it, so the dispatch runs only what
 * every hook runs (deferred events, then collect-status), as ops' Scenario does for its
 * collect-status events.
 */
export const COLLECT_STATUS_HOOK = 'hooks/charmkit-collect-status';

/** A relation whose endpoint is one of `R`. */
export type RelationOf<R extends string> = AnyRelation & { readonly endpoint: R };

const hook = (name: string, env: Record<string, string> = {}): EventSpec => ({
  dispatchPath: `hooks/${name}`,
  env,
});

function relationEnv(
  relation: AnyRelation,
  remoteApp: string,
  remoteUnit: string | null,
): Record<string, string> {
  return {
    JUJU_RELATION: relation.endpoint,
    JUJU_RELATION_ID: `${relation.endpoint}:${relation.id}`,
    JUJU_REMOTE_APP: remoteApp,
    JUJU_REMOTE_UNIT: remoteUnit ?? '',
  };
}

/**
 * Builds the events `ctx.run()` takes: `ctx.on.configChanged()`,
 * `ctx.on.relationChanged(relation, { remoteUnit: 1 })`, `ctx.on.action('backup', { to: 's3' })`.
 * `appName` is the charm's own application (peer relations' remote app).
 */
export class ContextEvents<T extends CharmTypes = UntypedCharm> {
  constructor(private readonly appName: string) {}

  install(): EventSpec {
    return hook('install');
  }
  start(): EventSpec {
    return hook('start');
  }
  stop(): EventSpec {
    return hook('stop');
  }
  remove(): EventSpec {
    return hook('remove');
  }
  configChanged(): EventSpec {
    return hook('config-changed');
  }
  updateStatus(): EventSpec {
    return hook('update-status');
  }
  upgradeCharm(): EventSpec {
    return hook('upgrade-charm');
  }
  leaderElected(): EventSpec {
    return hook('leader-elected');
  }
  leaderSettingsChanged(): EventSpec {
    return hook('leader-settings-changed');
  }

  #remote(relation: AnyRelation, unit: number | null | undefined): { app: string; unit: string | null } {
    const app = relation.kind === 'peer' ? this.appName : relation.remoteAppName;
    if (unit === null) return { app, unit: null };
    const numbers = Object.keys(relation.kind === 'peer' ? relation.peersData : relation.remoteUnitsData);
    const pick = unit ?? (numbers.length === 1 ? Number(numbers[0]) : null);
    return { app, unit: pick === null ? null : `${app}/${pick}` };
  }

  /** `<endpoint>-relation-created` (no remote unit yet). */
  relationCreated(relation: RelationOf<T['relations']>): EventSpec {
    const remote = this.#remote(relation, null);
    return {
      ...hook(`${relation.endpoint}-relation-created`, relationEnv(relation, remote.app, null)),
      relation,
    };
  }
  /** `<endpoint>-relation-joined`; `remoteUnit` defaults to the only remote unit. */
  relationJoined(relation: RelationOf<T['relations']>, options: { remoteUnit?: number } = {}): EventSpec {
    const remote = this.#remote(relation, options.remoteUnit);
    return {
      ...hook(`${relation.endpoint}-relation-joined`, relationEnv(relation, remote.app, remote.unit)),
      relation,
    };
  }
  /** `<endpoint>-relation-changed`; `remoteUnit: null` means an app-data change. */
  relationChanged(
    relation: RelationOf<T['relations']>,
    options: { remoteUnit?: number | null } = {},
  ): EventSpec {
    const remote = this.#remote(relation, options.remoteUnit);
    return {
      ...hook(`${relation.endpoint}-relation-changed`, relationEnv(relation, remote.app, remote.unit)),
      relation,
    };
  }
  /** `<endpoint>-relation-departed`; `departingUnit` is the unit leaving (default: the remote unit). */
  relationDeparted(
    relation: RelationOf<T['relations']>,
    options: { remoteUnit?: number; departingUnit?: string } = {},
  ): EventSpec {
    const remote = this.#remote(relation, options.remoteUnit);
    const env = relationEnv(relation, remote.app, remote.unit);
    const departing = options.departingUnit ?? remote.unit;
    return {
      ...hook(
        `${relation.endpoint}-relation-departed`,
        departing ? { ...env, JUJU_DEPARTING_UNIT: departing } : env,
      ),
      relation,
    };
  }
  /** `<endpoint>-relation-broken`. */
  relationBroken(relation: RelationOf<T['relations']>): EventSpec {
    const remote = this.#remote(relation, null);
    return {
      ...hook(`${relation.endpoint}-relation-broken`, relationEnv(relation, remote.app, null)),
      relation,
    };
  }
  /** `<container>-pebble-ready`: the container's Pebble is up (the State must have the container). */
  pebbleReady(container: Container<T['containers']> | T['containers']): EventSpec {
    const name = typeof container === 'string' ? container : container.name;
    return { ...hook(`${name}-pebble-ready`, { JUJU_WORKLOAD_NAME: name }), container: name };
  }
  /**
   * `<container>-pebble-custom-notice` for one of the container's notices (give the notice, e.g.
   * `container.getNotice('example.com/reload')`, or its key).
   */
  pebbleCustomNotice(container: Container<T['containers']>, notice: Notice | string): EventSpec {
    const found = typeof notice === 'string' ? container.getNotice(notice) : notice;
    if (found === undefined)
      throw new RangeError(
        `container ${container.name} has no custom notice with key ${JSON.stringify(notice)}`,
      );
    return {
      ...hook(`${container.name}-pebble-custom-notice`, {
        JUJU_WORKLOAD_NAME: container.name,
        JUJU_NOTICE_ID: found.id,
        JUJU_NOTICE_TYPE: found.type,
        JUJU_NOTICE_KEY: found.key,
      }),
      container: container.name,
      notice: found.id,
    };
  }
  /** `<container>-pebble-check-failed` for a check of the container (its info or its name). */
  pebbleCheckFailed(container: Container<T['containers']>, check: CheckInfo | string): EventSpec {
    return this.#check('failed', container, check);
  }
  /** `<container>-pebble-check-recovered`. */
  pebbleCheckRecovered(container: Container<T['containers']>, check: CheckInfo | string): EventSpec {
    return this.#check('recovered', container, check);
  }
  #check(what: 'failed' | 'recovered', container: Container, check: CheckInfo | string): EventSpec {
    const name = typeof check === 'string' ? check : check.name;
    return {
      ...hook(`${container.name}-pebble-check-${what}`, {
        JUJU_WORKLOAD_NAME: container.name,
        JUJU_PEBBLE_CHECK_NAME: name,
      }),
      container: container.name,
      check: name,
    };
  }
  /**
   * Runs collect-status alone: no hook event, just what ends every hook (deferred events are
   * re-emitted first, as in any dispatch). The unit's collect-status runs, and the app's on the
   * leader, as after any hook.
   */
  collectUnitStatus(): EventSpec {
    return { dispatchPath: COLLECT_STATUS_HOOK, env: {} };
  }
  /** Same as {@link collectUnitStatus}: the app's collect-status runs on the leader. */
  collectAppStatus(): EventSpec {
    return { dispatchPath: COLLECT_STATUS_HOOK, env: {} };
  }
  /** `<storage>-storage-attached`. */
  storageAttached(storage: T['storages'], index = 0, location = `/srv/${storage}/${index}`): EventSpec {
    return hook(`${storage}-storage-attached`, {
      JUJU_STORAGE_ID: `${storage}/${index}`,
      JUJU_STORAGE_LOCATION: location,
    });
  }
  /** `<storage>-storage-detaching`. */
  storageDetaching(storage: T['storages'], index = 0, location = `/srv/${storage}/${index}`): EventSpec {
    return hook(`${storage}-storage-detaching`, {
      JUJU_STORAGE_ID: `${storage}/${index}`,
      JUJU_STORAGE_LOCATION: location,
    });
  }
  /** `secret-changed`. */
  secretChanged(id: string, label?: string): EventSpec {
    return hook('secret-changed', { JUJU_SECRET_ID: id, JUJU_SECRET_LABEL: label ?? '' });
  }
  /** An action, with its parameters. */
  action<N extends ActionNameOf<T>>(
    name: N,
    params: ActionParamsOf<T, N> = {} as ActionParamsOf<T, N>,
    id = '1',
  ): EventSpec {
    return {
      dispatchPath: `actions/${name}`,
      env: { JUJU_ACTION_NAME: name, JUJU_ACTION_UUID: id },
      params: params as Readonly<Record<string, unknown>>,
    };
  }
}
