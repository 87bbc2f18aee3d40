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
}

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
export class ContextEvents {
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
  relationCreated(relation: AnyRelation): EventSpec {
    const remote = this.#remote(relation, null);
    return {
      ...hook(`${relation.endpoint}-relation-created`, relationEnv(relation, remote.app, null)),
      relation,
    };
  }
  /** `<endpoint>-relation-joined`; `remoteUnit` defaults to the only remote unit. */
  relationJoined(relation: AnyRelation, options: { remoteUnit?: number } = {}): EventSpec {
    const remote = this.#remote(relation, options.remoteUnit);
    return {
      ...hook(`${relation.endpoint}-relation-joined`, relationEnv(relation, remote.app, remote.unit)),
      relation,
    };
  }
  /** `<endpoint>-relation-changed`; `remoteUnit: null` means an app-data change. */
  relationChanged(relation: AnyRelation, options: { remoteUnit?: number | null } = {}): EventSpec {
    const remote = this.#remote(relation, options.remoteUnit);
    return {
      ...hook(`${relation.endpoint}-relation-changed`, relationEnv(relation, remote.app, remote.unit)),
      relation,
    };
  }
  /** `<endpoint>-relation-departed`; `departingUnit` is the unit leaving (default: the remote unit). */
  relationDeparted(
    relation: AnyRelation,
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
  relationBroken(relation: AnyRelation): EventSpec {
    const remote = this.#remote(relation, null);
    return {
      ...hook(`${relation.endpoint}-relation-broken`, relationEnv(relation, remote.app, null)),
      relation,
    };
  }
  /** `<container>-pebble-ready`. */
  pebbleReady(container: string): EventSpec {
    return hook(`${container}-pebble-ready`, { JUJU_WORKLOAD_NAME: container });
  }
  /** `<storage>-storage-attached`. */
  storageAttached(storage: string, index = 0, location = `/srv/${storage}/${index}`): EventSpec {
    return hook(`${storage}-storage-attached`, {
      JUJU_STORAGE_ID: `${storage}/${index}`,
      JUJU_STORAGE_LOCATION: location,
    });
  }
  /** `<storage>-storage-detaching`. */
  storageDetaching(storage: string, index = 0, location = `/srv/${storage}/${index}`): EventSpec {
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
  action(name: string, params: Readonly<Record<string, unknown>> = {}, id = '1'): EventSpec {
    return { dispatchPath: `actions/${name}`, env: { JUJU_ACTION_NAME: name, JUJU_ACTION_UUID: id }, params };
  }
}
