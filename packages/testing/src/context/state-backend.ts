import type {
  CloudSpec,
  ConfigValue,
  GoalState,
  NetworkInfo,
  Port,
  SecretOwner,
  SettableStatusName,
} from '@charmkit/ops';
import { removedInJuju4Error } from '@charmkit/ops/hook-tools';
import type {
  BackendSecretInfo,
  ModelBackend,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretSelector,
  StorageInfo,
} from '@charmkit/ops/internal';
import { MemoryPebble } from '../pebble/memory-pebble.js';
import { ToolFailure } from '../simulator/errors.js';
import { toHookToolError } from '../simulator/sim-backend.js';
import { compareUnitNames } from '../simulator/world.js';
import type { AnyRelation, SecretState, State, StatusValue } from './state.js';

/** How a {@link StateBackend} is set up beyond the state. */
export interface StateBackendOptions {
  /**
   * The bindings `network-get` answers (the charm's endpoints and extra bindings); any other
   * fails as in Juju. When absent, every binding is answered.
   */
  readonly bindings?: readonly string[];
  /** `JUJU_VERSION`: from 4, the tools Juju 4 removed (`leader-get`, `leader-set`) fail as production's do. */
  readonly jujuVersion?: string;
}

/**
 * Fails as the hook tool `tool` would have, printing `ERROR <message>` and exiting with
 * `exitCode`: the error class comes from production's own stderr mapping, so a charm under test
 * sees exactly what it would see on a unit. (The simulator's in-process backend fails the same way.)
 */
function toolFailure(tool: string, exitCode: 1 | 2, message: string): never {
  throw toHookToolError(tool, [], new ToolFailure(exitCode, message));
}

interface WorkingRelation {
  readonly source: AnyRelation;
  localUnitData: Record<string, string>;
  localAppData: Record<string, string>;
}

/**
 * Serves the model from a test's {@link State}, in memory, with Juju's rules where the model
 * does not already enforce them; records what the charm wrote so the output state can be built.
 * Where Juju refuses a call it throws the `HookToolError` subclass production throws (the backend
 * contract suite in `test/backend-contract` holds it to that).
 */
export class StateBackend implements ModelBackend {
  readonly relations = new Map<number, WorkingRelation>();
  unitStatus: StatusValue;
  appStatus: StatusValue;
  workloadVersion: string;
  readonly statusHistory: { unit: StatusValue[]; app: StatusValue[] } = { unit: [], app: [] };
  readonly actionResults: Record<string, string> = {};
  readonly actionLogs: string[] = [];
  actionFailure: string | null = null;
  /** Every call, as `tool args`, for assertions about cost. */
  readonly calls: string[] = [];
  leaderSettings: Record<string, string>;
  secrets: SecretState[];
  openedPortList: Port[];
  readonly requestedStorage: Record<string, number>;
  rebootRequested: boolean;
  /** The in-memory Pebble of each container the charm used, by name. */
  readonly pebbles = new Map<string, MemoryPebble>();
  #nextSecret = 0;

  /**
   * @param actionParams The action's parameters, or `null` when the hook is not an action (the
   *   `action-*` tools then fail with `ActionNotRunningError`, as in Juju).
   */
  constructor(
    private readonly state: State,
    private readonly unitName: string,
    private readonly appName: string,
    private readonly actionParams: Readonly<Record<string, unknown>> | null,
    private readonly options: StateBackendOptions = {},
  ) {
    for (const relation of state.relations) {
      this.relations.set(relation.id, {
        source: relation,
        localUnitData: { ...relation.localUnitData },
        localAppData: { ...relation.localAppData },
      });
    }
    this.unitStatus = state.unitStatus;
    this.appStatus = state.appStatus;
    this.workloadVersion = state.workloadVersion;
    this.leaderSettings = { ...state.leaderSettings };
    this.secrets = state.secrets.map((secret) => ({ ...secret }));
    this.openedPortList = [...state.openedPorts];
    this.requestedStorage = { ...state.requestedStorage };
    this.rebootRequested = state.rebootRequested;
  }

