import type { ConfigValue, GoalState, NetworkInfo } from '@charmkit/ops';
import { ToolFailure } from './errors.js';
import type { QueuedHook } from './hook-queue.js';
import type { RelationRecord } from './relation-record.js';
import { SecretSession } from './secret-session.js';
import type { SimActionRun } from './sim-actions.js';
import type { OpenedPortEntry, StatusValue, UnitRecord } from './unit-record.js';
import { applyChanges, compareUnitNames, type World } from './world.js';

/** A fault planned for one hook run. */
export interface HookFault {
  /** `fail`: the tool call answers an error (the hook then fails); `kill`: SIGKILL the hook process. */
  readonly kind: 'fail' | 'kill';
  /** `0`: before the hook starts; `n`: at the n-th tool call; a tool name: at its first call. */
  readonly atCall: number | string;
  /** Where the fault came from, for the trace (`random`, `schedule`, `manual`). */
  readonly origin: string;
}

/** One hook-tool call made by a hook, as the trace shows it. */
export interface ToolCallRecord {
  readonly tool: string;
  readonly args: readonly string[];
  /** 0 on success, 1 or 2 as Juju's tools exit; -1 when the hook was killed during the call. */
  exitCode: number;
}

/** The statuses `status-set` accepts, in Juju's order (it prints them in this order in errors). */
const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'] as const;

/** Thrown by {@link HookSession.call} when a `kill` fault fires: the caller must not answer. */
export class HookKilledSignal extends Error {
  override readonly name = 'HookKilledSignal';
}

/**
 * One hook run's view of the controller: what the unit agent keeps per hook context. Reads see the
 * committed state plus this hook's own buffered writes; relation, unit-state and port writes are
 * buffered and published by {@link HookSession.commit} only when the hook succeeds; leader-set,
 * status-set, application-version-set and juju-log act at once (juju-contract §2–§3).
 *
 * Every operation throws {@link ToolFailure} with Juju's text and exit code where the real tool
 * fails. Both the socket tool server (process mode) and the in-process backend call these methods,
 * so the two modes share one set of semantics.
 */
export class HookSession {
  /** The tool calls made so far. */
  readonly calls: ToolCallRecord[] = [];
  /** True once the planned fault fired. */
  faultFired = false;
  /** Set by the process runner: kills the hook process (for `kill` faults). */
  onKill: (() => void) | null = null;
  /** The action this run is (set by `Simulator.runAction`), or null for a hook. */
  action: SimActionRun | null = null;
  /** This run's secret operations (owner writes buffered until {@link commit}). */
  readonly secrets: SecretSession;

  readonly #bags = new Map<
    string,
    { relation: RelationRecord; isApp: boolean; changes: Record<string, string> }
  >();
  readonly #state = new Map<string, string | null>();
  readonly #portOps: { open: boolean; entry: OpenedPortEntry }[] = [];
  readonly #storageAdds: { name: string; count: number }[] = [];
  readonly #config: Record<string, ConfigValue>;
  #minion = false;
  #closed = false;

  constructor(
    readonly world: World,
    readonly unit: UnitRecord,
    readonly hook: QueuedHook,
    /** `JUJU_CONTEXT_ID`. */
    readonly contextId: string,
    /** The fault to inject into this run, if any. */
    readonly fault: HookFault | null,
  ) {
    // Juju caches config for the hook: a change lands as a later config-changed.
    this.#config = world.effectiveConfig();
    this.secrets = new SecretSession(world.secrets, {
      unit: unit.name,
      app: world.app,
      isLeader: () => this.isLeader(),
      relation: (id) => this.findRelation(id),
    });
  }

  /** True once the hook ended (a late tool call from a stray process is refused). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Records a tool call and fires the planned fault when this is the call it names.
   * @throws {ToolFailure} an injected `fail` fault.
   * @throws {HookKilledSignal} an injected `kill` fault (after calling {@link onKill}).
   */
  call(tool: string, args: readonly string[]): ToolCallRecord {
    const record: ToolCallRecord = { tool, args: [...args], exitCode: 0 };
    this.calls.push(record);
    const fault = this.fault;
    if (fault && !this.faultFired && (fault.atCall === this.calls.length || fault.atCall === tool)) {
      this.faultFired = true;
      if (fault.kind === 'kill' && this.onKill) {
        record.exitCode = -1;
        this.onKill();
        throw new HookKilledSignal(`killed at ${tool}`);
      }
      record.exitCode = 1;
      throw new ToolFailure(1, `injected fault (${fault.origin}): ${tool} failed on purpose`);
    }
    return record;
  }

