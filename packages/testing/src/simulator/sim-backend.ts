import type {
  CloudSpec,
  ConfigValue,
  GoalState,
  NetworkInfo,
  SecretOwner,
  SettableStatusName,
} from '@charmkit/ops';
import {
  classifyHookToolFailure,
  formatPort,
  type HookToolError,
  type Port,
  parseOpenedPort,
  removedInJuju4Error,
} from '@charmkit/ops/hook-tools';
import type {
  BackendSecretInfo,
  ModelBackend,
  SecretGetArgs,
  SecretMetadataArgs,
  SecretSelector,
  StorageInfo,
} from '@charmkit/ops/internal';
import { PEBBLE_SOCKET_DIR_ENV, type Pebble, PebbleClient, pebbleSocketPath } from '@charmkit/ops/pebble';
import { ToolFailure } from './errors.js';
import type { HookSession } from './hook-session.js';
import type { RelationRecord } from './relation-record.js';
import { notRunningAction, type SimActionRun } from './sim-actions.js';
import { UNTRUSTED_CREDENTIALS } from './tool-commands.js';

/**
 * The model backend of an in-process simulated hook: every method is one hook-tool call against
 * the simulator's controller (through `HookSession`, which the socket tool server uses too),
 * recorded with the arguments `HookToolsBackend` would pass, and failing with the same
 * `HookToolError` class the real tool's exit code and `ERROR` text would produce.
 *
 * Secrets (owner writes buffered until the hook succeeds, consumers tracking revisions), storage
 * (`storage-add` applied when the hook succeeds), actions (inside `Simulator.runAction`) and
 * workload containers (the unit's in-memory Pebbles) are simulated as Juju does them. Resources and reboots are not: those methods fail with a clear
 * `HookToolError`, as the simulated tools do in process mode; `credential-get` answers as Juju
 * does for an application deployed without `--trust`. Beyond `ModelBackend` it offers leader
 * settings, unit state and logging under the `HookTools` method names.
 */
export class SimulatedBackend implements ModelBackend {
  constructor(
    /** The hook this backend serves. */
    readonly session: HookSession,
  ) {}

