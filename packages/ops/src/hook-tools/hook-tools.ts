import type { JsonObject, JsonValue } from '../json.js';
import { type ActionResults, actionFail, actionGet, actionGetKey, actionLog, actionSet } from './action.js';
import { type ConfigValue, configGet, configGetAll, configGetKey } from './config.js';
import { type CloudSpec, credentialGet } from './credential.js';
import { type GoalState, goalState } from './goal-state.js';
import { type JujuLogLevel, jujuLog } from './juju-log.js';
import { isLeader, leaderGet, leaderGetKey, leaderSet } from './leadership.js';
import { type NetworkGetOptions, type NetworkInfo, networkGet } from './network.js';
import {
  closePort,
  type OpenedPort,
  type OpenedPortsOptions,
  openedPorts,
  openPort,
  type Port,
  type PortOptions,
} from './ports.js';
import { jujuReboot, type RebootOptions } from './reboot.js';
import {
  type RelationGetOptions,
  type RelationOptions,
  type RelationSetOptions,
  relationGet,
  relationGetKey,
  relationIds,
  relationList,
  relationModelGet,
  relationRemoteApp,
  relationSet,
} from './relation.js';
import type { RelationRef } from './relation-ref.js';
import { resourceGet } from './resource.js';
import { type SpawnListener, ToolRunner, type ToolRunnerOptions } from './run-tool.js';
import {
  type SecretAddOptions,
  type SecretGetOptions,
  type SecretGrantOptions,
  type SecretInfo,
  type SecretRemoveOptions,
  type SecretSelector,
  type SecretSetOptions,
  secretAdd,
  secretGet,
  secretGrant,
  secretIds,
  secretInfoGet,
  secretRemove,
  secretRevoke,
  secretSet,
} from './secret.js';
import {
  type ApplicationStatusInfo,
  applicationStatusGet,
  applicationVersionSet,
  type SettableStatus,
  type StatusInfo,
  type StatusSetOptions,
  statusGet,
  statusSet,
} from './status.js';
import { type StorageGetOptions, type StorageInfo, storageAdd, storageGet, storageList } from './storage.js';
import { type UnitSetting, unitGet } from './unit-get.js';
import { stateDelete, stateGet, stateGetKey, stateSet } from './unit-state.js';

/**
 * Every Juju hook tool as a typed, synchronous method, over one {@link ToolRunner}. Each method
 * spawns one process (`jujuLog` one per chunk of a very long message), except where the method's
 * documentation says nothing is spawned. Nothing is cached here: caching for the hook belongs to the
 * model above.
 *
 * Arguments are checked before spawning (`HookToolArgumentError`); failures become `HookToolError`
 * or a subclass chosen from Juju's error text (`RelationNotFoundError`, `NotLeaderError`, …);
 * unparsable output becomes `HookToolOutputError`.
 */
export class HookTools {
  /** The runner every method uses. */
  readonly runner: ToolRunner;

  constructor(options: ToolRunnerOptions = {}) {
    this.runner = new ToolRunner(options);
  }

  /** How many hook-tool processes have been spawned through this object. */
  get spawnCount(): number {
    return this.runner.spawnCount;
  }

  /** Called before every spawn with the tool and its exact arguments. */
  get onSpawn(): SpawnListener | undefined {
    return this.runner.onSpawn;
  }

  set onSpawn(listener: SpawnListener | undefined) {
    this.runner.onSpawn = listener;
  }

  // Leadership

  /** `is-leader`: whether this unit holds the leadership lease (for at least 30 s). */
  isLeader(): boolean {
    return isLeader(this.runner);
  }

  /** `leader-get`: all leader settings. */
  leaderGet(): Record<string, string> {
    return leaderGet(this.runner);
  }

  /** `leader-get <key>`: one leader setting, `undefined` when unset. */
  leaderGetKey(key: string): string | undefined {
    return leaderGetKey(this.runner, key);
  }

