import type { HookTools } from '../hook-tools/hook-tools.js';
import type { ConfigValue, ModelBackend, SettableStatusName } from './model-backend.js';

/** The model's backend in a real hook: every question and write is one hook-tool call. */
export class HookToolsBackend implements ModelBackend {
  constructor(readonly tools: HookTools) {}

  isLeader(): boolean {
    return this.tools.isLeader();
  }
  configGet(): Record<string, ConfigValue> {
    return this.tools.configGet();
  }
  relationIds(endpoint: string): number[] {
    return this.tools.relationIds(endpoint);
  }
  relationList(relationId: number): string[] {
    return this.tools.relationList({ relationId });
  }
  relationRemoteApp(relationId: number): string | null {
    return this.tools.relationRemoteApp({ relationId }) ?? null;
  }
  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    return this.tools.relationGet({ relationId, unitOrApp: member, app: isApp });
  }
  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    this.tools.relationSet(changes, { relationId, app: isApp });
  }
  statusGet(isApp: boolean): { status: string; message: string } {
    return isApp ? this.tools.applicationStatusGet() : this.tools.statusGet();
  }
  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    this.tools.statusSet(status, message, { application: isApp });
  }
  applicationVersionSet(version: string): void {
    this.tools.applicationVersionSet(version);
  }
  actionGet(): Record<string, unknown> {
    return this.tools.actionGet();
  }
  actionSet(results: Record<string, string>): void {
    this.tools.actionSet(results);
  }
  actionLog(message: string): void {
    this.tools.actionLog(message);
  }
  actionFail(message: string): void {
    this.tools.actionFail(message);
  }
}
