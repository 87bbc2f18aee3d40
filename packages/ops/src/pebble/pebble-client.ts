/**
 * An async client for Pebble's REST API (v1) over its unix socket: system info, the plan and
 * layers, services and changes, files, `exec` (over Pebble's websockets, with `ws`), checks,
 * signals, notices and identities. It implements {@link Pebble}, the interface `Container` uses.
 *
 * Not covered: log streaming and warnings.
 *
 * @module
 */
import type * as z from 'zod/mini';
import { PebbleAPIError, PebbleChangeError, PebblePathError, PebbleProtocolError } from './errors.js';
import { formatGoDuration } from './go-duration.js';
import { encodeMultipart, multipartBoundary, parseMultipart } from './multipart.js';
import type {
  ExecOptions,
  ExecProcess,
  ExecResultType,
  FileOwnership,
  GetChecksOptions,
  Identity,
  ListFilesOptions,
  MakeDirOptions,
  NoticeFilters,
  NotifyOptions,
  Pebble,
  PullBytesOptions,
  PullTextOptions,
  PushOptions,
  RemovePathOptions,
  ServiceActionOptions,
  WaitChangeOptions,
} from './pebble-api.js';
import type { Change, CheckInfo, FileInfo, Layer, Notice, Plan, ServiceInfo, SystemInfo } from './types.js';
import { unixHttpRequest } from './unix-http.js';
import type { Envelope } from './wire-schemas.js';

// The response schemas (zod/mini, built from the field tables) are loaded with the first request,
// and each is built the first time it is used; the YAML parser is loaded when a plan or layer needs
// it. A hook that never talks to Pebble loads none of them (docs/explanation/performance.md).
type Wire = typeof import('./wire-schemas.js');
let loadedWire: Wire | null = null;

async function loadWire(): Promise<Wire> {
  loadedWire ??= await import('./wire-schemas.js');
  return loadedWire;
}

/** The schemas, once a request has loaded them. */
function wire(): Wire {
  if (loadedWire === null) throw new Error('internal error: the Pebble wire schemas are not loaded');
  return loadedWire;
}

/**
 * The environment variable that moves the directory holding `<container>/pebble.socket` away from
 * `/charm/containers`: the simulator's process mode serves Pebble stand-ins on real sockets there.
 */
export const PEBBLE_SOCKET_DIR_ENV = 'CHARMKIT_PEBBLE_SOCKET_DIR';

/**
 * Where a container's Pebble socket is: `<socketDir>/<name>/pebble.socket`, with `socketDir`
 * defaulting to Kubernetes' `/charm/containers`.
 */
export function pebbleSocketPath(containerName: string, socketDir = '/charm/containers'): string {
  return `${socketDir.replace(/\/+$/, '')}/${containerName}/pebble.socket`;
}

/** How to reach Pebble. */
export interface PebbleClientOptions {
  /** Path of Pebble's unix socket, e.g. `/charm/containers/redis/pebble.socket`. */
  socketPath: string;
  /** Milliseconds each request may take, from connecting to the last byte. Default 5000. */
  timeout?: number;
}

interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  timeout?: number;
}

const DEFAULT_TIMEOUT = 5000;
const DEFAULT_CHANGE_TIMEOUT = 30_000;
// Each wait request asks Pebble to hold the answer at most this long, so that a long wait is a
// series of short requests and a dead Pebble is noticed within seconds.
const MAX_SERVER_WAIT = 4000;
const FILE_ERROR_KINDS = new Set(['not-found', 'permission-denied', 'generic-file-error']);

function octal(permissions: number, what: string): string {
  if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o777) {
    throw new RangeError(`${what} must be an integer from 0 to 0o777, got ${permissions}`);
  }
  return permissions.toString(8).padStart(3, '0');
}

function ownership(options: FileOwnership): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (options.user !== undefined) out.user = options.user;
  if (options.userId !== undefined) out['user-id'] = options.userId;
  if (options.group !== undefined) out.group = options.group;
  if (options.groupId !== undefined) out['group-id'] = options.groupId;
  return out;
}