  /** `leader-set k=v ...`: immediate, leader only; `null` deletes; Juju trims values. */
  leaderSet(values: Readonly<Record<string, string | null>>): void {
    leaderSet(this.runner, values);
  }

  // Relations

  /** `relation-ids <endpoint>`: ids of the live relations on an endpoint. */
  relationIds(endpoint?: string): number[] {
    return relationIds(this.runner, endpoint);
  }

  /** `relation-list`: the remote units in a relation. */
  relationList(options?: RelationOptions): string[] {
    return relationList(this.runner, options);
  }

  /** `relation-list --app`: the remote application's name. */
  relationRemoteApp(options?: RelationOptions): string | undefined {
    return relationRemoteApp(this.runner, options);
  }

  /** `relation-get -`: a whole unit or app databag. */
  relationGet(options?: RelationGetOptions): Record<string, string> {
    return relationGet(this.runner, options);
  }

  /** `relation-get <key>`: one value of a databag, `undefined` when absent. */
  relationGetKey(key: string, options?: RelationGetOptions): string | undefined {
    return relationGetKey(this.runner, key, options);
  }

  /** `relation-set --file -`: writes this unit's or app's databag exactly; `null` deletes. */
  relationSet(values: Readonly<Record<string, string | null>>, options?: RelationSetOptions): void {
    relationSet(this.runner, values, options);
  }

  /** `relation-model-get`: the remote side's model uuid. */
  relationModelGet(options?: RelationOptions): { uuid: string } {
    return relationModelGet(this.runner, options);
  }

  // Config

  /** `config-get`: the options that are set or have a default. */
  configGet(): Record<string, ConfigValue> {
    return configGet(this.runner);
  }

  /** `config-get --all`: every option, `null` for unset ones without default. */
  configGetAll(): Record<string, ConfigValue | null> {
    return configGetAll(this.runner);
  }

  /** `config-get <key>`: one option, `undefined` when unknown or unset. */
  configGetKey(key: string): ConfigValue | undefined {
    return configGetKey(this.runner, key);
  }

  // Status

  /** `status-get --include-data`: this unit's status. */
  statusGet(): StatusInfo {
    return statusGet(this.runner);
  }

  /** `status-get --include-data --application`: the app's and its units' statuses (leader only). */
  applicationStatusGet(): ApplicationStatusInfo {
    return applicationStatusGet(this.runner);
  }

  /** `status-set [--application] <status> <message>`: immediate. */
  statusSet(status: SettableStatus, message?: string, options?: StatusSetOptions): void {
    statusSet(this.runner, status, message, options);
  }

  /** `application-version-set <version>`: the workload version shown by `juju status`. */
  applicationVersionSet(version: string): void {
    applicationVersionSet(this.runner, version);
  }

  // Actions

  /** `action-get`: all action parameters. */
  actionGet(): JsonObject {
    return actionGet(this.runner);
  }

  /** `action-get <key>`: one parameter (dotted keys walk maps), `undefined` when absent. */
  actionGetKey(key: string): JsonValue | undefined {
    return actionGetKey(this.runner, key);
  }

  /** `action-set k=v ...`: action results, nested maps flattened to dotted keys. */
  actionSet(results: ActionResults): void {
    actionSet(this.runner, results);
  }

  /** `action-log <message>`: a progress message. */
  actionLog(message: string): void {
    actionLog(this.runner, message);
  }

  /** `action-fail [message]`: marks the action failed; the process keeps running. */
  actionFail(message?: string): void {
    actionFail(this.runner, message);
  }

  // Unit state

  /** `state-get`: the unit's server-side state (`{}` when empty). */
  stateGet(): Record<string, string> {
    return stateGet(this.runner);
  }

  /** `state-get --strict <key>`: one value, `undefined` when absent. */
  stateGetKey(key: string): string | undefined {
    return stateGetKey(this.runner, key);
  }

  /** `state-set --file -`: stores values exactly; committed with the hook. */
  stateSet(values: Readonly<Record<string, string>>): void {
    stateSet(this.runner, values);
  }