  /**
   * The container's Pebble: in memory, from the state's container. A container the state does not
   * have is unreachable (`canConnect` false), as a container that is not up yet.
   */
  pebble(containerName: string): MemoryPebble {
    let pebble = this.pebbles.get(containerName);
    if (pebble === undefined) {
      const container = this.state.containers.find((c) => c.name === containerName);
      pebble = new MemoryPebble({
        name: containerName,
        ...(container === undefined
          ? { canConnect: false }
          : {
              canConnect: container.canConnect,
              layers: container.layers,
              services: container.serviceStatuses,
              files: container.files,
              execHandlers: container.execHandlers,
              checks: container.checks,
              notices: container.notices,
              identities: container.identities,
            }),
      });
      this.pebbles.set(containerName, pebble);
    }
    return pebble;
  }

  leaderGet(): Record<string, string> {
    this.calls.push('leader-get');
    this.#refuseRemoved('leader-get', ['--format=json']);
    return { ...this.leaderSettings };
  }

  leaderSet(values: Readonly<Record<string, string | null>>): void {
    this.calls.push('leader-set');
    this.#refuseRemoved('leader-set', ['--', '<redacted>']);
    if (!this.state.leader)
      toolFailure('leader-set', 1, 'cannot write leadership settings: cannot write settings: not the leader');
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === '') delete this.leaderSettings[key];
      else this.leaderSettings[key] = value;
    }
  }

  /** On Juju 4 a removed tool fails before anything runs, as `ToolRunner` makes it in production. */
  #refuseRemoved(tool: string, args: readonly string[]): void {
    const removed = removedInJuju4Error(tool, args, this.options.jujuVersion);
    if (removed) throw removed;
  }

  relationModelGet(relationId: number): string {
    this.calls.push(`relation-model-get -r ${relationId}`);
    this.#relation('relation-model-get', relationId);
    return this.state.model.uuid;
  }

  #secret(
    tool: string,
    selector: { readonly id?: string | undefined; readonly label?: string | undefined },
  ): SecretState {
    const xid = selector.id?.slice(-20);
    const found = this.secrets.find((s) =>
      xid !== undefined ? s.id.slice(-20) === xid : s.label === selector.label,
    );
    if (!found) toolFailure(tool, 1, `secret "${selector.id ?? selector.label ?? ''}" not found`);
    return found;
  }

  /**
   * A secret whose metadata this unit sees: one it owns, or (for the leader) one its application
   * owns. Juju answers `not found` for any other (secret-info-get, secret-grant).
   */
  #ownedSecret(
    tool: string,
    selector: { readonly id?: string | undefined; readonly label?: string | undefined },
  ): SecretState {
    const secret = this.#secret(tool, selector);
    if (!this.#seesMetadata(secret))
      toolFailure(tool, 1, `secret "${selector.id ?? selector.label ?? ''}" not found`);
    return secret;
  }

  #seesMetadata(secret: SecretState): boolean {
    return secret.owner === 'unit' || (secret.owner === 'application' && this.state.leader);
  }

  /**
   * A secret this unit may change. Juju buffers secret-set/-remove/-revoke and the controller
   * refuses them at the end of the hook (`permission denied`); failing at the call is earlier,
   * with the same class.
   */
  #managedSecret(tool: string, id: string): SecretState {
    const secret = this.#secret(tool, { id });
    if (!this.#seesMetadata(secret)) toolFailure(tool, 1, `permission denied`);
    return secret;
  }

  #replace(updated: SecretState): void {
    this.secrets = this.secrets.map((s) => (s.id === updated.id ? updated : s));
  }

  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string {
    this.calls.push(`secret-add --owner ${options.owner}`);
    if (options.owner === 'application' && !this.state.leader)
      toolFailure('secret-add', 1, 'this unit is not the leader');
    const xid = `ck${String(++this.#nextSecret).padStart(18, '0')}`;
    const id = `secret://${this.state.model.uuid}/${xid}`;
    this.secrets.push({
      id,
      owner: options.owner,
      revisions: [{ ...content }],
      ...(options.label === undefined ? {} : { label: options.label }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.expire === undefined ? {} : { expire: options.expire }),
      ...(options.rotate === undefined ? {} : { rotate: options.rotate }),
    });
    return id;
  }

  secretGet(options: SecretGetArgs): Record<string, string> {
    this.calls.push(`secret-get${options.peek ? ' --peek' : ''}${options.refresh ? ' --refresh' : ''}`);
    const secret = this.#secret('secret-get', options);
    const latest = secret.revisions.length;
    let revision = secret.owner ? latest : (secret.tracked ?? latest);
    if (options.refresh && !secret.owner) {
      revision = latest;
      this.#replace({ ...secret, tracked: latest });
    }
    if (options.peek) revision = latest;
    if (options.id !== undefined && options.label !== undefined)
      this.#replace({ ...this.#secret('secret-get', options), label: options.label });
    return { ...(secret.revisions[revision - 1] ?? {}) };
  }

  secretInfoGet(selector: SecretSelector): BackendSecretInfo {
    this.calls.push('secret-info-get');
    const secret = this.#ownedSecret('secret-info-get', selector);
    return {
      id: secret.id.slice(-20),
      revision: secret.revisions.length,
      label: secret.label ?? '',
      owner: secret.owner ?? 'application',
      ...(secret.description === undefined ? {} : { description: secret.description }),
      ...(secret.rotate === undefined ? {} : { rotation: secret.rotate }),
      ...(secret.expire === undefined ? {} : { expiry: new Date(secret.expire) }),
      access: (secret.grants ?? []).map((target) => ({ target, scope: 'relation', role: 'view' })),
    };
  }

  secretSet(
    id: string,
    options: SecretMetadataArgs & { readonly content?: Readonly<Record<string, string>> },
  ): void {
    this.calls.push('secret-set');
    const secret = this.#managedSecret('secret-set', id);
    this.#replace({
      ...secret,
      revisions:
        options.content === undefined ? secret.revisions : [...secret.revisions, { ...options.content }],
      ...(options.label === undefined ? {} : { label: options.label }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.expire === undefined ? {} : { expire: options.expire }),
      ...(options.rotate === undefined ? {} : { rotate: options.rotate }),
    });
  }

  secretGrant(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-grant -r ${relationId}`);
    const secret = this.#ownedSecret('secret-grant', { id });
    const target = unit === null ? `${relationId}` : `${relationId}/${unit}`;
    this.#replace({ ...secret, grants: [...new Set([...(secret.grants ?? []), target])] });
  }

  secretRevoke(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-revoke -r ${relationId}`);
    const secret = this.#managedSecret('secret-revoke', id);
    const target = unit === null ? `${relationId}` : `${relationId}/${unit}`;
    this.#replace({ ...secret, grants: (secret.grants ?? []).filter((g) => g !== target) });
  }

  secretRemove(id: string, revision: number | null): void {
    this.calls.push(`secret-remove${revision === null ? '' : ` --revision ${revision}`}`);
    const secret = this.#managedSecret('secret-remove', id);
    if (revision === null) this.secrets = this.secrets.filter((s) => s !== secret);
  }

  openPort(port: Port): void {
    this.calls.push('open-port');
    if (!this.openedPortList.some((p) => samePort(p, port))) this.openedPortList.push(port);
  }

  closePort(port: Port): void {
    this.calls.push('close-port');
    this.openedPortList = this.openedPortList.filter((p) => !samePort(p, port));
  }

  openedPorts(): Port[] {
    this.calls.push('opened-ports');
    return [...this.state.openedPorts];
  }

  networkGet(binding: string, relationId: number | null): NetworkInfo {
    this.calls.push(`network-get ${binding}`);
    if (relationId !== null && !this.relations.has(relationId)) {
      toolFailure('network-get', 2, `invalid value "${relationId}" for flag -r: relation not found`);
    }
    const { bindings } = this.options;
    if (bindings !== undefined && !bindings.includes(binding) && !(binding in this.state.networks)) {
      toolFailure('network-get', 1, `no network config found for binding "${binding}"`);
    }
    const info = this.state.networks[binding];
    if (info) return info;
    // Juju answers for any declared endpoint; tests that do not care get loopback.
    return {
      bindAddresses: [
        {
          interfaceName: 'lo',
          macAddress: '',
          addresses: [{ hostname: '', value: '127.0.0.1', cidr: '127.0.0.0/8' }],
        },
      ],
      egressSubnets: ['127.0.0.0/8'],
      ingressAddresses: ['127.0.0.1'],
    } as unknown as NetworkInfo;
  }

  storageList(name: string): string[] {
    this.calls.push(`storage-list ${name}`);
    return this.state.storages.filter((s) => s.name === name).map((s) => `${s.name}/${s.index}`);
  }

  storageGet(id: string): StorageInfo {
    this.calls.push(`storage-get -s ${id}`);
    const found = this.state.storages.find((s) => `${s.name}/${s.index}` === id);
    if (!found)
      toolFailure('storage-get', 2, `invalid value "${id}" for flag -s: storage instance "${id}" not found`);
    return {
      kind: found.kind ?? 'filesystem',
      location: found.location ?? `/srv/${found.name}/${found.index}`,
    };
  }

  storageAdd(counts: Readonly<Record<string, number>>): void {
    this.calls.push('storage-add');
    for (const [name, count] of Object.entries(counts))
      this.requestedStorage[name] = (this.requestedStorage[name] ?? 0) + count;
  }

  resourceGet(name: string): string {
    this.calls.push(`resource-get ${name}`);
    const path = this.state.resources[name];
    if (path === undefined)
      toolFailure('resource-get', 1, `could not download resource: resource "${name}" not found`);
    return path;
  }

  goalState(): GoalState {
    this.calls.push('goal-state');
    const since = '2025-01-01 00:00:00Z';
    const units: Record<string, { status: string; since: string }> = {};
    for (let i = 0; i < this.state.plannedUnits; i++)
      units[`${this.appName}/${i}`] = { status: 'active', since };
    // Per endpoint, the related applications and their units (peers: this application's).
    const relations: Record<string, Record<string, { status: string; since: string }>> = {};
    for (const { source } of this.relations.values()) {
      const entry = relations[source.endpoint] ?? {};
      const app = source.kind === 'peer' ? this.appName : source.remoteAppName;
      entry[app] = { status: 'joined', since };
      for (const unit of this.#remoteUnits(source)) entry[unit] = { status: 'active', since };
      relations[source.endpoint] = entry;
    }
    return { units, relations };
  }

  credentialGet(): CloudSpec {
    this.calls.push('credential-get');
    // Juju's controller refuses an untrusted application with its generic permission error.
    if (!this.state.cloudSpec)
      toolFailure('credential-get', 1, 'cannot access cloud credentials: permission denied');
    return this.state.cloudSpec;
  }

  reboot(now: boolean): void {
    this.calls.push(`juju-reboot${now ? ' --now' : ''}`);
    this.rebootRequested = true;
  }

  isLeader(): boolean {
    this.calls.push('is-leader');
    return this.state.leader;
  }

  configGet(): Record<string, ConfigValue> {
    this.calls.push('config-get');
    return { ...this.state.config };
  }

  relationIds(endpoint: string): number[] {
    this.calls.push(`relation-ids ${endpoint}`);
    return [...this.relations.values()].filter((r) => r.source.endpoint === endpoint).map((r) => r.source.id);
  }

  #relation(tool: string, relationId: number): WorkingRelation {
    const relation = this.relations.get(relationId);
    // As Juju: an unknown relation id is an argument error.
    if (!relation) toolFailure(tool, 2, `invalid value "${relationId}" for flag -r: relation not found`);
    return relation;
  }

  /** The units on the other side: this application's other units in a peer relation. */
  #remoteUnits(source: AnyRelation): string[] {
    const names =
      source.kind === 'peer'
        ? Object.keys(source.peersData).map((n) => `${this.appName}/${n}`)
        : source.remoteUnitNames;
    return names.filter((name) => name !== this.unitName).sort(compareUnitNames);
  }

  relationList(relationId: number): string[] {
    this.calls.push(`relation-list -r ${relationId}`);
    return this.#remoteUnits(this.#relation('relation-list', relationId).source);
  }

  relationRemoteApp(relationId: number): string | null {
    this.calls.push(`relation-list -r ${relationId} --app`);
    const { source } = this.#relation('relation-list', relationId);
    return source.kind === 'peer' ? this.appName : source.remoteAppName;
  }

  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    this.calls.push(`relation-get -r ${relationId}${isApp ? ' --app' : ''} - ${member}`);
    const relation = this.#relation('relation-get', relationId);
    const { source } = relation;
    if (isApp) {
      if (member === this.appName) {
        // A non-leader may read its own application's bag in a peer relation only.
        if (!this.state.leader && source.kind !== 'peer') toolFailure('relation-get', 1, 'permission denied');
        return { ...relation.localAppData };
      }
      if (source.kind === 'regular' && member === source.remoteAppName) return { ...source.remoteAppData };
      toolFailure('relation-get', 1, 'permission denied');
    }
    if (member === this.unitName) return { ...relation.localUnitData };
    const [app, number] = member.split('/');
    const bags =
      source.kind === 'peer'
        ? app === this.appName
          ? source.peersData
          : null
        : app === source.remoteAppName
          ? source.remoteUnitsData
          : null;
    if (bags === null) toolFailure('relation-get', 1, 'permission denied');
    const bag = bags[Number(number)];
    if (bag === undefined) {
      toolFailure(
        'relation-get',
        1,
        `cannot read settings for unit "${member}" in relation "${source.endpoint}:${source.id}": unit "${member}": settings not found`,
      );
    }
    return { ...bag };
  }

  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    this.calls.push(`relation-set -r ${relationId}${isApp ? ' --app' : ''}`);
    const relation = this.#relation('relation-set', relationId);
    if (isApp && !this.state.leader) toolFailure('relation-set', 1, 'cannot write relation settings');
    const bag = isApp ? relation.localAppData : relation.localUnitData;
    for (const [key, value] of Object.entries(changes)) {
      if (value === '') delete bag[key];
      else bag[key] = value;
    }
  }

  statusGet(isApp: boolean): { status: string; message: string } {
    this.calls.push(`status-get${isApp ? ' --application' : ''}`);
    if (isApp && !this.state.leader)
      toolFailure('status-get', 1, 'finding application status: this unit is not the leader');
    const status = isApp ? this.appStatus : this.unitStatus;
    return { status: status.name, message: status.message };
  }

  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    this.calls.push(`status-set${isApp ? ' --application' : ''} ${status}`);
    if (isApp && !this.state.leader) toolFailure('status-set', 1, 'this unit is not the leader');
    const value: StatusValue = { name: status, message };
    if (isApp) {
      this.appStatus = value;
      this.statusHistory.app.push(value);
    } else {
      this.unitStatus = value;
      this.statusHistory.unit.push(value);
    }
  }

  applicationVersionSet(version: string): void {
    this.calls.push('application-version-set');
    this.workloadVersion = version;
  }

  /** The running action's parameters; outside an action Juju's `not running an action`. */
  #action(tool: string): Readonly<Record<string, unknown>> {
    if (this.actionParams === null) toolFailure(tool, 1, 'not running an action');
    return this.actionParams;
  }

  actionGet(): Record<string, unknown> {
    this.calls.push('action-get');
    return { ...this.#action('action-get') };
  }

  actionSet(results: Record<string, string>): void {
    this.calls.push('action-set');
    this.#action('action-set');
    Object.assign(this.actionResults, results);
  }

  actionLog(message: string): void {
    this.calls.push('action-log');
    this.#action('action-log');
    this.actionLogs.push(message);
  }

  actionFail(message: string): void {
    this.calls.push('action-fail');
    this.#action('action-fail');
    this.actionFailure = message || 'action failed without reason given, check action for errors';
  }
}

function samePort(a: Port, b: Port): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
