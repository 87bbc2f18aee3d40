import type { ConfigValue } from '../hook-tools/config.js';
import type { CloudSpec } from '../hook-tools/credential.js';
import type { GoalState } from '../hook-tools/goal-state.js';
import type { NetworkInfo } from '../hook-tools/network.js';
import type { Port } from '../hook-tools/ports.js';
import type {
  SecretInfo as BackendSecretInfo,
  SecretOwner,
  SecretRotatePolicy,
  SecretSelector,
} from '../hook-tools/secret.js';
import type { StorageInfo } from '../hook-tools/storage.js';
import type { Pebble } from '../pebble/pebble-api.js';

export type {
  BackendSecretInfo,
  CloudSpec,
  ConfigValue,
  GoalState,
  NetworkInfo,
  Port,
  SecretOwner,
  SecretRotatePolicy,
  SecretSelector,
  StorageInfo,
};

/** The settable status names. */
export type SettableStatusName = 'active' | 'blocked' | 'maintenance' | 'waiting';

/**
 * Secret metadata as the backend receives it: already validated, the expiry already an absolute
 * RFC 3339 time (the model converts `Date`s and durations).
 */
export interface SecretMetadataArgs {
  readonly label?: string;
  readonly description?: string;
  readonly expire?: string;
  readonly rotate?: SecretRotatePolicy;
}

/** How the backend reads a secret: by id and/or label; `peek` and `refresh` never both. */
export interface SecretGetArgs {
  readonly id?: string;
  readonly label?: string;
  readonly peek?: boolean;
  readonly refresh?: boolean;
}

/**
 * What the model needs from Juju, one method per question or write. In a hook it is served by the
 * real hook tools; the testing package serves it from an in-memory `State`. Every method is
 * synchronous: a hook is one short sequential process.
 *
 * The model validates every argument before calling a method, and buffers the writes Juju only
 * applies at the end of a successful hook, so an implementation can stay a thin translation.
 */
export interface ModelBackend {
  /** `is-leader`. */
  isLeader(): boolean;
  /** `leader-get`: every leader setting. */
  leaderGet(): Record<string, string>;
  /** `leader-set`: immediate (not undone if the hook fails); `null` deletes. Leader only. */
  leaderSet(values: Readonly<Record<string, string | null>>): void;
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
  /** `relation-model-get -r <id>`: the uuid of the model the remote side lives in. */
  relationModelGet(relationId: number): string;
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

  /** `secret-add --owner <owner> …`: creates a secret, returns its URI. */
  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string;
  /**
   * `secret-get`: the content. Must throw `SecretNotFoundError` for an unknown secret (the model
   * relies on it to fail early).
   */
  secretGet(options: SecretGetArgs): Record<string, string>;
  /** `secret-info-get <id> | --label <label>`: the owner's view of a secret's metadata. */
  secretInfoGet(selector: SecretSelector): BackendSecretInfo;
  /** `secret-set <id>`: new content (a new revision) and/or metadata. */
  secretSet(
    id: string,
    options: SecretMetadataArgs & { readonly content?: Readonly<Record<string, string>> },
  ): void;
  /** `secret-grant <id> -r <relation> [--unit <unit>]`. */
  secretGrant(id: string, relationId: number, unit: string | null): void;
  /** `secret-revoke <id> -r <relation> [--unit <unit>]`. */
  secretRevoke(id: string, relationId: number, unit: string | null): void;
  /** `secret-remove <id> [--revision <n>]`: one revision, or (null) the whole secret. */
  secretRemove(id: string, revision: number | null): void;

  /** `open-port <spec>`. */
  openPort(port: Port): void;
  /** `close-port <spec>`. */
  closePort(port: Port): void;
  /** `opened-ports`: what committed hooks opened for this unit (endpoints ignored). */
  openedPorts(): Port[];

  /**
   * `network-get <binding> [-r <id>]`. With a relation id, must throw `RelationNotFoundError` for a
   * relation Juju does not know (the model then asks about the endpoint alone).
   */
  networkGet(binding: string, relationId: number | null): NetworkInfo;

  /** `storage-list <name>`: attached instance ids, `data/0`. */
  storageList(name: string): string[];
  /** `storage-get -s <id>`: kind and location of one instance. */
  storageGet(id: string): StorageInfo;
  /** `storage-add name=count …`. */
  storageAdd(counts: Readonly<Record<string, number>>): void;

  /** `resource-get <name>`: the local path of a resource. */
  resourceGet(name: string): string;
  /** `goal-state`. */
  goalState(): GoalState;
  /** `credential-get`: the cloud spec (trusted applications only). */
  credentialGet(): CloudSpec;
  /** `juju-reboot [--now]`. */
  reboot(now: boolean): void;

  /**
   * The Pebble of the own unit's workload container `containerName` (its unix socket in a real
   * hook; an in-memory stand-in in tests). Called once per container per hook; no I/O until used.
   */
  pebble(containerName: string): Pebble;
}