  /** `state-delete <key>`: removes a key; committed with the hook. */
  stateDelete(key: string): void {
    stateDelete(this.runner, key);
  }

  // Ports

  /** `open-port`: opens a port, range or ICMP when the hook succeeds. */
  openPort(port: Port | number, options?: PortOptions): void {
    openPort(this.runner, port, options);
  }

  /** `close-port`: closes a port, range or ICMP when the hook succeeds. */
  closePort(port: Port | number, options?: PortOptions): void {
    closePort(this.runner, port, options);
  }

  /** `opened-ports [--endpoints]`: the committed open ports. */
  openedPorts(options?: OpenedPortsOptions): OpenedPort[] {
    return openedPorts(this.runner, options);
  }

  // Secrets

  /** `secret-add`: creates a secret, returns its URI. */
  secretAdd(content: Readonly<Record<string, string>>, options?: SecretAddOptions): string {
    return secretAdd(this.runner, content, options);
  }

  /** `secret-get`: a secret's content, by id and/or label. */
  secretGet(options: SecretGetOptions): Record<string, string> {
    return secretGet(this.runner, options);
  }

  /** `secret-info-get`: a secret's metadata, by id or label. */
  secretInfoGet(selector: SecretSelector): SecretInfo {
    return secretInfoGet(this.runner, selector);
  }

  /** `secret-set`: new content and/or metadata for a secret. */
  secretSet(id: string, options: SecretSetOptions): void {
    secretSet(this.runner, id, options);
  }

  /** `secret-grant`: lets a related app (or unit) read a secret. */
  secretGrant(id: string, relationId: RelationRef, options?: SecretGrantOptions): void {
    secretGrant(this.runner, id, relationId, options);
  }

  /** `secret-revoke`: withdraws a grant. */
  secretRevoke(id: string, relationId: RelationRef, options?: SecretGrantOptions): void {
    secretRevoke(this.runner, id, relationId, options);
  }

  /** `secret-remove [--revision N]`: removes a secret or one revision. */
  secretRemove(id: string, options?: SecretRemoveOptions): void {
    secretRemove(this.runner, id, options);
  }

  /** `secret-ids`: ids of the secrets this unit/app owns. */
  secretIds(): string[] {
    return secretIds(this.runner);
  }

  // Network, storage and the rest

  /** `network-get <binding> [-r id]`: addresses for a binding. */
  networkGet(binding: string, options?: NetworkGetOptions): NetworkInfo {
    return networkGet(this.runner, binding, options);
  }

  /** `storage-list [name]`: attached storage ids. */
  storageList(name?: string): string[] {
    return storageList(this.runner, name);
  }

  /** `storage-get [-s id]`: a storage instance's kind and location. */
  storageGet(options?: StorageGetOptions): StorageInfo {
    return storageGet(this.runner, options);
  }

  /** `storage-add name=count ...`: requests more storage when the hook succeeds. */
  storageAdd(counts: Readonly<Record<string, number>>): void {
    storageAdd(this.runner, counts);
  }

  /** `resource-get <name>`: the local path of a resource. */
  resourceGet(name: string): string {
    return resourceGet(this.runner, name);
  }

  /** `goal-state`: where this application and its relations are heading. */
  goalState(): GoalState {
    return goalState(this.runner);
  }

  /** `credential-get`: the cloud spec and credential (trusted apps only). */
  credentialGet(): CloudSpec {
    return credentialGet(this.runner);
  }

  /** `juju-reboot [--now]`: reboots the machine after (or, with `now`, during) the hook. */
  jujuReboot(options?: RebootOptions): void {
    jujuReboot(this.runner, options);
  }

  /** `juju-log --log-level LEVEL -- message`: writes to the unit's log (long messages split). */
  jujuLog(level: JujuLogLevel, message: string): void {
    jujuLog(this.runner, level, message);
  }

  /** `unit-get private-address|public-address` (legacy; prefer `networkGet`). */
  unitGet(setting: UnitSetting): string {
    return unitGet(this.runner, setting);
  }
}
