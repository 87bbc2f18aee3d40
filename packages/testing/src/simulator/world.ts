import { type CharmMeta, type ConfigValue, parseJujuVersion } from '@charmkit/ops';
import { SimulatorError } from './errors.js';
import { type HookKind, makeHook, type QueuedHook } from './hook-queue.js';
import { RelationRecord } from './relation-record.js';
import { SimSecretStore } from './secret-store.js';
import type { SimContainers } from './sim-containers.js';
import type { SimStorage } from './sim-storage.js';
import { type StatusValue, UnitRecord } from './unit-record.js';

/** A remote application related to the simulated one. Its units run no hooks: their data is scripted. */
export interface RemoteAppSpec {
  /** The remote application's name, e.g. `postgresql`. */
  readonly app: string;
  /** The local endpoint (from metadata `requires`/`provides`). */
  readonly endpoint: string;
  /** The remote endpoint name (default: the local one). */
  readonly remoteEndpoint?: string;
  /** How many remote units (default 1), named `<app>/0`…. */
  readonly units?: number;
  /** The remote application databag. */
  readonly appData?: Readonly<Record<string, string>>;
  /** Remote unit databags by unit name (`<app>/0`); every remote unit also gets its addresses. */
  readonly unitData?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The `JUJU_VERSION` a simulation runs under unless told: Juju 4, the current line. */
export const DEFAULT_SIMULATED_JUJU_VERSION = '4.0.0';

/** The `JUJU_VERSION` each line the simulator models stands for when given as `3.6` or `4`. */
const JUJU_LINES: Readonly<Record<string, string>> = {
  '3.6': '3.6.8',
  '3': '3.6.8',
  '4': '4.0.0',
  '4.0': '4.0.0',
};

/**
 * The `JUJU_VERSION` a simulation runs under, from what a user wrote: a line (`3.6`, `4`) or a
 * full version (`3.6.12`, `4.0.1`). Only 3.6 and 4.x are modelled.
 * @throws {SimulatorError} any other version.
 */
export function resolveJujuVersion(given: string | undefined): string {
  if (given === undefined || given === '') return DEFAULT_SIMULATED_JUJU_VERSION;
  const text = given.trim();
  const line = JUJU_LINES[text];
  if (line) return line;
  const version = parseJujuVersion(text);
  if (/^\d+\.\d+\.\d+$/.test(text) && ((version.major === 3 && version.minor === 6) || version.major === 4))
    return text;
  throw new SimulatorError(
    `Juju ${JSON.stringify(given)} is not simulated: give 3.6 or 4 (or a full 3.6.x / 4.x.y version)`,
  );
}

/** How the controller picks a new leader when it has to (the simulator passes its seeded choice). */
export type LeaderChooser = (candidates: readonly UnitRecord[]) => UnitRecord | undefined;

/** Called for every change of topology, leadership or config, for the trace. */
export type WorldEventListener = (description: string) => void;

/**
 * What a world tells the other side of a regular relation when that side is another simulated
 * application (`ModelSimulator`): its units entering and leaving scope, and its committed writes.
 */
export interface WorldRelationLink {
  /** A local unit entered the relation's scope; `bag` is its databag (addresses included). */
  entered(relation: RelationRecord, unit: string, bag: Readonly<Record<string, string>>): void;
  /** A local unit left the relation's scope (it is dying). */
  left(relation: RelationRecord, unit: string): void;
  /** A local unit's or the local app's databag changed; `''` values are deletions. */
  wrote(
    relation: RelationRecord,
    member: string,
    isApp: boolean,
    changes: Readonly<Record<string, string>>,
  ): void;
}

/**
 * The simulated controller: one application's units, its relations and their databags, leader,
 * leader settings, config and statuses, and Juju's rules for which hooks a change queues on which
 * unit (juju-contract §4). It never runs hooks; the simulator does, one at a time.
 */
export class World {
  readonly units = new Map<string, UnitRecord>();
  readonly relations = new Map<number, RelationRecord>();
  /** The leader, or null while there is none. */
  leader: string | null = null;
  /** Config values set by the operator (defaults come from metadata). */
  readonly configValues = new Map<string, ConfigValue>();
  leaderSettings: Record<string, string> = {};
  appStatus: StatusValue = { status: 'unknown', message: '' };
  workloadVersion = '';
  /** The trace index of the hook running now (for log lines). */
  hookIndex = -1;
  #secrets: SimSecretStore | null = null;
  #nextUnit = 0;
  #nextRelation = 0;
  /** Told about regular relations' scope changes and writes (set by `ModelSimulator`). */
  link: WorldRelationLink | null = null;
  /** Allocates relation ids when they are model-wide (set by `ModelSimulator`); else per world. */
  relationIdSource: (() => number) | null = null;
  /** The second octet of the local units' addresses (each application of a model has its own). */
  network = 1;
  /** The application's storage instances (set by `Simulator`, which knows where they live). */
  storage: SimStorage | null = null;
  /** The application's workload containers (set by `Simulator`; none for a machine charm). */
  containers: SimContainers | null = null;