const IDENTITY_ACCESS = new Set<string>(['admin', 'read', 'metrics', 'untrusted']);

function identityToWire(identity: Identity): Record<string, unknown> {
  const out: Record<string, unknown> = { access: identity.access };
  if (identity.local !== undefined) out.local = { 'user-id': identity.local.userId };
  if (identity.basic !== undefined) out.basic = { password: identity.basic.password };
  return out;
}

/** Parses `GET /v1/identities`; identity kinds this client does not know (e.g. `cert`) are dropped. */
function parseIdentities(value: unknown, request: string): Record<string, Identity> {
  const bad = (why: string) =>
    new PebbleProtocolError(`Pebble sent the result of ${request} in an unexpected shape: ${why}`);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('expected an object of identities');
  const out: Record<string, Identity> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null)
      throw bad(`identity ${JSON.stringify(name)} is not an object`);
    const entry = raw as {
      access?: unknown;
      local?: { 'user-id'?: unknown };
      basic?: { password?: unknown };
    };
    if (typeof entry.access !== 'string' || !IDENTITY_ACCESS.has(entry.access)) {
      throw bad(`identity ${JSON.stringify(name)} has access ${JSON.stringify(entry.access)}`);
    }
    const identity: Identity = { access: entry.access as Identity['access'] };
    if (entry.local != null) {
      const userId = entry.local['user-id'];
      if (typeof userId !== 'number')
        throw bad(`identity ${JSON.stringify(name)} has a local user-id that is not a number`);
      identity.local = { userId };
    }
    if (entry.basic != null) {
      if (typeof entry.basic.password !== 'string')
        throw bad(`identity ${JSON.stringify(name)} has a basic password that is not a string`);
      identity.basic = { password: entry.basic.password };
    }
    out[name] = identity;
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Talks to one Pebble daemon. Every method is one or a few HTTP requests; nothing is cached, so
 * each call sees the workload's current state.
 *
 * @example
 * ```ts
 * const pebble = new PebbleClient({ socketPath: '/charm/containers/redis/pebble.socket' });
 * await pebble.addLayer('redis', { services: { redis: { override: 'replace', command: 'redis-server' } } }, { combine: true });
 * await pebble.replan();
 * ```
 */
export class PebbleClient implements Pebble {
  /** The unix socket this client talks to. */
  readonly socketPath: string;
  /** Per-request timeout in milliseconds. */
  readonly timeout: number;

  constructor(options: PebbleClientOptions) {
    this.socketPath = options.socketPath;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
  }

  // --- system, plan, layers -------------------------------------------------------------

  /** Pebble's version and boot id. Also a cheap way to check Pebble is reachable. */
  async systemInfo(): Promise<SystemInfo> {
    return this.sync('GET', '/v1/system-info', (w) => w.systemInfoSchema());
  }

  /** The plan: all layers combined, as Pebble currently runs it. */
  async getPlan(): Promise<Plan> {
    const { value, request } = await this.syncRaw('GET', '/v1/plan', { query: { format: 'yaml' } });
    if (typeof value !== 'string') {
      throw new PebbleProtocolError(
        `Pebble sent the plan of ${request} as ${typeof value}, expected a YAML string`,
      );
    }
    let document: unknown;
    try {
      const { parseYaml } = await import('../internal/yaml.js');
      document = parseYaml(value);
    } catch (error) {
      throw new PebbleProtocolError(`Pebble sent a plan that is not valid YAML (${request})`, {
        cause: error,
      });
    }
    const w = wire();
    return w.parseWire(w.planSchema(), document ?? null, `the plan (${request})`);
  }

  /**
   * Adds a layer on top of the existing ones, or with `combine: true` merges it into the layer
   * that has the same label. Without `combine`, an existing label is an error. Each service and
   * check must say `override: 'merge' | 'replace'`. Services do not restart until `replan()`.
   *
   * @param layer a {@link Layer} (camelCase fields) or a YAML string in Pebble's own syntax
   */
  async addLayer(label: string, layer: Layer | string, options: { combine?: boolean } = {}): Promise<void> {
    const { layerToYaml } = await import('./layer-to-yaml.js');
    await this.syncRaw('POST', '/v1/layers', {
      body: {
        action: 'add',
        combine: options.combine ?? false,
        label,
        format: 'yaml',
        layer: layerToYaml(layer),
      },
    });
  }