  #call<T>(tool: string, args: readonly string[], run: () => T): T {
    try {
      const record = this.session.call(tool, args);
      try {
        return run();
      } catch (error) {
        if (error instanceof ToolFailure) record.exitCode = error.exitCode;
        throw error;
      }
    } catch (error) {
      if (error instanceof ToolFailure) throw toHookToolError(tool, args, error);
      throw error;
    }
  }

  #refuseRemoved(tool: string, args: readonly string[]): void {
    const removed = removedInJuju4Error(tool, args, this.session.world.jujuVersion);
    if (removed) throw removed;
  }

  #relation(id: number): RelationRecord {
    const relation = this.session.findRelation(id);
    if (!relation) throw new ToolFailure(2, `invalid value "${id}" for flag -r: relation not found`);
    return relation;
  }

  /**
   * The unit's simulated container (its in-memory Pebble, as `Simulator` keeps it); a name the
   * charm's metadata does not declare gets a client on the socket path, which fails to connect as
   * it would on a unit.
   */
  pebble(containerName: string): Pebble {
    const simulated = this.session.unit.containers.get(containerName);
    if (simulated) return simulated;
    const dir = process.env[PEBBLE_SOCKET_DIR_ENV];
    return new PebbleClient({ socketPath: pebbleSocketPath(containerName, dir ? dir : undefined) });
  }

  isLeader(): boolean {
    return this.#call('is-leader', ['--format=json'], () => this.session.isLeader());
  }

  configGet(): Record<string, ConfigValue> {
    return this.#call('config-get', ['--format=json'], () => this.session.configGet());
  }

  relationIds(endpoint: string): number[] {
    return this.#call('relation-ids', ['--format=json', '--', endpoint], () =>
      this.session.relationIds(endpoint),
    );
  }

  relationList(relationId: number): string[] {
    return this.#call('relation-list', ['--format=json', '-r', String(relationId)], () =>
      this.session.relationList(this.#relation(relationId)),
    );
  }

  relationRemoteApp(relationId: number): string | null {
    return this.#call('relation-list', ['--format=json', '-r', String(relationId), '--app'], () => {
      const app = this.#relation(relationId).remoteApp;
      return app === '' ? null : app;
    });
  }

  relationGet(relationId: number, member: string, isApp: boolean): Record<string, string> {
    const args = ['--format=json', '-r', String(relationId), ...(isApp ? ['--app'] : []), '--', '-', member];
    return this.#call('relation-get', args, () =>
      this.session.relationGet(this.#relation(relationId), member, isApp),
    );
  }

  relationSet(relationId: number, changes: Record<string, string>, isApp: boolean): void {
    if (Object.keys(changes).length === 0) return;
    const args = ['-r', String(relationId), ...(isApp ? ['--app'] : []), '--file', '-'];
    this.#call('relation-set', args, () =>
      this.session.relationSet(this.#relation(relationId), changes, isApp),
    );
  }

  relationModelGet(relationId: number): string {
    return this.#call('relation-model-get', ['--format=json', '-r', String(relationId)], () => {
      this.#relation(relationId);
      return this.session.world.modelUuid;
    });
  }

  statusGet(isApp: boolean): { status: string; message: string } {
    const args = ['--format=json', '--include-data', ...(isApp ? ['--application'] : [])];
    return this.#call('status-get', args, () => {
      const status = isApp ? this.session.applicationStatus().app : this.session.unitStatus();
      return { status: status.status, message: status.message };
    });
  }

  statusSet(status: SettableStatusName, message: string, isApp: boolean): void {
    const args = [...(isApp ? ['--application'] : []), '--', status, message];
    this.#call('status-set', args, () => this.session.statusSet(status, message, isApp));
  }

  applicationVersionSet(version: string): void {
    this.#call('application-version-set', ['--', version], () => this.session.applicationVersionSet(version));
  }

  actionGet(): Record<string, unknown> {
    return this.#call('action-get', ['--format=json'], () => this.#action().get() as Record<string, unknown>);
  }

  actionSet(results: Record<string, string>): void {
    this.#call('action-set', ['--', '<redacted>'], () => this.#action().set(Object.entries(results)));
  }

  actionLog(message: string): void {
    this.#call('action-log', ['--', message], () => this.#action().log(message));
  }

  actionFail(message: string): void {
    this.#call('action-fail', message === '' ? [] : ['--', message], () => this.#action().fail(message));
  }

  #action(): SimActionRun {
    return this.session.action ?? notRunningAction();
  }

  secretAdd(
    content: Readonly<Record<string, string>>,
    options: SecretMetadataArgs & { readonly owner: SecretOwner },
  ): string {
    const { owner, ...metadata } = options;
    return this.#call('secret-add', [`--owner=${owner}`, ...metadataArgs(metadata), '--file=<content>'], () =>
      this.session.secrets.add(content, owner, metadata),
    );
  }

  secretGet(options: SecretGetArgs): Record<string, string> {
    const args = [
      '--format=json',
      ...(options.label === undefined ? [] : [`--label=${options.label}`]),
      ...(options.peek ? ['--peek'] : []),
      ...(options.refresh ? ['--refresh'] : []),
      ...(options.id === undefined ? [] : ['--', options.id]),
    ];
    return this.#call('secret-get', args, () => this.session.secrets.get(options));
  }

  secretInfoGet(selector: SecretSelector): BackendSecretInfo {
    const args = [
      '--format=json',
      ...(selector.id === undefined ? [`--label=${selector.label}`] : ['--', selector.id]),
    ];
    return this.#call('secret-info-get', args, () => {
      const info = this.session.secrets.info(selector);
      const expiry = info.expiry === undefined ? undefined : new Date(info.expiry);
      return {
        id: info.xid,
        revision: info.revision,
        label: info.label,
        owner: info.owner,
        ...(info.description === undefined ? {} : { description: info.description }),
        ...(info.rotation === undefined ? {} : { rotation: info.rotation }),
        ...(expiry === undefined || Number.isNaN(expiry.getTime()) ? {} : { expiry }),
        access: info.access.map((a) => ({ ...a })),
      };
    });
  }

  secretSet(
    id: string,
    options: SecretMetadataArgs & { readonly content?: Readonly<Record<string, string>> },
  ): void {
    const { content, ...metadata } = options;
    const args = [
      ...metadataArgs(metadata),
      ...(content === undefined ? [] : ['--file=<content>']),
      '--',
      id,
    ];
    this.#call('secret-set', args, () => this.session.secrets.set(id, content, metadata));
  }

  secretGrant(id: string, relationId: number, unit: string | null): void {
    const args = ['-r', String(relationId), ...(unit === null ? [] : [`--unit=${unit}`]), '--', id];
    this.#call('secret-grant', args, () => this.session.secrets.grant(id, relationId, unit));
  }

  secretRevoke(id: string, relationId: number, unit: string | null): void {
    const args = ['-r', String(relationId), ...(unit === null ? [] : [`--unit=${unit}`]), '--', id];
    this.#call('secret-revoke', args, () => this.session.secrets.grant(id, relationId, unit, true));
  }

  secretRemove(id: string, revision: number | null): void {
    const args = [...(revision === null ? [] : [`--revision=${revision}`]), '--', id];
    this.#call('secret-remove', args, () => this.session.secrets.remove(id, revision));
  }

  openPort(port: Port): void {
    this.#call('open-port', ['--', formatPort(port)], () =>
      this.session.changePort(true, { spec: formatPort(port), endpoints: '*' }),
    );
  }

  closePort(port: Port): void {
    this.#call('close-port', ['--', formatPort(port)], () =>
      this.session.changePort(false, { spec: formatPort(port), endpoints: '*' }),
    );
  }

  openedPorts(): Port[] {
    return this.#call('opened-ports', ['--format=json'], () =>
      this.session.openedPorts().flatMap((entry): Port[] => {
        const parsed = parseOpenedPort(entry.spec);
        if (!parsed) return [];
        if (parsed.protocol === 'icmp') return [{ protocol: 'icmp' }];
        return parsed.toPort === undefined
          ? [{ protocol: parsed.protocol, port: parsed.port }]
          : [{ protocol: parsed.protocol, port: parsed.port, toPort: parsed.toPort }];
      }),
    );
  }

  networkGet(binding: string, relationId: number | null): NetworkInfo {
    const args = ['--format=json', ...(relationId === null ? [] : ['-r', String(relationId)]), '--', binding];
    return this.#call('network-get', args, () => {
      if (relationId !== null) this.#relation(relationId);
      return this.session.networkGet(binding);
    });
  }

  storageList(name: string): string[] {
    return this.#call('storage-list', ['--format=json', '--', name], () => this.session.storageList(name));
  }

  storageGet(id: string): StorageInfo {
    return this.#call('storage-get', ['--format=json', '-s', id], () => this.session.storageGet(id));
  }

  storageAdd(counts: Readonly<Record<string, number>>): void {
    const entries = Object.entries(counts);
    if (entries.length === 0) return;
    this.#call('storage-add', ['--', ...entries.map(([k, v]) => `${k}=${v}`)], () => {
      for (const [name, count] of entries) this.session.storageAdd(name, count);
    });
  }

  resourceGet(name: string): string {
    return this.#call('resource-get', ['--', name], () => unsupported('resource-get'));
  }

  goalState(): GoalState {
    return this.#call('goal-state', ['--format=json'], () => this.session.goalState());
  }

  credentialGet(): CloudSpec {
    return this.#call('credential-get', ['--format=json'], () => {
      throw new ToolFailure(1, UNTRUSTED_CREDENTIALS);
    });
  }

  reboot(now: boolean): void {
    this.#call('juju-reboot', now ? ['--now'] : [], () => unsupported('juju-reboot'));
  }

  // Beyond ModelBackend (HookTools names)

  /** `leader-get` (Juju 3 only: on 4 it fails as `ToolRunner` makes it, before any call). */
  leaderGet(): Record<string, string> {
    this.#refuseRemoved('leader-get', ['--format=json']);
    return this.#call('leader-get', ['--format=json'], () => this.session.leaderGet());
  }

  /** `leader-set`: immediate; `null` or `''` deletes; values are trimmed as Juju trims arguments. */
  leaderSet(values: Readonly<Record<string, string | null>>): void {
    this.#refuseRemoved('leader-set', ['--', '<redacted>']);
    const entries = Object.entries(values).map(([k, v]) => [k, (v ?? '').trim()] as const);
    if (entries.length === 0) return;
    this.#call('leader-set', ['--', ...entries.map(([k, v]) => `${k}=${v}`)], () =>
      this.session.leaderSet(Object.fromEntries(entries)),
    );
  }

  /** `state-get`. */
  stateGet(): Record<string, string> {
    return this.#call('state-get', ['--format=json'], () => this.session.stateGet());
  }

  /** `state-set --file -`: buffered until the hook succeeds. */
  stateSet(values: Readonly<Record<string, string>>): void {
    if (Object.keys(values).length === 0) return;
    this.#call('state-set', ['--file', '-'], () => this.session.stateSet(values));
  }

  /** `state-delete`: buffered until the hook succeeds. */
  stateDelete(key: string): void {
    this.#call('state-delete', ['--', key], () => this.session.stateDelete(key));
  }

  /** `juju-log --log-level LEVEL -- message`. */
  jujuLog(level: string, message: string): void {
    this.#call('juju-log', ['--log-level', level, '--', message], () => this.session.log(level, message));
  }
}

function unsupported(tool: string): never {
  throw new ToolFailure(1, `${tool} is not supported by the charmkit simulator`);
}

/** The metadata flags `secret-add`/`secret-set` would get, for the trace. */
function metadataArgs(metadata: SecretMetadataArgs): string[] {
  return Object.entries(metadata)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `--${key}=${String(value)}`);
}

/** The error `HookTools` would throw for a tool that printed `ERROR <message>` and exited so. */
export function toHookToolError(tool: string, args: readonly string[], failure: ToolFailure): HookToolError {
  const stderr = `ERROR ${failure.message}`;
  const ErrorClass = classifyHookToolFailure(tool, failure.exitCode, stderr);
  return new ErrorClass(`${tool} failed with exit code ${failure.exitCode}: ${failure.message}`, {
    tool,
    args,
    exitCode: failure.exitCode,
    stderr,
    cause: failure,
  });
}
