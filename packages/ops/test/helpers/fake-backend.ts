import { hookToolFailure } from '../../src/hook-tools/errors.js';
import type {
  CloudSpec,
  ConfigValue,
  GoalState,
  NetworkInfo,
  Port,
  SecretOwner,
  SettableStatusName,
} from '../../src/index.js';
import type {
  BackendSecretInfo,
  ModelBackend,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretSelector,
  StorageInfo,
} from '../../src/internal/index.js';
import type { Pebble } from '../../src/pebble/pebble-api.js';
import { PebbleClient, pebbleSocketPath } from '../../src/pebble/pebble-client.js';

/** A secret as the fake Juju keeps it. */
export interface FakeSecret {
  /** The bare 20-character id. */
  readonly xid: string;
  /** This unit's or application's, or null for another application's secret granted to this one. */
  owner: SecretOwner | null;
  /** The revision an observer reads until it refreshes (null: the latest). */
  tracked: number | null;
  label: string | null;
  description: string | null;
  expire: string | null;
  rotate: string | null;
  /** Content per revision; the last is the latest. */
  revisions: Record<string, string>[];
  grants: string[];
}

/** A formatted port, as opened-ports prints it. */
function portText(port: Port): string {
  if (port.protocol === 'icmp') return 'icmp';
  return port.toPort === undefined
    ? `${port.port}/${port.protocol}`
    : `${port.port}-${port.toPort}/${port.protocol}`;
}

/**
 * Fails as the hook tool would have, printing `ERROR <message>` and exiting with `exitCode`: the
 * error class comes from production's own stderr mapping.
 */
function fail(tool: string, exitCode: 1 | 2, message: string): never {
  throw hookToolFailure(tool, [], exitCode, `ERROR ${message}\n`);
}

/**
 * An in-memory Juju for framework tests: it records every call as a hook tool would be run, and
 * refuses what Juju refuses with the error class production raises (the backend contract suite
 * in packages/testing/test/backend-contract holds it to that).
 */
export class FakeBackend implements ModelBackend {
  leader = false;
  /** Each container's Pebble; a container not listed gets a client on the default socket. */
  pebbles = new Map<string, Pebble>();
  /**
   * This unit (`web/0`). When set, relation-get and relation-set follow Juju's rules of who may
   * read and write which bag; when null, any bag is read and writes are only recorded.
   */
  unitName: string | null = null;
  modelUuid = 'a1b2c3d4-0000-4000-8000-000000000001';
  config: Record<string, ConfigValue> = {};
  relations = new Map<number, { endpoint: string; units: string[]; app: string | null; model?: string }>();
  bags = new Map<string, Record<string, string>>();
  status = { unit: { status: 'maintenance', message: '' }, app: { status: 'unknown', message: '' } };
  /** The running action's parameters, or null outside an action (action tools then fail). */
  actionParams: Record<string, unknown> | null = {};
  actionResults: Record<string, string> = {};
  actionLogs: string[] = [];
  actionFailure: string | null = null;
  /** Secrets by bare id. */
  secrets = new Map<string, FakeSecret>();
  /** Ports committed by earlier hooks: what opened-ports reports. */
  ports: Port[] = [];
  /** This hook's open-port/close-port requests (Juju applies them when the hook succeeds). */
  readonly portChanges: { open: boolean; port: Port }[] = [];
  /** network-get answers by binding name (and `name:id` for a relation). */
  networks = new Map<string, NetworkInfo>();
  /** Attached storage: id (`data/0`) → location. */
  storage = new Map<string, string>();
  /** What storage-add asked for, by storage name. */
  readonly requestedStorage: Record<string, number> = {};
  resources = new Map<string, string>();
  goal: GoalState = { units: {}, relations: {} };
  cloud: CloudSpec | null = null;
  readonly calls: string[] = [];
  #nextSecret = 0;

