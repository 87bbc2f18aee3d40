import type { ConfigValue, ModelBackend, SettableStatusName } from '@charmkit/ops';
import type { AnyRelation, State, StatusValue } from './state.js';

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
