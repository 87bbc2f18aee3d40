import type { ConfigValue, ModelBackend, SettableStatusName } from '../../src/index.js';

/** An in-memory Juju for framework tests: it records every call as a hook tool would be run. */
export class FakeBackend implements ModelBackend {
  leader = false;
  config: Record<string, ConfigValue> = {};
  relations = new Map<number, { endpoint: string; units: string[]; app: string | null }>();
  bags = new Map<string, Record<string, string>>();
  status = { unit: { status: 'maintenance', message: '' }, app: { status: 'unknown', message: '' } };
  actionParams: Record<string, unknown> = {};
  actionResults: Record<string, string> = {};
  actionLogs: string[] = [];
  actionFailure: string | null = null;
  readonly calls: string[] = [];

  bagKey(relationId: number, member: string): string {
    return `${relationId}:${member}`;
  }
  isLeader(): boolean {
    this.calls.push('is-leader');
    return this.leader;
  }
  configGet(): Record<string, ConfigValue> {
    this.calls.push('config-get');
    return { ...this.config };
  }
  relationIds(endpoint: string): number[] {
    this.calls.push(`relation-ids ${endpoint}`);
    return [...this.relations].filter(([, r]) => r.endpoint === endpoint).map(([id]) => id);
  }
  relationList(relationId: number): string[] {
    this.calls.push(`relation-list ${relationId}`);
    return [...(this.relations.get(relationId)?.units ?? [])];
  }
  relationRemoteApp(relationId: number): string | null {
    this.calls.push(`relation-list --app ${relationId}`);
    return this.relations.get(relationId)?.app ?? null;
  }
  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    this.calls.push(`relation-get ${relationId} ${member}${isApp ? ' --app' : ''}`);
    return { ...(this.bags.get(this.bagKey(relationId, member)) ?? {}) };
  }
  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    this.calls.push(`relation-set ${relationId}${isApp ? ' --app' : ''} ${JSON.stringify(changes)}`);
  }
  statusGet(isApp: boolean): { status: string; message: string } {
    this.calls.push(`status-get${isApp ? ' --application' : ''}`);
    return isApp ? this.status.app : this.status.unit;
  }
  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    this.calls.push(`status-set${isApp ? ' --application' : ''} ${status} ${message}`.trimEnd());
    if (isApp) this.status.app = { status, message };
    else this.status.unit = { status, message };
  }
  applicationVersionSet(version: string): void {
    this.calls.push(`application-version-set ${version}`);
  }
  actionGet(): Record<string, unknown> {
    this.calls.push('action-get');
    return this.actionParams;
  }
  actionSet(results: Record<string, string>): void {
    this.calls.push(`action-set ${JSON.stringify(results)}`);
    Object.assign(this.actionResults, results);
  }
  actionLog(message: string): void {
    this.calls.push(`action-log ${message}`);
    this.actionLogs.push(message);
  }
  actionFail(message: string): void {
    this.calls.push(`action-fail ${message}`);
    this.actionFailure = message;
  }
}