  constructor(
    readonly meta: CharmMeta,
    readonly app: string,
    readonly modelName: string,
    readonly modelUuid: string,
    private readonly chooseLeader: LeaderChooser,
    private readonly onEvent: WorldEventListener,
    /** `JUJU_VERSION` of the simulated controller; it decides the Juju 4 differences below. */
    readonly jujuVersion: string = DEFAULT_SIMULATED_JUJU_VERSION,
  ) {}

  /**
   * True from Juju 4: no leader settings (no `leader-get`/`leader-set`, no
   * `leader-settings-changed`) and no `private-address` in relation data.
   */
  get juju4(): boolean {
    return parseJujuVersion(this.jujuVersion).major >= 4;
  }

  /** The model's secrets: shared with other applications' worlds when the simulator is given a store. */
  get secrets(): SimSecretStore {
    this.#secrets ??= new SimSecretStore({ modelUuid: this.modelUuid });
    return this.#secrets;
  }

  set secrets(store: SimSecretStore) {
    this.#secrets = store;
  }

  // Reading

  /** Alive units (not dying, not removed), by index. */
  aliveUnits(): UnitRecord[] {
    return [...this.units.values()].filter((u) => u.life === 'alive').sort((a, b) => a.index - b.index);
  }

  /** Units not yet removed (alive or dying), by index. */
  presentUnits(): UnitRecord[] {
    return [...this.units.values()].filter((u) => u.life !== 'removed').sort((a, b) => a.index - b.index);
  }

  /** The unit called `name`; throws when there is none. */
  unit(name: string): UnitRecord {
    const unit = this.units.get(name);
    if (!unit)
      throw new SimulatorError(
        `no unit ${JSON.stringify(name)} (units: ${[...this.units.keys()].join(', ')})`,
      );
    return unit;
  }

  /** The relation `id`; throws when there is none. */
  relation(id: number): RelationRecord {
    const relation = this.relations.get(id);
    if (!relation) throw new SimulatorError(`no relation ${id}`);
    return relation;
  }

  /** The relations on `endpoint`, by id. */
  relationsOn(endpoint: string): RelationRecord[] {
    return [...this.relations.values()].filter((r) => r.endpoint === endpoint).sort((a, b) => a.id - b.id);
  }

  /** Config as `config-get` reports it: set values, else non-null defaults. */
  effectiveConfig(): Record<string, ConfigValue> {
    const out: Record<string, ConfigValue> = {};
    for (const [name, option] of this.meta.config) {
      const value = this.configValues.get(name) ?? option.default;
      if (value !== null) out[name] = value;
    }
    for (const [name, value] of this.configValues) if (!this.meta.config.has(name)) out[name] = value;
    return out;
  }

  /** Config as `config-get --all` reports it: unset options without default are null. */
  allConfig(): Record<string, ConfigValue | null> {
    const out: Record<string, ConfigValue | null> = {};
    for (const name of this.meta.config.keys()) out[name] = null;
    return { ...out, ...this.effectiveConfig() };
  }

