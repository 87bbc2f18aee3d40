import type { ConfigValue } from '../hook-tools/config.js';

export type { ConfigValue };

/** The settable status names. */
export type SettableStatusName = 'active' | 'blocked' | 'maintenance' | 'waiting';

/**
 * What the model needs from Juju, one method per question or write. In a hook it is served by the
 * real hook tools; the testing package serves it from an in-memory `State`. Every method is
 * synchronous: a hook is one short sequential process.
 */
export interface ModelBackend {
  /** `is-leader`. */
  isLeader(): boolean;
  /** `config-get`: every option that is set or has a default. */
  configGet(): Record<string, ConfigValue>;
  /** `relation-ids <endpoint>`: live relation ids. */
  relationIds(endpoint: string): number[];
  /** `relation-list -r <id>`: remote unit names. */
  relationList(relationId: number): string[];
  /** `relation-list -r <id> --app`: the remote application's name, or null when unknown. */
  relationRemoteApp(relationId: number): string | null;
  /** `relation-get -r <id> [--app] - <member>`: a whole databag. */
  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string>;
  /** `relation-set -r <id> [--app] --file -`: changes to one databag; `''` deletes a key. */
  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void;
  /** `status-get [--application]`. */
  statusGet(isApp: boolean): { status: string; message: string };
  /** `status-set [--application] <status> <message>`. */
  statusSet(status: SettableStatusName, message: string, isApp: boolean): void;
  /** `application-version-set`. */
  applicationVersionSet(version: string): void;
  /** `action-get`. */
  actionGet(): Record<string, unknown>;
  /** `action-set` with already flattened, dotted keys. */
  actionSet(results: Record<string, string>): void;
  /** `action-log`. */
  actionLog(message: string): void;
  /** `action-fail`. */
  actionFail(message: string): void;
}
