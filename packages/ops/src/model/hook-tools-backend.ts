import type { HookTools } from '../hook-tools/hook-tools.js';
import type { Pebble } from '../pebble/pebble-api.js';
import { PEBBLE_SOCKET_DIR_ENV, PebbleClient, pebbleSocketPath } from '../pebble/pebble-client.js';
import type {
  BackendSecretInfo,
  CloudSpec,
  ConfigValue,
  GoalState,
  ModelBackend,
  NetworkInfo,
  Port,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretOwner,
  SecretSelector,
  SettableStatusName,
  StorageInfo,
} from './model-backend.js';

/** Options of {@link HookToolsBackend}. */
export interface HookToolsBackendOptions {
  /** The hook's environment, read for `CHARMKIT_PEBBLE_SOCKET_DIR` (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The model's backend in a real hook: every question and write is one hook-tool call, and each
 * workload container's Pebble is a {@link PebbleClient} on `/charm/containers/<name>/pebble.socket`
 * (or under `$CHARMKIT_PEBBLE_SOCKET_DIR`, which the simulator's process mode sets).
 */
export class HookToolsBackend implements ModelBackend {
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(
    readonly tools: HookTools,
    options: HookToolsBackendOptions = {},
  ) {
    this.#env = options.env ?? process.env;
  }

  pebble(containerName: string): Pebble {
    const dir = this.#env[PEBBLE_SOCKET_DIR_ENV];
    return new PebbleClient({
      socketPath: pebbleSocketPath(containerName, dir === undefined || dir === '' ? undefined : dir),
    });
  }

  isLeader(): boolean {
    return this.tools.isLeader();
  }
  leaderGet(): Record<string, string> {
    return this.tools.leaderGet();
  }
  leaderSet(values: Readonly<Record<string, string | null>>): void {
    this.tools.leaderSet(values);
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
  relationModelGet(relationId: number): string {
    return this.tools.relationModelGet({ relationId }).uuid;
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

  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string {
    return this.tools.secretAdd(content, options);
  }
  secretGet(options: SecretGetArgs): Record<string, string> {
    return this.tools.secretGet(options);
  }
  secretInfoGet(selector: SecretSelector): BackendSecretInfo {
    return this.tools.secretInfoGet(selector);
  }
  secretSet(
    id: string,
    options: SecretMetadataArgs & { readonly content?: Readonly<Record<string, string>> },
  ): void {
    this.tools.secretSet(id, options);
  }
  secretGrant(id: string, relationId: number, unit: string | null): void {
    this.tools.secretGrant(id, relationId, unit === null ? {} : { unit });
  }
  secretRevoke(id: string, relationId: number, unit: string | null): void {
    this.tools.secretRevoke(id, relationId, unit === null ? {} : { unit });
  }
  secretRemove(id: string, revision: number | null): void {
    this.tools.secretRemove(id, revision === null ? {} : { revision });
  }

  openPort(port: Port): void {
    this.tools.openPort(port);
  }
  closePort(port: Port): void {
    this.tools.closePort(port);
  }
  openedPorts(): Port[] {
    // The model does not manage per-endpoint ports; drop the endpoints field.
    return this.tools.openedPorts().map((p): Port => {
      if (p.protocol === 'icmp') return { protocol: 'icmp' };
      return p.toPort === undefined
        ? { protocol: p.protocol, port: p.port }
        : { protocol: p.protocol, port: p.port, toPort: p.toPort };
    });
  }

  networkGet(binding: string, relationId: number | null): NetworkInfo {
    return this.tools.networkGet(binding, relationId === null ? {} : { relationId });
  }

  storageList(name: string): string[] {
    return this.tools.storageList(name);
  }
  storageGet(id: string): StorageInfo {
    return this.tools.storageGet({ id });
  }
  storageAdd(counts: Readonly<Record<string, number>>): void {
    this.tools.storageAdd(counts);
  }

  resourceGet(name: string): string {
    return this.tools.resourceGet(name);
  }
  goalState(): GoalState {
    return this.tools.goalState();
  }
  credentialGet(): CloudSpec {
    return this.tools.credentialGet();
  }
  reboot(now: boolean): void {
    this.tools.jujuReboot({ now });
  }
}