  /** The fake address of a unit (local or remote); stable per unit. */
  address(unitName: string): string {
    const [app = '', index = '0'] = unitName.split('/');
    const n = Number(index);
    const net = app === this.app ? this.network : 2;
    return `10.${net}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  // Topology

  /** Adds a unit and queues its deploy sequence. */
  addUnit(): UnitRecord {
    const index = this.#nextUnit++;
    const unit = new UnitRecord(`${this.app}/${index}`, index);
    this.units.set(unit.name, unit);
    if (this.leader === null) this.leader = unit.name;
    // Deploy order (juju-contract §4): install → relation-created for existing relations (peers
    // included) → leader-elected or leader-settings-changed → config-changed → start. Juju 4 has
    // no leader settings: a non-leader gets neither.
    // Storage present at deploy is attached before install (juju-contract §4).
    for (const hook of this.storage?.provision(unit.name) ?? []) unit.queue.push(hook);
    unit.queue.push(makeHook('install'));
    for (const relation of [...this.relations.values()].sort((a, b) => a.id - b.id)) {
      if (!relation.dying) unit.queue.push(this.#hook('relation-created', relation));
    }
    if (this.leader === unit.name) unit.queue.push(makeHook('leader-elected'));
    else if (!this.juju4) unit.queue.push(makeHook('leader-settings-changed'));
    unit.queue.push(makeHook('config-changed'));
    unit.queue.push(makeHook('start'));
    // On Kubernetes each container's pebble-ready follows once its Pebble is up; Juju does not
    // order it against start, the simulator runs it after (the order charms usually see).
    for (const hook of this.containers?.provision(unit) ?? []) unit.queue.push(hook);
    this.onEvent(`add-unit ${unit.name}${this.leader === unit.name ? ' (leader)' : ''}`);
    return unit;
  }

  /** Adds a relation: a peer relation (remote = own app) or one to a scripted remote application. */
  addRelation(endpoint: string, remote?: RemoteAppSpec, id?: number): RelationRecord {
    const meta = this.meta.relations.get(endpoint);
    if (!meta) throw new SimulatorError(`no relation endpoint ${JSON.stringify(endpoint)} in metadata`);
    const isPeer = meta.role === 'peers';
    if (!isPeer && !remote) throw new SimulatorError(`relation ${endpoint} needs a remote application`);
    const remoteApp = isPeer ? this.app : (remote as RemoteAppSpec).app;
    const relation = new RelationRecord(
      id ?? this.relationIdSource?.() ?? this.#nextRelation++,
      endpoint,
      isPeer,
      this.app,
      remoteApp,
      remote?.remoteEndpoint ?? endpoint,
      meta.role,
    );
    this.relations.set(relation.id, relation);
    if (remote) {
      const count = remote.units ?? 1;
      for (let i = 0; i < count; i++) {
        const name = `${remote.app}/${i}`;
        relation.remoteUnits.push(name);
        relation.scope.add(name);
        relation.unitData.set(name, { ...this.#addresses(name), ...(remote.unitData?.[name] ?? {}) });
      }
      if (remote.appData && Object.keys(remote.appData).length > 0) {
        relation.appData.set(remote.app, { ...remote.appData });
      }
    }
    // Every alive unit learns of it with relation-created, after whatever it has pending (a unit
    // still deploying enters the scope once both its start and this hook have run).
    for (const unit of this.aliveUnits()) unit.queue.push(this.#hook('relation-created', relation));
    this.onEvent(`add-relation ${endpoint}:${relation.id} (${relation.key})`);
    return relation;
  }

  /**
   * Starts removing a unit: departed on the others and on itself for each peer it saw, broken for
   * each relation, then stop and remove. A unit that never installed just disappears.
   */
  removeUnit(name: string): void {
    const unit = this.unit(name);
    if (unit.life !== 'alive') throw new SimulatorError(`${name} is already ${unit.life}`);
    this.onEvent(`remove-unit ${name}`);
    if (!unit.installed && (unit.queue.head()?.failures ?? 0) === 0) {
      unit.queue.drop(() => true);
      this.storage?.release(name);
      this.#markRemoved(unit);
      return;
    }
    unit.life = 'dying';
    const keepChanged = (hook: QueuedHook): boolean =>
      hook.kind === 'relation-changed' &&
      hook.relationId !== null &&
      hook.remoteUnit !== null &&
      hook.remoteUnit !== '' &&
      (this.relations.get(hook.relationId)?.seenBy(name).has(hook.remoteUnit) ?? false);
    // A dying unit runs only its teardown; a -changed it owes for a unit it already joined stays,
    // because Juju guarantees -changed after -joined before any -departed.
    unit.queue.drop((hook) => !keepChanged(hook));
    for (const relation of [...this.relations.values()].sort((a, b) => a.id - b.id)) {
      if (relation.scope.has(name)) this.#leaveScope(unit, relation);
      if (unit.created.has(relation.id) && !unit.broken.has(relation.id)) {
        unit.queue.push(this.#hook('relation-broken', relation));
      }
    }
    // Teardown: departed, broken, then each storage detaching, then stop and remove.
    for (const hook of this.storage?.detachAll(name) ?? []) unit.queue.push(hook);
    unit.queue.push(makeHook('stop'));
    unit.queue.push(makeHook('remove'));
  }

  /** Removes a relation: departed for every seen unit, then broken, on every local unit. */
  removeRelation(id: number): void {
    const relation = this.relation(id);
    if (relation.dying) throw new SimulatorError(`relation ${id} is already being removed`);
    relation.dying = true;
    this.onEvent(`remove-relation ${relation.endpoint}:${id}`);
    for (const unit of this.presentUnits()) {
      unit.queue.drop(
        (hook) =>
          hook.relationId === id &&
          hook.kind !== 'relation-departed' &&
          hook.kind !== 'relation-broken' &&
          !(hook.kind === 'relation-changed' && relation.seenBy(unit.name).has(hook.remoteUnit ?? '')),
      );
      for (const seen of [...relation.seenBy(unit.name)].sort()) {
        unit.queue.push(this.#hook('relation-departed', relation, seen));
      }
      relation.scope.delete(unit.name);
      if (unit.created.has(id) && !unit.broken.has(id))
        unit.queue.push(this.#hook('relation-broken', relation));
    }
  }

  /** Makes `name` the leader; it gets leader-elected (nobody gets a deposed hook). */
  setLeader(name: string): void {
    const unit = this.unit(name);
    if (unit.life === 'removed') throw new SimulatorError(`${name} is removed and cannot lead`);
    const previous = this.leader;
    this.leader = name;
    // Juju runs leader-elected only on the unit that leads when it runs: a unit that lost the
    // lease before its pending leader-elected ran sees leader-settings-changed instead (on Juju 4,
    // which has no leader settings, nothing).
    if (previous !== null && previous !== name) {
      const queue = this.units.get(previous)?.queue;
      if (this.juju4) queue?.drop((hook) => hook.kind === 'leader-elected');
      else queue?.replace('leader-elected', makeHook('leader-settings-changed'));
    }
    unit.queue.push(makeHook('leader-elected'));
    this.onEvent(`leader-change ${previous ?? '(none)'} -> ${name}`);
  }

  /** Changes config (`null` resets an option to its default); config-changed on every unit if it changed. */
  setConfig(values: Readonly<Record<string, ConfigValue | null>>): boolean {
    const before = JSON.stringify(this.effectiveConfig());
    for (const [key, value] of Object.entries(values)) {
      if (value === null) this.configValues.delete(key);
      else this.configValues.set(key, value);
    }
    const changed = JSON.stringify(this.effectiveConfig()) !== before;
    this.onEvent(`config ${JSON.stringify(values)}${changed ? '' : ' (no change)'}`);
    if (changed) for (const unit of this.aliveUnits()) unit.queue.push(makeHook('config-changed'));
    return changed;
  }

  /**
   * A unit of the remote application enters the relation's scope (it runs hooks in another
   * simulated application): the local units in scope get joined + changed for it.
   */
  addRemoteUnit(relation: RelationRecord, name: string, bag: Readonly<Record<string, string>>): void {
    if (relation.dying || relation.scope.has(name)) return;
    relation.remoteUnits.push(name);
    relation.scope.add(name);
    relation.unitData.set(name, { ...(relation.unitData.get(name) ?? {}), ...bag });
    for (const unit of this.aliveUnits()) {
      if (!relation.scope.has(unit.name)) continue;
      unit.queue.push(this.#hook('relation-joined', relation, name));
      this.#queueChanged(unit, relation, name);
    }
  }

  /** A remote unit leaves the relation's scope: departed on the local units that saw it. */
  removeRemoteUnit(relation: RelationRecord, name: string): void {
    if (!relation.scope.has(name)) return;
    relation.scope.delete(name);
    relation.remoteUnits.splice(relation.remoteUnits.indexOf(name), 1);
    if (relation.dying) return;
    for (const unit of this.presentUnits()) {
      if (relation.seenBy(unit.name).has(name)) {
        unit.queue.push(this.#hook('relation-departed', relation, name, name));
      } else {
        unit.queue.drop((hook) => hook.relationId === relation.id && hook.remoteUnit === name);
      }
    }
  }

  // Publishing (immediate writes and commits of successful hooks)

  /** `leader-set`: immediate; leader-settings-changed on every other unit if anything changed. */
  setLeaderSettings(writer: string, changes: Readonly<Record<string, string>>): void {
    const next = applyChanges(this.leaderSettings, changes);
    if (sameBag(next, this.leaderSettings)) return;
    this.leaderSettings = next;
    for (const unit of this.aliveUnits()) {
      if (unit.name !== writer) unit.queue.push(makeHook('leader-settings-changed'));
    }
  }

  /** Commits a unit databag write; -changed on every other local unit that has joined the writer. */
  publishUnitData(relation: RelationRecord, writer: string, changes: Readonly<Record<string, string>>): void {
    const current = relation.unitData.get(writer) ?? {};
    const next = applyChanges(current, changes);
    if (sameBag(next, current) && relation.unitData.has(writer)) return;
    relation.unitData.set(writer, next);
    if (sameBag(next, current)) return;
    if (!relation.isPeer && this.units.has(writer)) this.link?.wrote(relation, writer, false, changes);
    for (const unit of this.aliveUnits()) {
      if (unit.name !== writer && relation.seenBy(unit.name).has(writer)) {
        this.#queueChanged(unit, relation, writer);
      }
    }
  }

  /**
   * Commits an application databag write. For a peer relation the other units in scope get
   * -changed with no remote unit; the writer (the leader) does not (juju-contract §2, relation-set).
   */
  publishAppData(
    relation: RelationRecord,
    app: string,
    changes: Readonly<Record<string, string>>,
    writer: string | null,
  ): void {
    const current = relation.appData.get(app) ?? {};
    const next = applyChanges(current, changes);
    if (sameBag(next, current)) return;
    relation.appData.set(app, next);
    if (!relation.isPeer && app === this.app) this.link?.wrote(relation, app, true, changes);
    const notifyLocal = app === relation.remoteApp;
    if (!notifyLocal) return;
    for (const unit of this.aliveUnits()) {
      if (unit.name !== writer && relation.scope.has(unit.name)) this.#queueChanged(unit, relation, '');
    }
  }

  // Hook life cycle

  /** Bookkeeping as a hook starts: relation membership changes when joined/departed start. */
  beforeHook(unit: UnitRecord, hook: QueuedHook): void {
    if (hook.kind === 'pebble-ready' && hook.workload) this.containers?.answer(unit, hook.workload.container);
    if (hook.failures > 0) this.containers?.answerAll(unit);
    const relation = hook.relationId === null ? undefined : this.relations.get(hook.relationId);
    if (!relation) return;
    if (hook.kind === 'relation-joined' && hook.remoteUnit) relation.seenBy(unit.name).add(hook.remoteUnit);
    if (hook.kind === 'relation-departed' && hook.remoteUnit)
      relation.seenBy(unit.name).delete(hook.remoteUnit);
    if (hook.kind === 'relation-broken') unit.broken.add(relation.id);
  }

  /** Bookkeeping after a hook succeeded (its buffered writes are already committed). */
  afterSuccess(unit: UnitRecord, hook: QueuedHook): void {
    unit.agentError = null;
    const kind: HookKind = hook.kind;
    if (kind === 'install') unit.installed = true;
    if (kind === 'start') {
      unit.started = true;
      if (!unit.statusSet) unit.workloadStatus = { status: 'unknown', message: '' };
      for (const id of [...unit.created].sort((a, b) => a - b)) {
        const relation = this.relations.get(id);
        if (relation && !relation.dying && !unit.broken.has(id) && unit.life === 'alive')
          this.#enterScope(unit, relation);
      }
    }
    if (kind === 'relation-created' && hook.relationId !== null) {
      unit.created.add(hook.relationId);
      const relation = this.relations.get(hook.relationId);
      if (relation && unit.started && !relation.dying && unit.life === 'alive')
        this.#enterScope(unit, relation);
    }
    if (kind === 'storage-detaching' && hook.storageId) this.storage?.detached(unit.name, hook.storageId);
    if (kind === 'remove') this.#markRemoved(unit);
  }

  /** Bookkeeping after a hook failed: the unit shows the error until the retry succeeds. */
  afterFailure(unit: UnitRecord, hook: QueuedHook): void {
    hook.failures++;
    unit.agentError = `hook failed: "${hook.name}"`;
  }

  // Internals

  #hook(kind: HookKind, relation: RelationRecord, remoteUnit?: string, departingUnit?: string): QueuedHook {
    return makeHook(kind, {
      endpoint: relation.endpoint,
      relationId: relation.id,
      remoteApp: relation.remoteApp,
      ...(remoteUnit === undefined ? {} : { remoteUnit }),
      ...(departingUnit === undefined ? {} : { departingUnit }),
    });
  }

  #queueChanged(unit: UnitRecord, relation: RelationRecord, remoteUnit: string): void {
    if (relation.dying || unit.life !== 'alive') return;
    unit.queue.push(this.#hook('relation-changed', relation, remoteUnit));
  }

  #addresses(unitName: string): Record<string, string> {
    const address = this.address(unitName);
    const addresses = { 'egress-subnets': `${address}/32`, 'ingress-address': address };
    // Juju 4 no longer maintains private-address in relation data.
    return this.juju4 ? addresses : { ...addresses, 'private-address': address };
  }

  /**
   * A unit enters a relation's scope (after start, or after relation-created once started): Juju
   * writes its addresses into its databag, the units already in scope get joined + changed for it,
   * and it gets joined + changed for each of them (and an app -changed if the remote app has data).
   */
  #enterScope(unit: UnitRecord, relation: RelationRecord): void {
    if (relation.scope.has(unit.name)) return;
    relation.scope.add(unit.name);
    relation.unitData.set(unit.name, {
      ...(relation.unitData.get(unit.name) ?? {}),
      ...this.#addresses(unit.name),
    });
    if (!relation.isPeer) this.link?.entered(relation, unit.name, relation.bag(unit.name, false));
    // The other side: the other units of the app in a peer relation, the remote units otherwise
    // (units of one application never see each other through a regular relation).
    const others = [...relation.scope]
      .filter((n) => n !== unit.name && (relation.isPeer || relation.remoteUnits.includes(n)))
      .sort(compareUnitNames);
    for (const other of others) {
      const otherUnit = this.units.get(other);
      if (otherUnit && otherUnit.life === 'alive') {
        otherUnit.queue.push(this.#hook('relation-joined', relation, unit.name));
        this.#queueChanged(otherUnit, relation, unit.name);
      }
    }
    for (const other of others) {
      const otherUnit = this.units.get(other);
      if (otherUnit && otherUnit.life !== 'alive') continue;
      unit.queue.push(this.#hook('relation-joined', relation, other));
      this.#queueChanged(unit, relation, other);
    }
    // The remote app's data, if any, arrives as an app -changed; for a peer relation the leader
    // wrote it (or will see it anyway) and, as with its own writes, is not told.
    const peerLeader = relation.isPeer && this.leader === unit.name;
    if (!peerLeader && Object.keys(relation.appData.get(relation.remoteApp) ?? {}).length > 0) {
      this.#queueChanged(unit, relation, '');
    }
  }

  /** A dying unit leaves a relation's scope: departed on both sides for every unit that saw the other. */
  #leaveScope(unit: UnitRecord, relation: RelationRecord): void {
    relation.scope.delete(unit.name);
    if (!relation.isPeer) this.link?.left(relation, unit.name);
    for (const other of this.presentUnits()) {
      if (other.name === unit.name) continue;
      if (relation.seenBy(other.name).has(unit.name)) {
        other.queue.push(this.#hook('relation-departed', relation, unit.name, unit.name));
      } else {
        // It never joined there: its pending joined/changed are moot.
        other.queue.drop((hook) => hook.relationId === relation.id && hook.remoteUnit === unit.name);
      }
    }
    for (const seen of [...relation.seenBy(unit.name)].sort(compareUnitNames)) {
      unit.queue.push(this.#hook('relation-departed', relation, seen, unit.name));
    }
  }

  #markRemoved(unit: UnitRecord): void {
    unit.life = 'removed';
    for (const relation of this.relations.values()) relation.scope.delete(unit.name);
    if (this.leader === unit.name) {
      this.leader = null;
      const next = this.chooseLeader(this.aliveUnits());
      if (next) this.setLeader(next.name);
    }
  }
}

/** `app/2` before `app/10`. */
export function compareUnitNames(a: string, b: string): number {
  const [appA = '', nA = '0'] = a.split('/');
  const [appB = '', nB = '0'] = b.split('/');
  return appA === appB ? Number(nA) - Number(nB) : appA < appB ? -1 : 1;
}

/** `bag` with `changes` applied (`''` deletes). */
export function applyChanges(
  bag: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string>>,
): Record<string, string> {
  const next = { ...bag };
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

function sameBag(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
