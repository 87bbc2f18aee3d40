import { canonicalJson } from '@charmkit/ops/internal';
import {
  type Change,
  type CheckInfo,
  type ExecOptions,
  type ExecProcess,
  type ExecResultType,
  type FileInfo,
  type GetChecksOptions,
  type Identity,
  type Layer,
  type ListFilesOptions,
  type MakeDirOptions,
  type Notice,
  type NoticeFilters,
  type NotifyOptions,
  type Pebble,
  PebbleAPIError,
  PebbleConnectionError,
  type Plan,
  type PullBytesOptions,
  type PullTextOptions,
  type PushOptions,
  type RemovePathOptions,
  type ServiceActionOptions,
  type ServiceDefinition,
  type ServiceInfo,
  type ServiceStatus,
  type SystemInfo,
  type Task,
} from '@charmkit/ops/pebble';
import { deepCopy } from './deep-copy.js';
import { MissingExecHandlerError } from './errors.js';
import { type ExecCall, type ExecHandler, findExecHandler } from './exec-handler.js';
import { MemoryExecProcess } from './memory-exec-process.js';
import { type FileEntry, MemoryFilesystem } from './memory-filesystem.js';
import { type CheckInfoInit, makeCheckInfo, makeNotice, type NoticeInit } from './pebble-records.js';
import { combineLayers, type LabelledLayer, layerFromYaml, planOf } from './plan-rules.js';

/** How a {@link MemoryPebble} starts. Everything is optional: an empty, reachable Pebble. */
export interface MemoryPebbleOptions {
  /** The container's name (for messages and the socket path errors name). */
  readonly name?: string;
  /** False: every call throws `PebbleConnectionError`, as when the socket is missing. Default true. */
  readonly canConnect?: boolean;
  /** Layers by label, lowest first. */
  readonly layers?: Readonly<Record<string, Layer>>;
  /** Service statuses by name; services not named are `inactive`. Active ones count as started with the plan. */
  readonly services?: Readonly<Record<string, ServiceStatus>>;
  /** The filesystem: path → text, bytes or a {@link FileEntry}. */
  readonly files?: Readonly<Record<string, string | Uint8Array | FileEntry>>;
  /** Stand-ins for the commands the charm runs (longest prefix wins). */
  readonly execHandlers?: readonly ExecHandler[];
  /** Check states (checks the plan has and this does not list are `up`, or `inactive` when disabled). */
  readonly checks?: readonly CheckInfoInit[];
  readonly notices?: readonly NoticeInit[];
  readonly identities?: Readonly<Record<string, Identity>>;
  /** The version `systemInfo` reports. Default `1.19.0`. */
  readonly version?: string;
  readonly now?: () => Date;
}

/** A signal the charm sent to services. */
export interface SentSignal {
  readonly signal: string;
  readonly services: readonly string[];
}

const SIGNALS = new Set([
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
]);
const CUSTOM_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;

function badRequest(request: string, message: string, kind?: string): PebbleAPIError {
  return new PebbleAPIError(message, {
    statusCode: 400,
    status: 'Bad Request',
    request,
    ...(kind === undefined ? {} : { kind }),
  });
}

function notFound(request: string, message: string): PebbleAPIError {
  return new PebbleAPIError(message, { statusCode: 404, status: 'Not Found', request });
}

/**
 * A Pebble daemon in memory, for Context tests and the simulator: the plan from labelled layers
 * with Pebble's override rules, services with statuses and changes, a filesystem, exec handlers,
 * checks, notices and identities. It answers as Pebble does (same error classes, kinds and
 * messages as the real client throws), so the charm code under test is the production code.
 */
