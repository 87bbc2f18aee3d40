import type { ConfigValue } from '@charmkit/ops';
import { type ContainerSnapshot, containersSnapshot } from './sim-containers.js';
import type { StatusValue, UnitLife } from './unit-record.js';
import { compareUnitNames, type World } from './world.js';

/** One unit in a {@link SimSnapshot}. */
export interface UnitSnapshot {
  readonly life: UnitLife;
  readonly leader: boolean;
  /** What `juju status` shows: `error` while a hook is failing, else the workload status. */
  readonly status: StatusValue;
  /** The status the charm last set (or Juju's default). */
  readonly workloadStatus: StatusValue;
  /** Server-side unit state (`state-set`). */
  readonly state: Readonly<Record<string, string>>;
  /** Opened ports (`80/tcp`, …). */
  readonly openedPorts: readonly string[];
  /** Names of the hooks waiting to run. */
  readonly pending: readonly string[];
  /** Attached storage instances by id (`data/0`): kind and location. */
  readonly storage: Readonly<Record<string, { readonly kind: string; readonly location: string }>>;
  /** Workload containers (Kubernetes charms) by name: service statuses, the plan's services, checks. */
  readonly containers: Readonly<Record<string, ContainerSnapshot>>;
}

/** One relation in a {@link SimSnapshot}. */
export interface RelationSnapshot {
  readonly id: number;
  readonly endpoint: string;
  readonly peer: boolean;
  readonly remoteApp: string;
  /** Application databags by app name. */
  readonly appData: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Unit databags of the units in scope now, by unit name. */
  readonly unitData: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The controller's state, as plain data for assertions. */
export interface SimSnapshot {
  readonly leader: string | null;
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly leaderSettings: Readonly<Record<string, string>>;
  readonly appStatus: StatusValue;
  readonly workloadVersion: string;
  /** Units not yet removed, by name. */
  readonly units: Readonly<Record<string, UnitSnapshot>>;
  readonly relations: readonly RelationSnapshot[];
}

/** Copies the controller state out of `world`. */
export function takeSnapshot(world: World): SimSnapshot {
  const units: Record<string, UnitSnapshot> = {};
  for (const unit of world.presentUnits()) {
    units[unit.name] = {
      life: unit.life,
      leader: world.leader === unit.name,
      status: { ...unit.displayStatus },
      workloadStatus: { ...unit.workloadStatus },
      state: Object.fromEntries(unit.state),
      openedPorts: [...unit.ports.keys()].sort(),
      pending: unit.queue.list().map((h) => (h.remoteUnit ? `${h.name}(${h.remoteUnit})` : h.name)),
      storage: Object.fromEntries(
        (world.storage?.instances(unit.name) ?? []).map((s) => [
          s.id,
          { kind: s.kind, location: s.location },
        ]),
      ),
      containers: containersSnapshot(unit),
    };
  }
  const relations = [...world.relations.values()]
    .sort((a, b) => a.id - b.id)
    .map((relation) => {
      const appData: Record<string, Record<string, string>> = {};
      for (const [app, bag] of [...relation.appData].sort(([a], [b]) => (a < b ? -1 : 1)))
        appData[app] = sorted(bag);
      const unitData: Record<string, Record<string, string>> = {};
      for (const name of [...relation.scope].sort(compareUnitNames))
        unitData[name] = sorted(relation.bag(name, false));
      return {
        id: relation.id,
        endpoint: relation.endpoint,
        peer: relation.isPeer,
        remoteApp: relation.remoteApp,
        appData,
        unitData,
      };
    });
  return {
    leader: world.leader,
    config: world.effectiveConfig(),
    leaderSettings: { ...world.leaderSettings },
    appStatus: { ...world.appStatus },
    workloadVersion: world.workloadVersion,
    units,
    relations,
  };
}

/** A copy with the keys in order, so printed snapshots are stable. */
function sorted(bag: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(bag).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
