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
} from '../../src/index.js';

/** A secret as the fake Juju keeps it. */
export interface FakeSecret {
  /** The bare 20-character id. */
  readonly xid: string;
  owner: SecretOwner;
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

/** An in-memory Juju for framework tests: it records every call as a hook tool would be run. */
export class FakeBackend implements ModelBackend {
  leader = false;
  modelUuid = 'a1b2c3d4-0000-4000-8000-000000000001';
  config: Record<string, ConfigValue> = {};
  relations = new Map<number, { endpoint: string; units: string[]; app: string | null; model?: string }>();
  bags = new Map<string, Record<string, string>>();
  status = { unit: { status: 'maintenance', message: '' }, app: { status: 'unknown', message: '' } };
  actionParams: Record<string, unknown> = {};
  actionResults: Record<string, string> = {};
  actionLogs: string[] = [];
  actionFailure: string | null = null;
  /** Secrets by bare id. */
  secrets = new Map<string, FakeSecret>();
  /** Committed open ports. */
  ports: Port[] = [];
  /** network-get answers by binding name (and `name:id` for a relation). */
  networks = new Map<string, NetworkInfo>();
  /** Attached storage: id (`data/0`) → location. */
  storage = new Map<string, string>();
  resources = new Map<string, string>();
  goal: GoalState = { units: {}, relations: {} };
  cloud: CloudSpec | null = null;
  readonly calls: string[] = [];
  #nextSecret = 0;

  bagKey(relationId: number, member: string): string {
    return `${relationId}:${member}`;
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
  relationModelGet(relationId: number): string {
    this.calls.push(`relation-model-get ${relationId}`);
    const relation = this.relations.get(relationId);
    if (!relation) throw this.#notFound('relation-model-get', 'relation not found');
    return relation.model ?? this.modelUuid;
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

  // Secrets

  /** Adds a secret as if another unit or an earlier hook had created it; returns its full URI. */
  seedSecret(content: Record<string, string>, options: { owner?: SecretOwner; label?: string } = {}): string {
    const xid = this.#newXid();
    this.secrets.set(xid, {
      xid,
      owner: options.owner ?? 'application',
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

  #notFound(tool: string, message: string): SecretNotFoundError | RelationNotFoundError {
    const ErrorClass = tool.startsWith('secret-') ? SecretNotFoundError : RelationNotFoundError;
    return new ErrorClass(`${tool} failed with exit code ${tool.startsWith('secret-') ? 1 : 2}: ${message}`, {
      tool,
      args: [],
      exitCode: tool.startsWith('secret-') ? 1 : 2,
      stderr: `ERROR ${message}`,
    });
  }

  #find(tool: string, selector: { id?: string | undefined; label?: string | undefined }): FakeSecret {
    const secret =
      selector.id !== undefined
        ? this.secrets.get(selector.id.slice(-20))
        : [...this.secrets.values()].find((s) => s.label === selector.label);
    if (!secret) throw this.#notFound(tool, `secret "${selector.id ?? selector.label}" not found`);
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
    return { ...(secret.revisions.at(-1) ?? {}) };
  }
  secretInfoGet(selector: SecretSelector): BackendSecretInfo {
    this.calls.push(`secret-info-get ${selector.id ?? `--label ${selector.label}`}`);
    const secret = this.#find('secret-info-get', selector);
    return {
      id: secret.xid,
      revision: secret.revisions.length,
      label: secret.label ?? '',
      owner: secret.owner,
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
    const secret = this.#find('secret-set', { id });
    if (options.content !== undefined) secret.revisions.push({ ...options.content });
    if (options.label !== undefined) secret.label = options.label;
    if (options.description !== undefined) secret.description = options.description;
    if (options.expire !== undefined) secret.expire = options.expire;
    if (options.rotate !== undefined) secret.rotate = options.rotate;
  }
  secretGrant(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-grant ${id} -r ${relationId}${unit === null ? '' : ` --unit ${unit}`}`);
    this.#find('secret-grant', { id }).grants.push(`${relationId}${unit === null ? '' : `/${unit}`}`);
  }
  secretRevoke(id: string, relationId: number, unit: string | null): void {
    this.calls.push(`secret-revoke ${id} -r ${relationId}${unit === null ? '' : ` --unit ${unit}`}`);
    const secret = this.#find('secret-revoke', { id });
    const target = `${relationId}${unit === null ? '' : `/${unit}`}`;
    secret.grants = secret.grants.filter((g) => g !== target);
  }
  secretRemove(id: string, revision: number | null): void {
    this.calls.push(`secret-remove ${id}${revision === null ? '' : ` --revision ${revision}`}`);
    const secret = this.#find('secret-remove', { id });
    if (revision === null) this.secrets.delete(secret.xid);
  }

  // Ports

  openPort(port: Port): void {
    this.calls.push(`open-port ${portText(port)}`);
    if (!this.ports.some((p) => portText(p) === portText(port))) this.ports.push(port);
  }
  closePort(port: Port): void {
    this.calls.push(`close-port ${portText(port)}`);
    this.ports = this.ports.filter((p) => portText(p) !== portText(port));
  }
  openedPorts(): Port[] {
    this.calls.push('opened-ports');
    return [...this.ports];
  }

  // Network, storage and the rest

  networkGet(binding: string, relationId: number | null): NetworkInfo {
    this.calls.push(`network-get ${binding}${relationId === null ? '' : ` -r ${relationId}`}`);
    if (relationId !== null && !this.relations.has(relationId)) {
      throw this.#notFound('network-get', 'relation not found');
    }
    const info =
      this.networks.get(relationId === null ? binding : `${binding}:${relationId}`) ??
      this.networks.get(binding);
    if (!info)
      throw new RelationNotFoundError(`no binding ${binding}`, {
        tool: 'network-get',
        args: [],
        exitCode: 1,
        stderr: '',
      });
    return info;
  }
  storageList(name: string): string[] {
    this.calls.push(`storage-list ${name}`);
    return [...this.storage.keys()].filter((id) => id.startsWith(`${name}/`));
  }
  storageGet(id: string): StorageInfo {
    this.calls.push(`storage-get -s ${id}`);
    return { kind: 'filesystem', location: this.storage.get(id) ?? '' };
  }
  storageAdd(counts: Readonly<Record<string, number>>): void {
    this.calls.push(
      `storage-add ${Object.entries(counts)
        .map(([n, c]) => `${n}=${c}`)
        .join(' ')}`,
    );
  }
  resourceGet(name: string): string {
    this.calls.push(`resource-get ${name}`);
    const path = this.resources.get(name);
    if (path === undefined) throw new Error(`resource ${name} not available`);
    return path;
  }
  goalState(): GoalState {
    this.calls.push('goal-state');
    return this.goal;
  }
  credentialGet(): CloudSpec {
    this.calls.push('credential-get');
    if (!this.cloud) throw new Error('not trusted');
    return this.cloud;
  }
  reboot(now: boolean): void {
    this.calls.push(`juju-reboot${now ? ' --now' : ''}`);
  }
}