export class MemoryPebble implements Pebble {
  readonly name: string;
  /** False: every call throws `PebbleConnectionError`. Tests may flip it between calls. */
  canConnect: boolean;
  readonly filesystem: MemoryFilesystem;
  /** Every command the charm ran, in order. */
  readonly execs: ExecCall[] = [];
  /** Every signal the charm sent to services, in order. */
  readonly signals: SentSignal[] = [];
  readonly #layers: LabelledLayer[] = [];
  #plan: Plan;
  readonly #status = new Map<string, ServiceStatus>();
  // The definition each service last started with: replan restarts it when the plan's differs.
  readonly #started = new Map<string, ServiceDefinition>();
  readonly #changes = new Map<string, Change>();
  readonly #checks = new Map<string, CheckInfo>();
  readonly #notices: Notice[];
  #identities: Record<string, Identity>;
  readonly #execHandlers: readonly ExecHandler[];
  readonly #now: () => Date;
  readonly #version: string;
  readonly #bootId = '00000000-0000-4000-8000-00000000b007';
  #nextChange = 1;
  #nextNotice = 1;

  constructor(options: MemoryPebbleOptions = {}) {
    this.name = options.name ?? 'workload';
    this.canConnect = options.canConnect ?? true;
    this.#now = options.now ?? (() => new Date());
    this.#version = options.version ?? '1.19.0';
    for (const [label, layer] of Object.entries(options.layers ?? {})) this.#layers.push({ label, layer });
    try {
      this.#plan = planOf(this.#layers);
    } catch (error) {
      throw new RangeError(`container ${this.name}: ${(error as Error).message}`);
    }
    for (const [name, status] of Object.entries(options.services ?? {})) {
      this.#status.set(name, status);
      const definition = this.#plan.services[name];
      if (status === 'active' && definition) this.#started.set(name, definition);
    }
    this.filesystem = new MemoryFilesystem(options.files, this.#now);
    this.#execHandlers = options.execHandlers ?? [];
    for (const check of options.checks ?? []) this.#checks.set(check.name, makeCheckInfo(check));
    this.#notices = (options.notices ?? []).map((n) => makeNotice(n, this.#now()));
    for (const notice of this.#notices)
      this.#nextNotice = Math.max(this.#nextNotice, (Number(notice.id) || 0) + 1);
    this.#identities = deepCopy({ ...options.identities });
  }

  /** Pebble's unix socket path for this container (as errors name it). */
  get socketPath(): string {
    return `/charm/containers/${this.name}/pebble.socket`;
  }

  #connect(): void {
    if (!this.canConnect)
      throw new PebbleConnectionError(
        `cannot connect to Pebble of container ${JSON.stringify(this.name)}: socket ${this.socketPath} is missing`,
        { socketPath: this.socketPath, reason: 'socket-missing' },
      );
  }

  // --- what a test reads back -------------------------------------------------------------

  /** The layers by label, lowest first (combined layers as Pebble combined them). */
  get layers(): Record<string, Layer> {
    return Object.fromEntries(this.#layers.map(({ label, layer }) => [label, deepCopy(layer)]));
  }

  /** The plan now. */
  get plan(): Plan {
    return deepCopy(this.#plan);
  }

  /** Service statuses by name, for every service in the plan or with a status. */
  get serviceStatuses(): Record<string, ServiceStatus> {
    const out: Record<string, ServiceStatus> = {};
    for (const name of [...new Set([...Object.keys(this.#plan.services), ...this.#status.keys()])].sort())
      out[name] = this.#status.get(name) ?? 'inactive';
    return out;
  }

  /** Every change the charm caused, oldest first. */
  get changes(): Change[] {
    return [...this.#changes.values()].map((c) => deepCopy(c));
  }

  /** Every notice, oldest first. */
  get notices(): Notice[] {
    return this.#notices.map((n) => deepCopy(n));
  }

  /** Check states, by name. */
  get checkInfos(): CheckInfo[] {
    return this.#checkList();
  }

  get identities(): Record<string, Identity> {
    return deepCopy(this.#identities);
  }

  // --- system, layers, plan ---------------------------------------------------------------

  async systemInfo(): Promise<SystemInfo> {
    this.#connect();
    return { version: this.#version, bootId: this.#bootId };
  }

  async getPlan(): Promise<Plan> {
    this.#connect();
    return this.plan;
  }

  async addLayer(label: string, layer: Layer | string, options: { combine?: boolean } = {}): Promise<void> {
    this.#connect();
    const request = 'POST /v1/layers';
    if (!label) throw badRequest(request, 'label must be set');
    const parsed = typeof layer === 'string' ? layerFromYaml(layer) : deepCopy(layer);
    const index = this.#layers.findIndex((l) => l.label === label);
    const layers = [...this.#layers];
    if (index < 0) layers.push({ label, layer: parsed });
    else if (!options.combine) throw badRequest(request, `layer ${JSON.stringify(label)} already exists`);
    else {
      // Pebble's CombineLayer: the new layer combined into the old one, in its place.
      const existing = layers[index] as LabelledLayer;
      layers[index] = { label, layer: combineLayers([existing, { label, layer: parsed }]) };
    }
    this.#plan = planOf(layers);
    this.#layers.splice(0, this.#layers.length, ...layers);
  }

  // --- services ---------------------------------------------------------------------------

  async getServices(names?: readonly string[]): Promise<ServiceInfo[]> {
    this.#connect();
    const wanted = names !== undefined && names.length > 0 ? new Set(names) : null;
    return Object.keys(this.#plan.services)
      .sort()
      .filter((name) => wanted === null || wanted.has(name))
      .map((name) => ({
        name,
        startup: this.#plan.services[name]?.startup ?? 'disabled',
        current: this.#status.get(name) ?? 'inactive',
      }));
  }

  /** The services and everything they require, as Pebble's StartOrder picks them. */
  #startSet(action: string, names: readonly string[]): string[] {
    const out: string[] = [];
    const visit = (name: string) => {
      if (out.includes(name)) return;
      const definition = this.#plan.services[name];
      if (!definition)
        throw badRequest(
          'POST /v1/services',
          `cannot ${action} services: service ${JSON.stringify(name)} does not exist`,
        );
      for (const dependency of definition.requires ?? []) visit(dependency);
      out.push(name);
    };
    for (const name of names) visit(name);
    return out;
  }

  /** The services and everything that requires them, as Pebble's StopOrder picks them. */
  #stopSet(action: string, names: readonly string[]): string[] {
    const out: string[] = [];
    const visit = (name: string) => {
      if (out.includes(name)) return;
      if (!this.#plan.services[name])
        throw badRequest(
          'POST /v1/services',
          `cannot ${action} services: service ${JSON.stringify(name)} does not exist`,
        );
      for (const [other, definition] of Object.entries(this.#plan.services))
        if (definition.requires?.includes(name)) visit(other);
      out.unshift(name);
    };
    for (const name of names) visit(name);
    return out;
  }

  #task(kind: 'start' | 'stop', service: string, at: Date): Task {
    const verb = kind === 'start' ? 'Start' : 'Stop';
    return {
      id: '',
      kind,
      summary: `${verb} service ${JSON.stringify(service)}`,
      status: 'Done',
      log: [],
      progress: { label: '', done: 1, total: 1 },
      spawnTime: at,
      readyTime: at,
    };
  }

  #change(kind: string, summary: string, stop: readonly string[], start: readonly string[]): string {
    const at = this.#now();
    for (const name of stop) {
      if (this.#status.get(name) !== undefined && this.#status.get(name) !== 'inactive')
        this.#status.set(name, 'inactive');
      if (!this.#plan.services[name]) {
        this.#status.delete(name);
        this.#started.delete(name);
      }
    }
    for (const name of start) {
      this.#status.set(name, 'active');
      this.#started.set(name, deepCopy(this.#plan.services[name] as ServiceDefinition));
    }
    const id = String(this.#nextChange++);
    const tasks = [
      ...stop.map((s) => this.#task('stop', s, at)),
      ...start.map((s) => this.#task('start', s, at)),
    ];
    tasks.forEach((task, i) => {
      task.id = `${id}-${i + 1}`;
    });
    this.#changes.set(id, {
      id,
      kind,
      summary,
      status: 'Done',
      tasks,
      ready: true,
      spawnTime: at,
      readyTime: at,
    });
    return id;
  }

  #requireNames(action: string, names: readonly string[]): void {
    if (names.length === 0)
      throw badRequest('POST /v1/services', `must specify services for ${action} action`);
  }

  async startServices(names: readonly string[], _options?: ServiceActionOptions): Promise<string> {
    this.#connect();
    this.#requireNames('start', names);
    const start = this.#startSet('start', names);
    return this.#change(
      'start',
      `Start service ${names.map((n) => JSON.stringify(n)).join(', ')}`,
      [],
      start,
    );
  }

  async stopServices(names: readonly string[], _options?: ServiceActionOptions): Promise<string> {
    this.#connect();
    this.#requireNames('stop', names);
    const stop = this.#stopSet('stop', names);
    return this.#change('stop', `Stop service ${names.map((n) => JSON.stringify(n)).join(', ')}`, stop, []);
  }

  async restartServices(names: readonly string[], _options?: ServiceActionOptions): Promise<string> {
    this.#connect();
    this.#requireNames('restart', names);
    // Pebble stops only the named services (in stop order), then starts them with their requirements.
    const stop = this.#stopSet('restart', names).filter((n) => names.includes(n));
    const start = this.#startSet('restart', names);
    return this.#change(
      'restart',
      `Restart service ${names.map((n) => JSON.stringify(n)).join(', ')}`,
      stop,
      start,
    );
  }

  async autostartServices(_options?: ServiceActionOptions): Promise<string> {
    this.#connect();
    const defaults = Object.keys(this.#plan.services)
      .sort()
      .filter((n) => this.#plan.services[n]?.startup === 'enabled');
    if (defaults.length === 0)
      throw badRequest('POST /v1/services', 'no default services', 'no-default-services');
    return this.#change('autostart', 'Autostart service(s)', [], this.#startSet('autostart', defaults));
  }

  /**
   * Pebble's replan: a service that was started with a definition the plan no longer has is
   * stopped and started again; then every `startup: enabled` service is started.
   */
  // Changes are done at once, so waiting or not makes no difference.
  async replan(_options?: ServiceActionOptions): Promise<string> {
    this.#connect();
    const restart = [...this.#started.entries()]
      .filter(([name, started]) => {
        const now = this.#plan.services[name];
        return now === undefined || canonicalJson(now as never) !== canonicalJson(started as never);
      })
      .map(([name]) => name)
      .sort();
    const stop = restart.filter((n) => this.#status.get(n) === 'active' || !this.#plan.services[n]);
    const start = this.#startSet(
      'replan',
      Object.keys(this.#plan.services)
        .sort()
        .filter((n) => restart.includes(n) || this.#plan.services[n]?.startup === 'enabled'),
    ).filter((n) => restart.includes(n) || this.#status.get(n) !== 'active');
    return this.#change('replan', 'Replan', stop, start);
  }

  async sendSignal(signal: string, services: readonly string[]): Promise<void> {
    this.#connect();
    const request = 'POST /v1/signals';
    if (!SIGNALS.has(signal))
      throw badRequest(request, `cannot send signal: invalid signal name ${JSON.stringify(signal)}`);
    if (services.length === 0) throw badRequest(request, 'must specify services');
    const problems = services
      .filter((name) => this.#status.get(name) !== 'active')
      .map((name) => `cannot send signal to ${JSON.stringify(name)}: service is not running`);
    if (problems.length)
      throw new PebbleAPIError(problems.join('\n'), {
        statusCode: 500,
        status: 'Internal Server Error',
        request,
      });
    this.signals.push({ signal, services: [...services] });
  }

  async getChange(id: string): Promise<Change> {
    this.#connect();
    const change = this.#changes.get(id);
    if (!change) throw notFound(`GET /v1/changes/${id}`, `cannot find change with id ${JSON.stringify(id)}`);
    return deepCopy(change);
  }

  /** Every change of a memory Pebble is done at once. */
  async waitChange(id: string): Promise<Change> {
    return this.getChange(id);
  }

  // --- files ------------------------------------------------------------------------------

  async push(path: string, data: string | Uint8Array, options: PushOptions = {}): Promise<void> {
    this.#connect();
    this.filesystem.push(path, data, options);
  }

  pull(path: string, options?: PullTextOptions): Promise<string>;
  pull(path: string, options: PullBytesOptions): Promise<Uint8Array>;
  async pull(path: string, options: PullTextOptions | PullBytesOptions = {}): Promise<string | Uint8Array> {
    this.#connect();
    const bytes = this.filesystem.pull(path);
    const encoding = 'encoding' in options ? options.encoding : 'utf8';
    return encoding === null ? bytes : Buffer.from(bytes).toString(encoding ?? 'utf8');
  }

  async listFiles(path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
    this.#connect();
    return this.filesystem.list(path, options);
  }

  async exists(path: string): Promise<boolean> {
    this.#connect();
    return this.filesystem.typeOf(path) !== undefined;
  }

  async isDir(path: string): Promise<boolean> {
    this.#connect();
    return this.filesystem.typeOf(path) === 'directory';
  }

  async makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    this.#connect();
    this.filesystem.makeDir(path, options);
  }

  async removePath(path: string, options: RemovePathOptions = {}): Promise<void> {
    this.#connect();
    this.filesystem.remove(path, options);
  }

  // --- exec -------------------------------------------------------------------------------

  async exec<E extends BufferEncoding | null = 'utf8'>(
    command: readonly string[],
    options: ExecOptions<E> = {},
  ): Promise<ExecProcess<ExecResultType<E>>> {
    this.#connect();
    if (command.length === 0) throw badRequest('POST /v1/exec', 'must specify command');
    const handler = findExecHandler(this.#execHandlers, command);
    if (!handler) throw new MissingExecHandlerError(this.name, command);
    return new MemoryExecProcess<ExecResultType<E>>(
      command,
      handler,
      options as ExecOptions<BufferEncoding | null>,
      (call) => this.execs.push(call),
    );
  }

  // --- checks -----------------------------------------------------------------------------

  #checkList(): CheckInfo[] {
    const names = [...new Set([...Object.keys(this.#plan.checks), ...this.#checks.keys()])].sort();
    return names.map((name) => {
      const known = this.#checks.get(name);
      if (known) return deepCopy(known);
      const definition = this.#plan.checks[name];
      const startup = definition?.startup ?? 'enabled';
      return makeCheckInfo({
        name,
        startup,
        status: startup === 'disabled' ? 'inactive' : 'up',
        ...(definition?.level === undefined ? {} : { level: definition.level }),
        ...(definition?.threshold === undefined ? {} : { threshold: definition.threshold }),
      });
    });
  }

  async getChecks(options: GetChecksOptions = {}): Promise<CheckInfo[]> {
    this.#connect();
    const names = options.names !== undefined && options.names.length > 0 ? new Set(options.names) : null;
    return this.#checkList().filter(
      (c) =>
        (options.level === undefined || c.level === options.level) && (names === null || names.has(c.name)),
    );
  }

  #setChecks(action: 'start' | 'stop', names: readonly string[]): string[] {
    this.#connect();
    const request = 'POST /v1/checks';
    if (names.length === 0) throw badRequest(request, `must specify checks for ${action} action`);
    const all = new Map(this.#checkList().map((c) => [c.name, c]));
    const missing = names.filter((n) => !all.has(n)).sort();
    if (missing.length)
      throw badRequest(request, `cannot ${action} checks: cannot find checks in plan: ${missing.join(', ')}`);
    const changed: string[] = [];
    for (const name of names) {
      const info = all.get(name) as CheckInfo;
      const running = info.status !== 'inactive';
      if (action === 'start' ? running : !running) continue;
      this.#checks.set(name, { ...info, status: action === 'start' ? 'up' : 'inactive', failures: 0 });
      changed.push(name);
    }
    return changed;
  }

  async startChecks(names: readonly string[]): Promise<string[]> {
    return this.#setChecks('start', names);
  }

  async stopChecks(names: readonly string[]): Promise<string[]> {
    return this.#setChecks('stop', names);
  }

  /** Sets a check's state from the test (e.g. to `down` with failures), as the workload would. */
  setCheck(init: CheckInfoInit): void {
    this.#checks.set(
      init.name,
      makeCheckInfo({ ...this.#checkList().find((c) => c.name === init.name), ...init }),
    );
  }

  // --- notices ----------------------------------------------------------------------------

  async getNotices(filters: NoticeFilters = {}): Promise<Notice[]> {
    this.#connect();
    return this.#notices
      .filter(
        (n) =>
          (filters.types === undefined || filters.types.length === 0 || filters.types.includes(n.type)) &&
          (filters.keys === undefined || filters.keys.length === 0 || filters.keys.includes(n.key)) &&
          (filters.after === undefined || n.lastRepeated > filters.after) &&
          (filters.userId === undefined || n.userId === undefined || n.userId === filters.userId),
      )
      .sort((a, b) => a.lastRepeated.getTime() - b.lastRepeated.getTime())
      .map((n) => deepCopy(n));
  }

  async getNotice(id: string): Promise<Notice> {
    this.#connect();
    const notice = this.#notices.find((n) => n.id === id);
    if (!notice) throw notFound(`GET /v1/notices/${id}`, `cannot find notice with ID ${JSON.stringify(id)}`);
    return deepCopy(notice);
  }

  async notify(key: string, options: NotifyOptions = {}): Promise<string> {
    this.#connect();
    const request = 'POST /v1/notices';
    if (!CUSTOM_KEY.test(key))
      throw badRequest(request, `invalid key ${JSON.stringify(key)} (must be in "example.com/path" format)`);
    if (key.length > 256) throw badRequest(request, 'key must be 256 bytes or less');
    const now = this.#now();
    const existing = this.#notices.find(
      (n) => n.type === 'custom' && n.key === key && n.userId === undefined,
    );
    if (existing) {
      existing.occurrences += 1;
      existing.lastOccurred = now;
      existing.lastData = { ...options.data };
      const repeatAfter = options.repeatAfter;
      if (repeatAfter === undefined || now.getTime() - existing.lastRepeated.getTime() >= repeatAfter)
        existing.lastRepeated = now;
      if (repeatAfter === undefined) delete existing.repeatAfter;
      else existing.repeatAfter = repeatAfter;
      return existing.id;
    }
    const notice = makeNotice(
      {
        id: String(this.#nextNotice++),
        key,
        lastData: { ...options.data },
        ...(options.repeatAfter === undefined ? {} : { repeatAfter: options.repeatAfter }),
      },
      now,
    );
    this.#notices.push(notice);
    return notice.id;
  }

  // --- identities -------------------------------------------------------------------------

  async getIdentities(): Promise<Record<string, Identity>> {
    this.#connect();
    return this.identities;
  }

  async replaceIdentities(identities: Readonly<Record<string, Identity | null>>): Promise<void> {
    this.#connect();
    const next = deepCopy(this.#identities);
    for (const [name, identity] of Object.entries(identities)) {
      if (identity === null) delete next[name];
      else {
        if ((identity.local === undefined) === (identity.basic === undefined))
          throw badRequest(
            'POST /v1/identities',
            `identity ${JSON.stringify(name)} must have exactly one type ("local" or "basic")`,
          );
        next[name] = deepCopy(identity);
      }
    }
    this.#identities = next;
  }

  async removeIdentities(names: readonly string[]): Promise<void> {
    this.#connect();
    const missing = names.filter((n) => !(n in this.#identities));
    if (missing.length)
      throw badRequest('POST /v1/identities', `identity ${JSON.stringify(missing[0])} does not exist`);
    for (const name of names) delete this.#identities[name];
  }

  /** A file's content as text, for assertions (throws `PebblePathError` like `pull`). */
  readText(path: string): string {
    return Buffer.from(this.filesystem.pull(path)).toString('utf8');
  }
}