  // --- services and changes -------------------------------------------------------------

  /** The state of the named services, or of every service in the plan when `names` is omitted or empty. */
  async getServices(names?: readonly string[]): Promise<ServiceInfo[]> {
    const query = { names: names !== undefined && names.length > 0 ? names.join(',') : undefined };
    return this.sync('GET', '/v1/services', (w) => w.serviceInfoListSchema(), { query });
  }

  /** Starts services (and what they require); returns the change id. Already running is not an error. */
  async startServices(names: readonly string[], options: ServiceActionOptions = {}): Promise<string> {
    return this.serviceAction('start', names, options);
  }

  /** Stops services (and what requires them); returns the change id. */
  async stopServices(names: readonly string[], options: ServiceActionOptions = {}): Promise<string> {
    return this.serviceAction('stop', names, options);
  }

  /** Stops then starts services, whether or not they were running; returns the change id. */
  async restartServices(names: readonly string[], options: ServiceActionOptions = {}): Promise<string> {
    return this.serviceAction('restart', names, options);
  }

  /**
   * Brings services in line with the plan: starts `startup: enabled` services that are not
   * running and restarts running services whose definition changed. Returns the change id.
   */
  async replan(options: ServiceActionOptions = {}): Promise<string> {
    return this.serviceAction('replan', [], options);
  }

  /** Starts every `startup: enabled` service; returns the change id. */
  async autostartServices(options: ServiceActionOptions = {}): Promise<string> {
    return this.serviceAction('autostart', [], options);
  }

  /** Sends a signal (e.g. `'SIGHUP'`) to the named running services. */
  async sendSignal(signal: string, services: readonly string[]): Promise<void> {
    await this.syncRaw('POST', '/v1/signals', { body: { signal, services } });
  }

  /** The current state of one change. */
  async getChange(id: string): Promise<Change> {
    return this.sync('GET', `/v1/changes/${encodeURIComponent(id)}`, (w) => w.changeSchema());
  }

  /**
   * Waits until a change is ready and returns it. Throws {@link PebbleChangeError} when the
   * change failed (`reason: 'failed'`) or is not ready within `timeout` (`reason: 'timeout'`).
   */
  async waitChange(id: string, options: WaitChangeOptions = {}): Promise<Change> {
    const timeout = options.timeout ?? DEFAULT_CHANGE_TIMEOUT;
    const deadline = Date.now() + timeout;
    const path = `/v1/changes/${encodeURIComponent(id)}`;
    let useWaitEndpoint = true;
    let change: Change | undefined;
    for (;;) {
      const remaining = deadline - Date.now();
      if (useWaitEndpoint) {
        const serverWait = Math.max(1, Math.min(remaining, MAX_SERVER_WAIT));
        try {
          change = await this.sync('GET', `${path}/wait`, (w) => w.changeSchema(), {
            query: { timeout: formatGoDuration(serverWait) },
            timeout: serverWait + this.timeout,
          });
        } catch (error) {
          if (!(error instanceof PebbleAPIError)) throw error;
          if (error.statusCode === 504) {
            // Pebble's own wait ran out; the change is still running.
          } else if (error.statusCode === 404 && change === undefined) {
            // Pebble before the wait endpoint (or an unknown change: getChange will say so).
            useWaitEndpoint = false;
            continue;
          } else {
            throw error;
          }
        }
      } else {
        change = await this.getChange(id);
        if (!change.ready && remaining > 0) await sleep(Math.min(options.pollInterval ?? 100, remaining));
      }

      if (change?.ready) {
        if (change.err !== undefined) {
          throw new PebbleChangeError(
            `Pebble change ${change.id} (${JSON.stringify(change.summary)}) failed: ${change.err}`,
            change,
            'failed',
          );
        }
        return change;
      }
      if (Date.now() >= deadline) {
        const last = change ?? (await this.getChange(id));
        throw new PebbleChangeError(
          `Pebble change ${last.id} (${JSON.stringify(last.summary)}) was not ready within ${timeout} ms (status ${last.status})`,
          last,
          'timeout',
        );
      }
    }
  }