  // Leadership

  /** `is-leader`. A false answer sticks for the rest of the hook, as Juju caches it. */
  isLeader(): boolean {
    if (this.#minion) return false;
    const leader = this.world.leader === this.unit.name;
    if (!leader) this.#minion = true;
    return leader;
  }

  /** `leader-get`. */
  leaderGet(): Record<string, string> {
    return { ...this.world.leaderSettings };
  }

  /** `leader-set`: immediate, leader only; `''` deletes. */
  leaderSet(changes: Readonly<Record<string, string>>): void {
    if (!this.isLeader()) {
      throw new ToolFailure(1, 'cannot write leadership settings: cannot write settings: not the leader');
    }
    this.world.setLeaderSettings(this.unit.name, changes);
  }

  // Relations

  /** The relation of this relation hook, if it is one. */
  hookRelation(): RelationRecord | undefined {
    return this.hook.relationId === null ? undefined : this.world.relations.get(this.hook.relationId);
  }

  /** A relation this hook may name with `-r`, or undefined (`relation not found`). */
  findRelation(id: number): RelationRecord | undefined {
    const relation = this.world.relations.get(id);
    if (!relation) return undefined;
    if (id === this.hook.relationId) return relation;
    return this.unit.created.has(id) && !this.unit.broken.has(id) ? relation : undefined;
  }

  /** `relation-ids <endpoint>`: live relations this unit knows, by id. */
  relationIds(endpoint: string): number[] {
    return this.world
      .relationsOn(endpoint)
      .filter(
        (r) => !this.unit.broken.has(r.id) && (this.unit.created.has(r.id) || r.id === this.hook.relationId),
      )
      .map((r) => r.id);
  }

  /** `relation-list`: the remote units this unit sees. */
  relationList(relation: RelationRecord): string[] {
    return [...relation.seenBy(this.unit.name)].sort(compareUnitNames);
  }

  /**
   * `relation-get`: one databag, with Juju's target selection and read rules. `target` is the
   * explicit unit or app argument, or null for the hook's remote unit/app.
   */
  relationGet(relation: RelationRecord, target: string | null, app: boolean): Record<string, string> {
    let isApp = app;
    let member: string;
    if (target !== null) {
      if (target.includes('/')) {
        if (!/^[a-z][a-z0-9-]*\/\d+$/.test(target)) throw new ToolFailure(2, `invalid unit name "${target}"`);
        member = isApp ? (target.split('/')[0] as string) : target;
      } else if (isApp) {
        member = target;
      } else if (/^[a-z][a-z0-9-]*$/.test(target)) {
        throw new ToolFailure(2, `expected unit name, got application name "${target}"`);
      } else {
        throw new ToolFailure(2, `invalid unit name "${target}"`);
      }
    } else if (isApp) {
      member = this.hook.remoteApp ?? '';
      if (member === '') throw new ToolFailure(2, 'no unit or application specified');
    } else if (this.hook.remoteUnit) {
      member = this.hook.remoteUnit;
    } else if (this.hook.remoteApp) {
      member = this.hook.remoteApp;
      isApp = true;
    } else {
      throw new ToolFailure(2, 'no unit or application specified');
    }
    const own = isApp ? this.world.app : this.unit.name;
    if (member === own) {
      if (isApp && !(this.world.leader === this.unit.name)) {
        if (!relation.isPeer) throw new ToolFailure(1, 'permission denied');
        return relation.bag(member, true);
      }
      return this.#localBag(relation, member, isApp);
    }
    const memberApp = isApp ? member : (member.split('/')[0] as string);
    if (memberApp !== relation.remoteApp) throw new ToolFailure(1, 'permission denied');
    if (!isApp && !relation.unitData.has(member)) {
      throw new ToolFailure(
        1,
        `cannot read settings for unit "${member}" in relation "${relation.key}": unit "${member}": settings not found`,
      );
    }
    return relation.bag(member, isApp);
  }

  /** `relation-set`: buffered until the hook succeeds; `''` deletes; `app` needs leadership. */
  relationSet(relation: RelationRecord, changes: Readonly<Record<string, string>>, app: boolean): void {
    if (app && this.world.leader !== this.unit.name)
      throw new ToolFailure(1, 'cannot write relation settings');
    const member = app ? this.world.app : this.unit.name;
    const key = `${relation.id}\0${app ? 'app' : 'unit'}\0${member}`;
    const pending = this.#bags.get(key) ?? { relation, isApp: app, changes: {} };
    Object.assign(pending.changes, changes);
    this.#bags.set(key, pending);
  }

  #localBag(relation: RelationRecord, member: string, isApp: boolean): Record<string, string> {
    const pending = this.#bags.get(`${relation.id}\0${isApp ? 'app' : 'unit'}\0${member}`);
    const committed = relation.bag(member, isApp);
    return pending ? applyChanges(committed, pending.changes) : committed;
  }