  bagKey(relationId: number, member: string): string {
    return `${relationId}:${member}`;
  }
  pebble(containerName: string): Pebble {
    return (
      this.pebbles.get(containerName) ?? new PebbleClient({ socketPath: pebbleSocketPath(containerName) })
    );
  }
  isLeader(): boolean {
    this.calls.push('is-leader');
    return this.leader;
  }
  leaderSettings: Record<string, string> = {};
  leaderGet(): Record<string, string> {
    this.calls.push('leader-get');
    return { ...this.leaderSettings };
  }
  leaderSet(values: Readonly<Record<string, string | null>>): void {
    this.calls.push(`leader-set ${JSON.stringify(values)}`);
    if (!this.leader)
      fail('leader-set', 1, 'cannot write leadership settings: cannot write settings: not the leader');
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === '') delete this.leaderSettings[key];
      else this.leaderSettings[key] = value;
    }
  }
  configGet(): Record<string, ConfigValue> {
    this.calls.push('config-get');
    return { ...this.config };
  }
  relationIds(endpoint: string): number[] {
    this.calls.push(`relation-ids ${endpoint}`);
    return [...this.relations].filter(([, r]) => r.endpoint === endpoint).map(([id]) => id);
  }
  /** The relation `relationId`; an unknown id is Juju's argument error. */
  #relation(tool: string, relationId: number) {
    const relation = this.relations.get(relationId);
    if (!relation) fail(tool, 2, `invalid value "${relationId}" for flag -r: relation not found`);
    return relation;
  }
  /** This unit's application, when {@link unitName} is set. */
  get #app(): string | null {
    return this.unitName === null ? null : (this.unitName.split('/')[0] ?? null);
  }
  relationList(relationId: number): string[] {
    this.calls.push(`relation-list ${relationId}`);
    return [...this.#relation('relation-list', relationId).units];
  }
  relationRemoteApp(relationId: number): string | null {
    this.calls.push(`relation-list --app ${relationId}`);
    return this.#relation('relation-list', relationId).app;
  }
  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    this.calls.push(`relation-get ${relationId} ${member}${isApp ? ' --app' : ''}`);
    const relation = this.#relation('relation-get', relationId);
    const bag = this.bags.get(this.bagKey(relationId, member));
    const ownApp = this.#app;
    if (ownApp !== null && member !== this.unitName) {
      const peer = relation.app === ownApp;
      const memberApp = isApp ? member : member.split('/')[0];
      // A non-leader reads its own application's bag in a peer relation only.
      if (isApp && member === ownApp && !peer && !this.leader) fail('relation-get', 1, 'permission denied');
      if (memberApp !== relation.app && !(isApp && member === ownApp))
        fail('relation-get', 1, 'permission denied');
      if (!isApp && bag === undefined && !relation.units.includes(member)) {
        fail('relation-get', 1, `cannot read settings for unit "${member}": settings not found`);
      }
    }
    return { ...(bag ?? {}) };
  }
  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    this.calls.push(`relation-set ${relationId}${isApp ? ' --app' : ''} ${JSON.stringify(changes)}`);
    this.#relation('relation-set', relationId);
    if (isApp && !this.leader) fail('relation-set', 1, 'cannot write relation settings');
    const member = isApp ? this.#app : this.unitName;
    if (member === null) return;
    const key = this.bagKey(relationId, member);
    const bag = { ...(this.bags.get(key) ?? {}) };
    for (const [name, value] of Object.entries(changes)) {
      if (value === '') delete bag[name];
      else bag[name] = value;
    }
    this.bags.set(key, bag);
  }
  relationModelGet(relationId: number): string {
    this.calls.push(`relation-model-get ${relationId}`);
    return this.#relation('relation-model-get', relationId).model ?? this.modelUuid;
  }
  statusGet(isApp: boolean): { status: string; message: string } {
    this.calls.push(`status-get${isApp ? ' --application' : ''}`);
    if (isApp && !this.leader)
      fail('status-get', 1, 'finding application status: this unit is not the leader');
    return isApp ? this.status.app : this.status.unit;
  }
  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    this.calls.push(`status-set${isApp ? ' --application' : ''} ${status} ${message}`.trimEnd());
    if (isApp && !this.leader) fail('status-set', 1, 'this unit is not the leader');
    if (isApp) this.status.app = { status, message };
    else this.status.unit = { status, message };
  }
  applicationVersionSet(version: string): void {
    this.calls.push(`application-version-set ${version}`);
  }
  #action(tool: string): Record<string, unknown> {
    if (this.actionParams === null) fail(tool, 1, 'not running an action');
    return this.actionParams;
  }
  actionGet(): Record<string, unknown> {
    this.calls.push('action-get');
    return this.#action('action-get');
  }
  actionSet(results: Record<string, string>): void {
    this.calls.push(`action-set ${JSON.stringify(results)}`);
    this.#action('action-set');
    Object.assign(this.actionResults, results);
  }
  actionLog(message: string): void {
    this.calls.push(`action-log ${message}`);
    this.#action('action-log');
    this.actionLogs.push(message);
  }
  actionFail(message: string): void {
    this.calls.push(`action-fail ${message}`);
    this.#action('action-fail');
    this.actionFailure = message;
  }

  // Secrets

  /** Adds a secret as if another unit or an earlier hook had created it; returns its full URI. */
  seedSecret(
    content: Record<string, string>,
    options: { owner?: SecretOwner | null; label?: string; xid?: string } = {},
  ): string {
    const xid = options.xid ?? this.#newXid();
    this.secrets.set(xid, {
      xid,
      owner: options.owner === undefined ? 'application' : options.owner,
      tracked: null,
      label: options.label ?? null,
      description: null,
      expire: null,
      rotate: null,
      revisions: [{ ...content }],
      grants: [],
    });
    return `secret://${this.modelUuid}/${xid}`;
  }

  #newXid(): string {
    this.#nextSecret++;
    return `cq${String(this.#nextSecret).padStart(18, '0')}`;
  }

  #find(tool: string, selector: { id?: string | undefined; label?: string | undefined }): FakeSecret {
    const secret =
      selector.id !== undefined
        ? this.secrets.get(selector.id.slice(-20))
        : [...this.secrets.values()].find((s) => s.label === selector.label);
    if (!secret) fail(tool, 1, `secret "${selector.id ?? selector.label}" not found`);
    return secret;
  }

  /** Juju shows a unit the metadata of its own secrets, and the leader its application's too. */
  #seesMetadata(secret: FakeSecret): boolean {
    return secret.owner === 'unit' || (secret.owner === 'application' && this.leader);
  }

  /** A secret whose metadata this unit sees; any other is `not found` (secret-info-get, secret-grant). */
  #findOwned(tool: string, selector: { id?: string | undefined; label?: string | undefined }): FakeSecret {
    const secret = this.#find(tool, selector);
    if (!this.#seesMetadata(secret)) fail(tool, 1, `secret "${selector.id ?? selector.label}" not found`);
    return secret;
  }

  /**
   * A secret this unit may change. Juju buffers secret-set/-remove/-revoke and the controller
   * refuses them when the hook ends (`permission denied`); the fake refuses at the call.
   */
  #findManaged(tool: string, id: string): FakeSecret {
    const secret = this.#find(tool, { id });
    if (!this.#seesMetadata(secret)) fail(tool, 1, 'permission denied');
    return secret;
  }

  #meta(options: SecretMetadataArgs): string {
    const parts = [
      options.label === undefined ? '' : ` --label ${options.label}`,
      options.description === undefined ? '' : ` --description ${options.description}`,
      options.expire === undefined ? '' : ` --expire ${options.expire}`,
      options.rotate === undefined ? '' : ` --rotate ${options.rotate}`,
    ];
    return parts.join('');
  }

  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string {
    this.calls.push(`secret-add --owner ${options.owner}${this.#meta(options)} ${JSON.stringify(content)}`);
    if (options.owner === 'application' && !this.leader) fail('secret-add', 1, 'this unit is not the leader');
    const uri = this.seedSecret(
      { ...content },
      {
        owner: options.owner,
        ...(options.label === undefined ? {} : { label: options.label }),
      },
    );
    const secret = this.secrets.get(uri.slice(-20)) as FakeSecret;
    secret.description = options.description ?? null;
    secret.expire = options.expire ?? null;
    secret.rotate = options.rotate ?? null;
    return uri;
  }
  secretGet(options: SecretGetArgs): Record<string, string> {
    const flags = `${options.label === undefined ? '' : ` --label ${options.label}`}${options.peek ? ' --peek' : ''}${options.refresh ? ' --refresh' : ''}`;
    this.calls.push(`secret-get${options.id === undefined ? '' : ` ${options.id}`}${flags}`);
    const secret = this.#find('secret-get', options);
    if (options.id !== undefined && options.label !== undefined) secret.label = options.label;
    const latest = secret.revisions.length;
    // An observer reads the revision it tracks until it refreshes; peek reads the latest once.
    if (options.refresh) secret.tracked = latest;
    const revision = options.peek || secret.owner !== null ? latest : (secret.tracked ?? latest);
    return { ...(secret.revisions[revision - 1] ?? {}) };
  }
  secretInfoGet(selector: SecretSelector): BackendSecretInfo {
    this.calls.push(`secret-info-get ${selector.id ?? `--label ${selector.label}`}`);
    const secret = this.#findOwned('secret-info-get', selector);
    return {
      id: secret.xid,
      revision: secret.revisions.length,
      label: secret.label ?? '',
      owner: secret.owner ?? 'application',
      ...(secret.description === null ? {} : { description: secret.description }),
      ...(secret.rotate === null ? {} : { rotation: secret.rotate }),
      ...(secret.expire === null ? {} : { expiry: new Date(secret.expire) }),
      access: [],
    };
  }
  secretSet(
    id: string,
    options: SecretMetadataArgs & { readonly content?: Readonly<Record<string, string>> },
  ): void {
    this.calls.push(
      `secret-set ${id}${this.#meta(options)}${options.content === undefined ? '' : ` ${JSON.stringify(options.content)}`}`,
    );
    const secret = this.#findManaged('secret-set', id);
    if (options.content !== undefined) secret.revisions.push({ ...options.content });
    if (options.label !== undefined) secret.label = options.label;
    if (options.description !== undefined) secret.description = options.description;
    if (options.expire !== undefined) secret.expire = options.expire;
    if (options.rotate !== undefined) secret.rotate = options.rotate;
  }
  secretGrant(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-grant ${id} -r ${relationId}${unit === null ? '' : ` --unit ${unit}`}`);
    this.#findOwned('secret-grant', { id }).grants.push(`${relationId}${unit === null ? '' : `/${unit}`}`);
  }
  secretRevoke(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-revoke ${id} -r ${relationId}${unit === null ? '' : ` --unit ${unit}`}`);
    const secret = this.#findManaged('secret-revoke', id);
    const target = `${relationId}${unit === null ? '' : `/${unit}`}`;
    secret.grants = secret.grants.filter((g) => g !== target);
  }
  secretRemove(id: string, revision: number | null): void {
    this.calls.push(`secret-remove ${id}${revision === null ? '' : ` --revision ${revision}`}`);
    const secret = this.#findManaged('secret-remove', id);
    if (revision === null) this.secrets.delete(secret.xid);
  }

  // Ports

  openPort(port: Port): void {
    this.calls.push(`open-port ${portText(port)}`);
    this.portChanges.push({ open: true, port });
  }
  closePort(port: Port): void {
    this.calls.push(`close-port ${portText(port)}`);
    this.portChanges.push({ open: false, port });
  }
  openedPorts(): Port[] {
    this.calls.push('opened-ports');
    return [...this.ports];
  }

  // Network, storage and the rest

  networkGet(binding: string, relationId: number | null): NetworkInfo {
    this.calls.push(`network-get ${binding}${relationId === null ? '' : ` -r ${relationId}`}`);
    if (relationId !== null) this.#relation('network-get', relationId);
    const info =
      this.networks.get(relationId === null ? binding : `${binding}:${relationId}`) ??
      this.networks.get(binding);
    if (!info) fail('network-get', 1, `no network config found for binding "${binding}"`);
    return info;
  }
  storageList(name: string): string[] {
    this.calls.push(`storage-list ${name}`);
    return [...this.storage.keys()].filter((id) => id.startsWith(`${name}/`));
  }
  storageGet(id: string): StorageInfo {
    this.calls.push(`storage-get -s ${id}`);
    const location = this.storage.get(id);
    if (location === undefined)
      fail('storage-get', 2, `invalid value "${id}" for flag -s: storage instance "${id}" not found`);
    return { kind: 'filesystem', location };
  }
  storageAdd(counts: Readonly<Record<string, number>>): void {
    this.calls.push(
      `storage-add ${Object.entries(counts)
        .map(([n, c]) => `${n}=${c}`)
        .join(' ')}`,
    );
    for (const [name, count] of Object.entries(counts))
      this.requestedStorage[name] = (this.requestedStorage[name] ?? 0) + count;
  }
  resourceGet(name: string): string {
    this.calls.push(`resource-get ${name}`);
    const path = this.resources.get(name);
    if (path === undefined)
      fail('resource-get', 1, `could not download resource: resource "${name}" not found`);
    return path;
  }
  goalState(): GoalState {
    this.calls.push('goal-state');
    return this.goal;
  }
  credentialGet(): CloudSpec {
    this.calls.push('credential-get');
    if (!this.cloud) fail('credential-get', 1, 'cannot access cloud credentials: permission denied');
    return this.cloud;
  }
  reboot(now: boolean): void {
    this.calls.push(`juju-reboot${now ? ' --now' : ''}`);
  }
}
