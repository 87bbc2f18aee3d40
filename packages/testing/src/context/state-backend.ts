import {
  type BackendSecretInfo,
  type CloudSpec,
  type ConfigValue,
  type GoalState,
  type ModelBackend,
  type NetworkInfo,
  type Port,
  RelationNotFoundError,
  type SecretGetArgs,
  type SecretMetadataArgs,
  SecretNotFoundError,
  type SecretOwner,
  type SecretSelector,
  type SettableStatusName,
  type StorageInfo,
} from '@charmkit/ops';
import type { AnyRelation, SecretState, State, StatusValue } from './state.js';

interface WorkingRelation {
  readonly source: AnyRelation;
  localUnitData: Record<string, string>;
  localAppData: Record<string, string>;
}

/**
 * Serves the model from a test's {@link State}, in memory, with Juju's rules where the model
 * does not already enforce them; records what the charm wrote so the output state can be built.
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
  #nextSecret = 0;

  constructor(
    private readonly state: State,
    private readonly unitName: string,
    private readonly appName: string,
    private readonly actionParams: Readonly<Record<string, unknown>>,
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

  leaderGet(): Record<string, string> {
    this.calls.push('leader-get');
    return { ...this.leaderSettings };
  }

  leaderSet(values: Readonly<Record<string, string | null>>): void {
    this.calls.push('leader-set');
    if (!this.state.leader)
      throw new Error('ERROR cannot write leadership settings: cannot write settings: not the leader');
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === '') delete this.leaderSettings[key];
      else this.leaderSettings[key] = value;
    }
  }

  relationModelGet(relationId: number): string {
    this.calls.push(`relation-model-get -r ${relationId}`);
    this.#relation(relationId);
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
    if (!found) {
      const what = selector.id ?? selector.label ?? '';
      throw new SecretNotFoundError(`secret "${what}" not found`, {
        tool,
        args: [],
        exitCode: 1,
        stderr: `ERROR secret "${what}" not found`,
      });
    }
    return found;
  }

  #replace(updated: SecretState): void {
    this.secrets = this.secrets.map((s) => (s.id === updated.id ? updated : s));
  }

  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string {
    this.calls.push(`secret-add --owner ${options.owner}`);
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
    const secret = this.#secret('secret-info-get', selector);
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
    const secret = this.#secret('secret-set', { id });
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
    const secret = this.#secret('secret-grant', { id });
    const target = unit === null ? `${relationId}` : `${relationId}/${unit}`;
    this.#replace({ ...secret, grants: [...new Set([...(secret.grants ?? []), target])] });
  }

  secretRevoke(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-revoke -r ${relationId}`);
    const secret = this.#secret('secret-revoke', { id });
    const target = unit === null ? `${relationId}` : `${relationId}/${unit}`;
    this.#replace({ ...secret, grants: (secret.grants ?? []).filter((g) => g !== target) });
  }

  secretRemove(id: string, revision: number | null): void {
    this.calls.push(`secret-remove${revision === null ? '' : ` --revision ${revision}`}`);
    const secret = this.#secret('secret-remove', { id });
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
      throw new RelationNotFoundError('relation not found', {
        tool: 'network-get',
        args: [],
        exitCode: 2,
        stderr: 'ERROR relation not found',
      });
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
    if (!found) throw new Error(`ERROR invalid value "${id}" for option -s: storage not found`);
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
      throw new Error(`ERROR could not download resource: resource "${name}" not found`);
    return path;
  }

  goalState(): GoalState {
    this.calls.push('goal-state');
    const units: Record<string, { status: string }> = {};
    for (let i = 0; i < this.state.plannedUnits; i++) units[`${this.appName}/${i}`] = { status: 'active' };
    return { units, relations: {} } as GoalState;
  }

  credentialGet(): CloudSpec {
    this.calls.push('credential-get');
    if (!this.state.cloudSpec)
      throw new Error('ERROR cannot access cloud credentials: application is not trusted');
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

  #relation(relationId: number): WorkingRelation {
    const relation = this.relations.get(relationId);
    // As Juju: an unknown relation id is an argument error.
    if (!relation) throw new Error(`ERROR invalid value "${relationId}" for flag -r: relation not found`);
    return relation;
  }

  relationList(relationId: number): string[] {
    this.calls.push(`relation-list -r ${relationId}`);
    const { source } = this.#relation(relationId);
    return source.kind === 'peer'
      ? Object.keys(source.peersData).map((n) => `${this.appName}/${n}`)
      : source.remoteUnitNames;
  }

  relationRemoteApp(relationId: number): string | null {
    this.calls.push(`relation-list -r ${relationId} --app`);
    const { source } = this.#relation(relationId);
    return source.kind === 'peer' ? this.appName : source.remoteAppName;
  }

  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    this.calls.push(`relation-get -r ${relationId}${isApp ? ' --app' : ''} - ${member}`);
    const relation = this.#relation(relationId);
    const { source } = relation;
    if (isApp) {
      if (member === this.appName) return { ...relation.localAppData };
      if (source.kind === 'regular' && member === source.remoteAppName) return { ...source.remoteAppData };
      throw new Error('ERROR permission denied');
    }
    if (member === this.unitName) return { ...relation.localUnitData };
    const [app, number] = member.split('/');
    if (source.kind === 'peer' && app === this.appName)
      return { ...(source.peersData[Number(number)] ?? {}) };
    if (source.kind === 'regular' && app === source.remoteAppName)
      return { ...(source.remoteUnitsData[Number(number)] ?? {}) };
    throw new Error('ERROR permission denied');
  }

  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    this.calls.push(`relation-set -r ${relationId}${isApp ? ' --app' : ''}`);
    const relation = this.#relation(relationId);
    const bag = isApp ? relation.localAppData : relation.localUnitData;
    for (const [key, value] of Object.entries(changes)) {
      if (value === '') delete bag[key];
      else bag[key] = value;
    }
  }

  statusGet(isApp: boolean): { status: string; message: string } {
    this.calls.push(`status-get${isApp ? ' --application' : ''}`);
    const status = isApp ? this.appStatus : this.unitStatus;
    return { status: status.name, message: status.message };
  }

  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    this.calls.push(`status-set${isApp ? ' --application' : ''} ${status}`);
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

  actionGet(): Record<string, unknown> {
    this.calls.push('action-get');
    return { ...this.actionParams };
  }

  actionSet(results: Record<string, string>): void {
    this.calls.push('action-set');
    Object.assign(this.actionResults, results);
  }

  actionLog(message: string): void {
    this.calls.push('action-log');
    this.actionLogs.push(message);
  }

  actionFail(message: string): void {
    this.calls.push('action-fail');
    this.actionFailure = message || 'action failed without reason given, check action for errors';
  }
}

function samePort(a: Port, b: Port): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