  // --- files ----------------------------------------------------------------------------

  /**
   * Writes a file atomically. `data` is text (encoded with `encoding`, default UTF-8) or bytes.
   * Throws {@link PebblePathError} when Pebble cannot write it (e.g. missing parent directory
   * without `makeDirs`, unknown user).
   */
  async push(path: string, data: string | Uint8Array, options: PushOptions = {}): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, options.encoding ?? 'utf8') : data;
    const file: Record<string, unknown> = { path, ...ownership(options) };
    if (options.makeDirs !== undefined) file['make-dirs'] = options.makeDirs;
    if (options.permissions !== undefined) file.permissions = octal(options.permissions, 'permissions');
    const metadata = Buffer.from(JSON.stringify({ action: 'write', files: [file] }), 'utf8');
    await loadWire();
    const multipart = encodeMultipart([
      { name: 'request', contentType: 'application/json', data: metadata },
      { name: 'files', filename: path, contentType: 'application/octet-stream', data: bytes },
    ]);
    const response = await unixHttpRequest({
      socketPath: this.socketPath,
      method: 'POST',
      path: '/v1/files',
      headers: { 'Content-Type': multipart.contentType, Accept: 'application/json' },
      body: multipart.body,
      timeout: this.timeout,
    });
    const envelope = this.decodeEnvelope(
      response.statusCode,
      response.headers['content-type'],
      response.body,
      'POST /v1/files',
    );
    this.checkFileResults(envelope.result, 'POST /v1/files (write)');
  }

  /** Reads a whole file as text (UTF-8 unless `encoding` says otherwise). */
  pull(path: string, options?: PullTextOptions): Promise<string>;
  /** Reads a whole file as bytes. */
  pull(path: string, options: PullBytesOptions): Promise<Uint8Array>;
  async pull(path: string, options: PullTextOptions | PullBytesOptions = {}): Promise<string | Uint8Array> {
    const query = new URLSearchParams({ action: 'read', path });
    const request = 'GET /v1/files (read)';
    await loadWire();
    const response = await unixHttpRequest({
      socketPath: this.socketPath,
      method: 'GET',
      path: `/v1/files?${query.toString()}`,
      headers: { Accept: 'multipart/form-data' },
      timeout: this.timeout,
    });
    const contentType = response.headers['content-type'];
    const boundary = multipartBoundary(contentType);
    if (boundary === undefined) {
      // Errors about the request as a whole come back as a plain JSON envelope.
      const envelope = this.decodeEnvelope(response.statusCode, contentType, response.body, request);
      throw new PebbleProtocolError(
        `Pebble answered ${request} with a ${envelope.type} JSON response, expected multipart/form-data`,
      );
    }
    const parts = parseMultipart(response.body, boundary);
    const meta = parts.find((part) => part.name === 'response');
    if (meta === undefined) {
      throw new PebbleProtocolError(`Pebble's answer to ${request} has no "response" part`);
    }
    const envelope = this.decodeEnvelope(
      response.statusCode,
      'application/json',
      Buffer.from(meta.data),
      request,
    );
    this.checkFileResults(envelope.result, request);
    const file = parts.find((part) => part.name === 'files' && part.filename === path);
    if (file === undefined) {
      throw new PebbleProtocolError(
        `Pebble's answer to ${request} has no content for ${JSON.stringify(path)}`,
      );
    }
    const encoding = 'encoding' in options ? options.encoding : 'utf8';
    if (encoding === null) return new Uint8Array(file.data);
    return Buffer.from(file.data).toString(encoding ?? 'utf8');
  }

  /**
   * Lists a directory, or describes a single file (or, with `itself`, a directory). Throws
   * {@link PebblePathError} with kind `not-found` when the path does not exist.
   */
  async listFiles(path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
    const query = {
      action: 'list',
      path,
      pattern: options.pattern,
      itself: options.itself ? 'true' : undefined,
    };
    try {
      return await this.sync('GET', '/v1/files', (w) => w.fileInfoListSchema(), { query });
    } catch (error) {
      throw this.asPathError(error, path);
    }
  }

  /** Whether anything exists at `path`. */
  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== undefined;
  }

  /** Whether `path` exists and is a directory. */
  async isDir(path: string): Promise<boolean> {
    return (await this.stat(path))?.type === 'directory';
  }

  /** Creates a directory. Without `makeParents`, an existing directory or missing parent is a {@link PebblePathError}. */
  async makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    const dir: Record<string, unknown> = { path, ...ownership(options) };
    if (options.makeParents !== undefined) dir['make-parents'] = options.makeParents;
    if (options.permissions !== undefined) dir.permissions = octal(options.permissions, 'permissions');
    const { value } = await this.syncRaw('POST', '/v1/files', { body: { action: 'make-dirs', dirs: [dir] } });
    this.checkFileResults(value, 'POST /v1/files (make-dirs)');
  }

  /**
   * Removes a file or empty directory, or with `recursive` a whole tree. Throws
   * {@link PebblePathError} for a missing path (unless recursive) or a non-empty directory.
   */
  async removePath(path: string, options: RemovePathOptions = {}): Promise<void> {
    const item = { path, recursive: options.recursive ?? false };
    const { value } = await this.syncRaw('POST', '/v1/files', { body: { action: 'remove', paths: [item] } });
    this.checkFileResults(value, 'POST /v1/files (remove)');
  }

  // --- checks ---------------------------------------------------------------------------

  /** The state of health checks, optionally only those of one level or with the given names. */
  async getChecks(options: GetChecksOptions = {}): Promise<CheckInfo[]> {
    const query = {
      level: options.level,
      names: options.names !== undefined && options.names.length > 0 ? options.names.join(',') : undefined,
    };
    return this.sync('GET', '/v1/checks', (w) => w.checkInfoListSchema(), { query });
  }

  /** Starts stopped checks; returns the names of the checks that were started. */
  async startChecks(names: readonly string[]): Promise<string[]> {
    const result = await this.sync('POST', '/v1/checks', (w) => w.checksChangedSchema(), {
      body: { action: 'start', checks: names },
    });
    return result.changed ?? [];
  }

  /** Stops running checks; returns the names of the checks that were stopped. */
  async stopChecks(names: readonly string[]): Promise<string[]> {
    const result = await this.sync('POST', '/v1/checks', (w) => w.checksChangedSchema(), {
      body: { action: 'stop', checks: names },
    });
    return result.changed ?? [];
  }

  // --- notices --------------------------------------------------------------------------

  /** Notices matching all the given filters, oldest `lastRepeated` first. */
  async getNotices(filters: NoticeFilters = {}): Promise<Notice[]> {
    const query = {
      'user-id': filters.userId?.toString(),
      users: filters.users,
      types: filters.types !== undefined && filters.types.length > 0 ? filters.types.join(',') : undefined,
      keys: filters.keys !== undefined && filters.keys.length > 0 ? filters.keys.join(',') : undefined,
      after: filters.after?.toISOString(),
    };
    return this.sync('GET', '/v1/notices', (w) => w.noticeListSchema(), { query });
  }

  /** One notice by id. */
  async getNotice(id: string): Promise<Notice> {
    return this.sync('GET', `/v1/notices/${encodeURIComponent(id)}`, (w) => w.noticeSchema());
  }

  /**
   * Records an occurrence of a custom notice (key like `'example.com/reload'`), which Juju turns
   * into a `pebble-custom-notice` event. Returns the notice id.
   */
  async notify(key: string, options: NotifyOptions = {}): Promise<string> {
    const body: Record<string, unknown> = { action: 'add', type: 'custom', key };
    if (options.data !== undefined) body.data = options.data;
    if (options.repeatAfter !== undefined) body['repeat-after'] = formatGoDuration(options.repeatAfter);
    const result = await this.sync('POST', '/v1/notices', (w) => w.addedNoticeSchema(), { body });
    return result.id;
  }

  // --- exec -----------------------------------------------------------------------------

  /**
   * Runs a command in the workload container (Pebble's `POST /v1/exec`, then its websockets).
   * Resolves once the command is connected; `wait()`/`waitOutput()` give the outcome, throwing
   * {@link PebbleExecError} on a non-zero exit and {@link PebbleExecTimeoutError} when `timeout`
   * passed. A missing executable is a {@link PebbleAPIError} from this call.
   *
   * @example
   * ```ts
   * const { stdout } = await (await pebble.exec(['redis-cli', 'ping'])).waitOutput();
   * ```
   */
  async exec<E extends BufferEncoding | null = 'utf8'>(
    command: readonly string[],
    options: ExecOptions<E> = {},
  ): Promise<ExecProcess<ExecResultType<E>>> {
    if (command.length === 0 || command.some((arg) => typeof arg !== 'string')) {
      throw new TypeError('exec: command must be a non-empty array of strings');
    }
    if (options.combineStderr && options.stderr !== undefined) {
      throw new TypeError('exec: stderr cannot be given as a stream when combineStderr is true');
    }
    const body: Record<string, unknown> = {
      command,
      environment: options.environment ?? {},
      'split-stderr': !options.combineStderr,
      ...ownership(options),
    };
    if (options.workingDir !== undefined) body['working-dir'] = options.workingDir;
    if (options.timeout !== undefined) body.timeout = formatGoDuration(options.timeout);
    const request = 'POST /v1/exec';
    const envelope = await this.request('POST', '/v1/exec', { body });
    const taskId = (envelope.result as { 'task-id'?: unknown } | undefined)?.['task-id'];
    if (envelope.type !== 'async' || !envelope.change || typeof taskId !== 'string' || taskId === '') {
      throw new PebbleProtocolError(
        `Pebble answered ${request} without a change id and task id (type ${envelope.type})`,
      );
    }
    // The websocket code and `ws` load here, never on a hook that does not exec.
    const { PebbleExecProcess } = await import('./exec-process.js');
    return PebbleExecProcess.start<ExecResultType<E>>(
      command,
      {
        socketPath: this.socketPath,
        connectTimeout: this.timeout,
        changeId: envelope.change,
        taskId,
        waitChange: (id, waitOptions) => this.waitChange(id, waitOptions),
      },
      options,
    );
  }

  // --- identities -----------------------------------------------------------------------

  /** Identities by name (Pebble ≥ 1.14). Basic passwords come back masked as `*****`. */
  async getIdentities(): Promise<Record<string, Identity>> {
    const { value, request } = await this.syncRaw('GET', '/v1/identities');
    return parseIdentities(value, request);
  }

  /** Adds or replaces the named identities; a `null` value removes that identity. */
  async replaceIdentities(identities: Readonly<Record<string, Identity | null>>): Promise<void> {
    const wireIdentities: Record<string, unknown> = {};
    for (const [name, identity] of Object.entries(identities)) {
      wireIdentities[name] = identity === null ? null : identityToWire(identity);
    }
    await this.syncRaw('POST', '/v1/identities', { body: { action: 'replace', identities: wireIdentities } });
  }

  /** Removes the named identities (Pebble refuses names it does not know). */
  async removeIdentities(names: readonly string[]): Promise<void> {
    const wireIdentities = Object.fromEntries(names.map((name) => [name, null]));
    await this.syncRaw('POST', '/v1/identities', { body: { action: 'remove', identities: wireIdentities } });
  }

  // --- plumbing -------------------------------------------------------------------------

  private async stat(path: string): Promise<FileInfo | undefined> {
    try {
      const [info] = await this.listFiles(path, { itself: true });
      return info;
    } catch (error) {
      if (error instanceof PebblePathError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  private async serviceAction(
    action: 'start' | 'stop' | 'restart' | 'replan' | 'autostart',
    names: readonly string[],
    options: ServiceActionOptions,
  ): Promise<string> {
    const request = `POST /v1/services (${action})`;
    const envelope = await this.request('POST', '/v1/services', { body: { action, services: names } });
    if (envelope.type !== 'async' || envelope.change === undefined || envelope.change === '') {
      throw new PebbleProtocolError(`Pebble answered ${request} without a change id (type ${envelope.type})`);
    }
    if (options.wait ?? true) {
      const waitOptions: WaitChangeOptions = {};
      if (options.timeout !== undefined) waitOptions.timeout = options.timeout;
      await this.waitChange(envelope.change, waitOptions);
    }
    return envelope.change;
  }

  /** Checks the per-path results of a file operation; the first failure becomes a PebblePathError. */
  private checkFileResults(result: unknown, request: string): void {
    const w = wire();
    for (const item of w.parseWire(w.fileResultListSchema(), result, `the result of ${request}`)) {
      if (item.error != null) {
        throw new PebblePathError(item.path, item.error.kind ?? 'generic-file-error', item.error.message);
      }
    }
  }

  private asPathError(error: unknown, path: string): unknown {
    if (error instanceof PebbleAPIError && error.kind !== undefined && FILE_ERROR_KINDS.has(error.kind)) {
      return new PebblePathError(path, error.kind, error.pebbleMessage, { cause: error });
    }
    return error;
  }

  private async sync<S extends z.ZodMiniType>(
    method: string,
    path: string,
    schema: (wire: Wire) => S,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    const { value, request } = await this.syncRaw(method, path, options);
    const w = wire();
    return w.parseWire(schema(w), value, `the result of ${request}`);
  }

  private async syncRaw(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ value: unknown; request: string }> {
    const request = `${method} ${path}`;
    const envelope = await this.request(method, path, options);
    if (envelope.type !== 'sync') {
      throw new PebbleProtocolError(
        `Pebble answered ${request} with a ${envelope.type} response, expected sync`,
      );
    }
    return { value: envelope.result, request };
  }

  private async request(method: string, path: string, options: RequestOptions): Promise<Envelope> {
    await loadWire();
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) query.set(key, value);
    }
    const search = query.toString();
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = Buffer.from(JSON.stringify(options.body), 'utf8');
    }
    const response = await unixHttpRequest({
      socketPath: this.socketPath,
      method,
      path: search === '' ? path : `${path}?${search}`,
      headers,
      ...(body === undefined ? {} : { body }),
      timeout: options.timeout ?? this.timeout,
    });
    return this.decodeEnvelope(
      response.statusCode,
      response.headers['content-type'],
      response.body,
      `${method} ${path}`,
    );
  }

  /** Parses a JSON envelope; error responses (by type or status) become PebbleAPIError. */
  private decodeEnvelope(
    statusCode: number,
    contentType: string | undefined,
    body: Buffer,
    request: string,
  ): Envelope {
    const text = body.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      if (statusCode >= 400) {
        throw new PebbleAPIError(text.trim() || '(empty body)', { statusCode, status: '', request });
      }
      throw new PebbleProtocolError(
        `Pebble answered ${request} with ${contentType ?? 'no content type'} that is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
        { cause: error },
      );
    }
    const w = wire();
    const envelope = w.parseWire(w.envelopeSchema(), json, `the response to ${request}`);
    if (envelope.type === 'error' || statusCode >= 400) {
      const parsed = w.errorResultSchema().safeParse(envelope.result);
      const details = {
        statusCode: envelope['status-code'] || statusCode,
        status: envelope.status ?? '',
        request,
      };
      if (!parsed.success) {
        throw new PebbleAPIError(JSON.stringify(envelope.result ?? null), details);
      }
      throw new PebbleAPIError(parsed.data.message, {
        ...details,
        ...(parsed.data.kind === undefined || parsed.data.kind === '' ? {} : { kind: parsed.data.kind }),
        ...(parsed.data.value === undefined ? {} : { value: parsed.data.value }),
      });
    }
    return envelope;
  }
}