  // Config and status

  /** `config-get`: the config as it was when the hook started. */
  configGet(): Record<string, ConfigValue> {
    return { ...this.#config };
  }

  /** `config-get --all`. */
  configGetAll(): Record<string, ConfigValue | null> {
    const out: Record<string, ConfigValue | null> = {};
    for (const name of this.world.meta.config.keys()) out[name] = null;
    return { ...out, ...this.#config };
  }

  /** `status-get` of the unit. */
  unitStatus(): StatusValue {
    return this.unit.displayStatus;
  }

  /** `status-get --application`: the app's status and its units' (leader only). */
  applicationStatus(): { app: StatusValue; units: Record<string, StatusValue> } {
    if (this.world.leader !== this.unit.name) {
      throw new ToolFailure(1, 'finding application status: this unit is not the leader');
    }
    const units: Record<string, StatusValue> = {};
    for (const unit of this.world.presentUnits()) units[unit.name] = unit.displayStatus;
    return { app: this.world.appStatus, units };
  }

  /** `status-set`: immediate. */
  statusSet(status: string, message: string, app: boolean): void {
    if (!(SETTABLE as readonly string[]).includes(status)) {
      throw new ToolFailure(2, `invalid status "${status}", expected one of [${SETTABLE.join(' ')}]`);
    }
    if (app) {
      if (this.world.leader !== this.unit.name) throw new ToolFailure(1, 'this unit is not the leader');
      this.world.appStatus = { status, message };
      return;
    }
    this.unit.workloadStatus = { status, message };
    this.unit.statusSet = true;
  }

  /** `application-version-set`: immediate. */
  applicationVersionSet(version: string): void {
    this.world.workloadVersion = version;
  }

  /** `juju-log`: immediate; in relation hooks the message gets the `<endpoint>:<id>: ` prefix. */
  log(level: string, message: string): void {
    const relation = this.hookRelation();
    const prefix = relation ? `${relation.endpoint}:${relation.id}: ` : '';
    this.unit.log(level, prefix + message, this.world.hookIndex);
  }

  // Unit state

  /** `state-get`: committed state plus this hook's writes. */
  stateGet(): Record<string, string> {
    const out = Object.fromEntries(this.unit.state);
    for (const [key, value] of this.#state) {
      if (value === null) delete out[key];
      else out[key] = value;
    }
    return out;
  }

  /** `state-set`: buffered. */
  stateSet(values: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(values)) this.#state.set(key, value);
  }

  /** `state-delete`: buffered. */
  stateDelete(key: string): void {
    this.#state.set(key, null);
  }

  // Ports

  /** `open-port` / `close-port`: buffered. */
  changePort(open: boolean, entry: OpenedPortEntry): void {
    this.#portOps.push({ open, entry });
  }

  /** `opened-ports`: committed ports only, sorted. */
  openedPorts(): OpenedPortEntry[] {
    return [...this.unit.ports.values()].sort((a, b) => comparePortSpecs(a.spec, b.spec));
  }

  // Network and goal state

  /**
   * `network-get <binding>`: a fake but well-formed answer (one interface, the unit's address).
   * Bindings are the charm's relation endpoints; anything else is unknown, as in Juju.
   */
  networkGet(binding: string): NetworkInfo {
    if (!this.world.meta.relations.has(binding)) {
      throw new ToolFailure(1, `no network config found for binding "${binding}"`);
    }
    const address = this.world.address(this.unit.name);
    return {
      bindAddresses: [
        {
          interfaceName: 'eth0',
          macAddress: '00:16:3e:00:00:01',
          addresses: [{ value: address, cidr: '10.0.0.0/8', hostname: '' }],
        },
      ],
      egressSubnets: [`${address}/32`],
      ingressAddresses: [address],
    };
  }

  /** `goal-state`: every present unit and, per endpoint, the related app and units. */
  goalState(): GoalState {
    const since = '2025-01-01 00:00:00Z';
    const units: Record<string, { status: string; since: string }> = {};
    for (const unit of this.world.presentUnits()) {
      units[unit.name] = {
        status: unit.life === 'dying' ? 'dying' : unit.started ? 'active' : 'waiting',
        since,
      };
    }
    const relations: Record<string, Record<string, { status: string; since: string }>> = {};
    for (const relation of this.world.relations.values()) {
      if (relation.dying) continue;
      const entry = relations[relation.endpoint] ?? {};
      entry[relation.remoteApp] = { status: 'joined', since };
      for (const name of relation.isPeer ? Object.keys(units) : relation.remoteUnits) {
        if (name !== this.unit.name) entry[name] = { status: 'active', since };
      }
      relations[relation.endpoint] = entry;
    }
    return { units, relations };
  }

  // Storage

  /** `storage-list [name]`: this unit's attached instances. */
  storageList(name?: string): string[] {
    return this.world.storage?.list(this.unit.name, name) ?? [];
  }

  /** `storage-get`: the instance `id` (default: the hook's own storage). */
  storageGet(id: string | undefined): { kind: string; location: string } {
    const target = id ?? this.hook.storageId;
    if (!target) throw new ToolFailure(2, 'no storage instance specified');
    const instance = this.world.storage?.get(this.unit.name, target);
    if (!instance) {
      throw new ToolFailure(
        2,
        `invalid value "${target}" for flag -s: storage instance "${target}" not found`,
      );
    }
    return { kind: instance.kind, location: instance.location };
  }

  /** `storage-add name=count`: checked now, applied when the hook succeeds (juju-contract §3). */
  storageAdd(name: string, count: number): void {
    const storage = this.world.storage;
    if (!storage) throw new ToolFailure(1, `storage "${name}" not found`);
    const pending = this.#storageAdds.filter((a) => a.name === name).reduce((n, a) => n + a.count, 0);
    storage.checkAdd(this.unit.name, name, pending + count);
    this.#storageAdds.push({ name, count });
  }

  // End of the hook

  /** Publishes the buffered writes: the hook succeeded. */
  commit(): void {
    this.#closed = true;
    this.secrets.commit();
    for (const { relation, isApp, changes } of this.#bags.values()) {
      if (isApp) this.world.publishAppData(relation, this.world.app, changes, this.unit.name);
      else this.world.publishUnitData(relation, this.unit.name, changes);
    }
    for (const [key, value] of this.#state) {
      if (value === null) this.unit.state.delete(key);
      else this.unit.state.set(key, value);
    }
    for (const { open, entry } of this.#portOps) {
      if (open) this.unit.ports.set(entry.spec, entry);
      else this.unit.ports.delete(entry.spec);
    }
    for (const { name, count } of this.#storageAdds) {
      for (const hook of this.world.storage?.add(this.unit.name, name, count) ?? [])
        this.unit.queue.push(hook);
    }
  }

  /** Drops the buffered writes: the hook failed or was killed. */
  discard(): void {
    this.#closed = true;
    this.secrets.discard();
    this.#bags.clear();
    this.#state.clear();
    this.#portOps.length = 0;
    this.#storageAdds.length = 0;
  }
}

function comparePortSpecs(a: string, b: string): number {
  const key = (spec: string): [string, number] => {
    const match = /^(\d+)(?:-\d+)?\/(\w+)$/.exec(spec);
    return match ? [match[2] as string, Number(match[1])] : [spec, 0];
  };
  const [pa, na] = key(a);
  const [pb, nb] = key(b);
  return pa === pb ? na - nb : pa < pb ? -1 : 1;
}
