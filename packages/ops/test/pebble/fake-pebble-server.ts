/**
 * A small in-memory Pebble for tests: `node:http` on a unix socket in a temp dir, speaking
 * Pebble's JSON envelope. It keeps layers (with Pebble's override/combine rules), services,
 * changes that finish after a delay, checks, notices and signals; files live in a real temp
 * directory that stands in for the container's root.
 *
 * It is written independently of the client: multipart requests are parsed with the platform's
 * `Response.formData()`, and the read response is written by hand in Go's format.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type ExecChangeHost, FakeExecs } from './fake-exec.js';

type Json = Record<string, unknown>;
type Section = 'services' | 'checks' | 'log-targets';
interface WireLayer {
  summary?: string;
  description?: string;
  services?: Record<string, Json>;
  checks?: Record<string, Json>;
  'log-targets'?: Record<string, Json>;
}

interface FakeTask {
  id: string;
  kind: string;
  summary: string;
  status: string;
  log: string[];
  spawnTime: Date;
  readyTime?: Date;
  /** The task's API data (e.g. an exec's `exit-code`). */
  data?: Json;
}

interface FakeChange {
  id: string;
  kind: string;
  summary: string;
  status: string;
  ready: boolean;
  err?: string;
  tasks: FakeTask[];
  spawnTime: Date;
  readyTime?: Date;
  waiters: Array<() => void>;
}

interface FakeService {
  current: 'active' | 'inactive' | 'error' | 'backoff';
  since: Date;
  /** JSON of the definition it was started with, to detect changes on replan. */
  startedWith?: string;
}

interface FakeNotice {
  id: string;
  userId: number | null;
  type: string;
  key: string;
  firstOccurred: Date;
  lastOccurred: Date;
  lastRepeated: Date;
  occurrences: number;
  lastData?: Record<string, string>;
  repeatAfterMs?: number;
}

/** A request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string | undefined;
}

/** Hooks a test can use to take over a request; return true when it answered. */
export type Interceptor = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean;

const SECTIONS: readonly Section[] = ['services', 'checks', 'log-targets'];
const LIST_FIELDS = new Set(['after', 'before', 'requires']);
const MAP_FIELDS = new Set(['environment', 'on-check-failure', 'labels']);
const CUSTOM_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;

/** Go's `time.Duration.String()` for whole milliseconds, e.g. 90_000 → `1m30s`. */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (match === null) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind?: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  504: 'Gateway Timeout',
};

function fileErrorKind(error: unknown): { kind: string; status: number } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'not-found', status: 404 };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'permission-denied', status: 403 };
  return { kind: 'generic-file-error', status: 400 };
}

function goEscape(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

const IDENTITY_ACCESS = new Set(['admin', 'read', 'metrics', 'untrusted']);

export class FakePebbleServer implements ExecChangeHost {
  /** Milliseconds a change takes before it is ready. */
  changeDelay = 20;
  /** Services whose start fails (the change ends in Error). */
  readonly failingServices = new Set<string>();
  /** When true, requests are accepted but never answered. */
  hang = false;
  /** Takes over requests before the normal handling. */
  intercept: Interceptor | undefined;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** The metadata of each file written through the multipart API. */
  readonly writes: Json[] = [];
  /** Signals sent: `SIGNAL service`. */
  readonly signals: string[] = [];
  /** Status of checks by name (default `up`). */
  readonly checkStatus = new Map<string, { status: string; failures: number }>();

  readonly layers: Array<{ label: string; layer: WireLayer }> = [];
  readonly services = new Map<string, FakeService>();
  readonly changes = new Map<string, FakeChange>();
  readonly notices: FakeNotice[] = [];
  /** Identities by name, in Pebble's wire form (passwords unmasked). */
  readonly identities = new Map<string, Json>();
  /** Exec: the commands run and their websockets (see fake-exec.ts). */
  readonly execs: FakeExecs;
  private readonly stoppedChecks = new Set<string>();
  private nextId = 1;
  private nextNoticeId = 1;

  private constructor(
    /** The temp directory holding the socket and the file root. */
    readonly dir: string,
    /** Path of the unix socket. */
    readonly socketPath: string,
    /** The directory standing in for the container's `/`. */
    readonly root: string,
    private readonly server: Server,
  ) {
    this.execs = new FakeExecs(this, root);
  }

  /** Starts a fake on a fresh socket. */
  static async start(): Promise<FakePebbleServer> {
    const dir = await fs.mkdtemp(join(tmpdir(), 'fake-pebble-'));
    const root = join(dir, 'root');
    await fs.mkdir(root);
    const socketPath = join(dir, 'pebble.socket');
    const server = createServer();
    const fake = new FakePebbleServer(dir, socketPath, root, server);
    server.on('request', (req, res) => fake.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      fake.requests.push({
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://pebble').pathname,
        query: new URL(req.url ?? '/', 'http://pebble').searchParams,
        body: Buffer.alloc(0),
        contentType: undefined,
      });
      if (!fake.execs.upgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    return fake;
  }

  /** Stops the server (dropping hung connections) and deletes the temp directory. */
  async close(): Promise<void> {
    this.execs.stopAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Host path of a container path. */
  hostPath(containerPath: string): string {
    return join(this.root, containerPath);
  }

  /** The combined plan, in Pebble's wire form. */
  plan(): WireLayer {
    let plan: WireLayer = {};
    for (const { layer } of this.layers) plan = combineLayers(plan, layer);
    return plan;
  }

  /** Adds a notice as Pebble itself would (e.g. a change-update), for tests of `getNotices`. */
  addNotice(type: string, key: string, data?: Record<string, string>, repeatAfterMs?: number): string {
    const now = new Date();
    const existing = this.notices.find((n) => n.type === type && n.key === key);
    if (existing !== undefined) {
      existing.occurrences++;
      existing.lastOccurred = now;
      if (data !== undefined) existing.lastData = data;
      const repeatAfter = repeatAfterMs ?? existing.repeatAfterMs;
      if (repeatAfter === undefined || now.getTime() - existing.lastRepeated.getTime() >= repeatAfter) {
        existing.lastRepeated = now;
      }
      if (repeatAfterMs !== undefined) existing.repeatAfterMs = repeatAfterMs;
      return existing.id;
    }
    const notice: FakeNotice = {
      id: String(this.nextNoticeId++),
      userId: null,
      type,
      key,
      firstOccurred: now,
      lastOccurred: now,
      lastRepeated: now,
      occurrences: 1,
    };
    if (data !== undefined) notice.lastData = data;
    if (repeatAfterMs !== undefined) notice.repeatAfterMs = repeatAfterMs;
    this.notices.push(notice);
    return notice.id;
  }

  /** {@link ExecChangeHost}: an `exec` change with one task. */
  newExecChange(summary: string): { changeId: string; taskId: string } {
    const change = this.newChange('exec', summary);
    const taskId = `${change.id}-exec`;
    change.tasks.push({ id: taskId, kind: 'exec', summary, status: 'Doing', log: [], spawnTime: new Date() });
    return { changeId: change.id, taskId };
  }

  /** {@link ExecChangeHost}: ends the exec's change. */
  finishExecChange(changeId: string, data: Json, err?: string): void {
    const change = this.changes.get(changeId);
    const task = change?.tasks[0];
    if (change === undefined || task === undefined) return;
    const now = new Date();
    task.data = data;
    task.status = err === undefined ? 'Done' : 'Error';
    task.readyTime = now;
    change.status = task.status;
    change.ready = true;
    change.readyTime = now;
    if (err !== undefined) change.err = err;
    for (const wake of change.waiters.splice(0)) wake();
  }

  // --- HTTP plumbing ---------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://pebble');
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      body,
      contentType: req.headers['content-type'],
    });
    if (this.hang) return;
    if (this.intercept?.(req, res, body)) return;
    try {
      const result = await this.route(req, url, body, res);
      if (result === undefined) return; // already answered (multipart read)
      this.send(res, result.status ?? 200, result);
    } catch (error) {
      if (error instanceof HttpError) {
        const payload: Json = { message: error.message };
        if (error.kind !== undefined) payload.kind = error.kind;
        this.send(res, error.status, { type: 'error', result: payload });
      } else {
        this.send(res, 500, { type: 'error', result: { message: String(error) } });
      }
    }
  }

  private send(
    res: ServerResponse,
    status: number,
    reply: { type: string; result?: unknown; change?: string },
  ) {
    const envelope: Json = { type: reply.type, 'status-code': status, status: STATUS_TEXT[status] ?? '' };
    if (reply.change !== undefined) envelope.change = reply.change;
    if (reply.result !== undefined) envelope.result = reply.result;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(envelope));
  }

  private async route(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    res: ServerResponse,
  ): Promise<{ type: string; result?: unknown; change?: string; status?: number } | undefined> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const q = url.searchParams;
    const json = (): Json => {
      try {
        return JSON.parse(body.toString('utf8')) as Json;
      } catch {
        throw new HttpError(400, 'cannot decode request body');
      }
    };
    const sync = (result: unknown) => ({ type: 'sync', result });

    if (method === 'GET' && path === '/v1/system-info') {
      return sync({ version: '1.19.0-fake', 'boot-id': 'a3b0c9f2-boot' });
    }
    if (method === 'GET' && path === '/v1/plan') {
      if (q.get('format') !== 'yaml') throw new HttpError(400, 'invalid format');
      return sync(stringifyYaml(this.plan()));
    }
    if (method === 'POST' && path === '/v1/layers') return sync(this.addLayer(json()));
    if (method === 'GET' && path === '/v1/services') return sync(this.serviceInfos(q.get('names')));
    if (method === 'POST' && path === '/v1/services') {
      const change = this.serviceAction(json());
      return { type: 'async', status: 202, change };
    }
    if (method === 'POST' && path === '/v1/signals') return sync(this.signal(json()));
    const changeMatch = /^\/v1\/changes\/([^/]+)(\/wait)?$/.exec(path);
    if (method === 'GET' && changeMatch !== null) {
      const id = decodeURIComponent(changeMatch[1] ?? '');
      const change = this.changes.get(id);
      if (change === undefined) throw new HttpError(404, `cannot find change with id "${id}"`);
      if (changeMatch[2] !== undefined) await this.waitReady(change, q.get('timeout') ?? '');
      return sync(changeJson(change));
    }
    if (method === 'GET' && path === '/v1/files') {
      if (q.get('action') === 'list') return sync(await this.listFiles(q));
      if (q.get('action') === 'read') {
        await this.readFiles(req, q, res);
        return undefined;
      }
      throw new HttpError(400, `invalid action "${q.get('action')}"`);
    }
    if (method === 'POST' && path === '/v1/files') {
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data'))
        return sync(await this.writeFiles(contentType, body));
      const payload = json();
      if (payload.action === 'make-dirs') return sync(await this.makeDirs(payload.dirs as Json[]));
      if (payload.action === 'remove') return sync(await this.removePaths(payload.paths as Json[]));
      throw new HttpError(400, `invalid action "${String(payload.action)}"`);
    }
    if (method === 'GET' && path === '/v1/checks') return sync(this.checkInfos(q));
    if (method === 'POST' && path === '/v1/checks') return sync(this.checkAction(json()));
    if (method === 'GET' && path === '/v1/notices') return sync(this.noticeList(q));
    if (method === 'POST' && path === '/v1/notices') return sync(this.notify(json()));
    const noticeMatch = /^\/v1\/notices\/([^/]+)$/.exec(path);
    if (method === 'GET' && noticeMatch !== null) {
      const id = decodeURIComponent(noticeMatch[1] ?? '');
      const notice = this.notices.find((n) => n.id === id);
      if (notice === undefined) throw new HttpError(404, `cannot find notice with ID "${id}"`);
      return sync(noticeJson(notice));
    }
    if (method === 'POST' && path === '/v1/exec') {
      try {
        const { changeId, result } = this.execs.start(json());
        return { type: 'async', status: 202, change: changeId, result };
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new HttpError(400, (error as Error).message);
      }
    }
    if (method === 'GET' && path === '/v1/identities') return sync(this.identityList());
    if (method === 'POST' && path === '/v1/identities') return sync(this.identityAction(json()));
    throw new HttpError(404, `no route for ${method} ${path}`);
  }

  // --- identities --------------------------------------------------------------------------

  private identityList(): Json {
    const out: Json = {};
    for (const [name, identity] of this.identities) {
      const masked: Json = { ...identity };
      if (identity.basic !== undefined) masked.basic = { password: '*****' };
      out[name] = masked;
    }
    return out;
  }

  private identityAction(payload: Json): null {
    const identities = (payload.identities as Record<string, Json | null> | undefined) ?? {};
    for (const [name, identity] of Object.entries(identities)) {
      if (identity === null) continue;
      if (!IDENTITY_ACCESS.has(String(identity.access))) {
        throw new HttpError(
          400,
          `invalid identity for "${name}": invalid access value "${String(identity.access)}"`,
        );
      }
      const local = identity.local as Json | undefined;
      if (local !== undefined && typeof local['user-id'] !== 'number') {
        throw new HttpError(400, `invalid identity for "${name}": local identity must specify user-id`);
      }
      if (local === undefined && identity.basic === undefined) {
        throw new HttpError(400, `invalid identity for "${name}": identity must have at least one type`);
      }
    }
    switch (payload.action) {
      case 'replace':
        for (const [name, identity] of Object.entries(identities)) {
          if (identity === null) this.identities.delete(name);
          else this.identities.set(name, identity);
        }
        return null;
      case 'remove':
        for (const [name, identity] of Object.entries(identities)) {
          if (identity !== null)
            throw new HttpError(400, `identity value for "${name}" must be null for remove operation`);
          if (!this.identities.has(name)) throw new HttpError(400, `identity "${name}" does not exist`);
        }
        for (const name of Object.keys(identities)) this.identities.delete(name);
        return null;
      default:
        throw new HttpError(400, `invalid action "${String(payload.action)}"`);
    }
  }

  // --- layers ----------------------------------------------------------------------------

  private addLayer(payload: Json): boolean {
    const label = String(payload.label ?? '');
    if (payload.action !== 'add') throw new HttpError(400, `invalid action "${String(payload.action)}"`);
    if (payload.format !== 'yaml') throw new HttpError(400, `invalid format "${String(payload.format)}"`);
    if (label === '') throw new HttpError(400, 'label must be set');
    let layer: WireLayer;
    try {
      layer = (parseYaml(String(payload.layer)) ?? {}) as WireLayer;
    } catch (error) {
      throw new HttpError(400, `cannot parse layer YAML: ${String(error)}`);
    }
    for (const section of SECTIONS) {
      for (const [name, entry] of Object.entries(layer[section] ?? {})) {
        const kind = section === 'log-targets' ? 'log target' : section.slice(0, -1);
        if (entry.override !== 'merge' && entry.override !== 'replace') {
          throw new HttpError(400, `layer "${label}" must define "override" for ${kind} "${name}"`);
        }
      }
    }
    const existing = this.layers.find((l) => l.label === label);
    if (existing === undefined) {
      this.layers.push({ label, layer });
    } else if (payload.combine === true) {
      existing.layer = combineLayers(existing.layer, layer);
    } else {
      throw new HttpError(400, `layer "${label}" already exists`);
    }
    return true;
  }

  // --- services and changes --------------------------------------------------------------

  private serviceInfos(names: string | null): Json[] {
    const plan = this.plan().services ?? {};
    const wanted = names === null || names === '' ? Object.keys(plan).sort() : names.split(',');
    return wanted
      .filter((name) => plan[name] !== undefined)
      .map((name) => {
        const state = this.services.get(name);
        return {
          name,
          startup: plan[name]?.startup === 'enabled' ? 'enabled' : 'disabled',
          current: state?.current ?? 'inactive',
          ...(state === undefined ? {} : { 'current-since': state.since.toISOString() }),
        };
      });
  }

  private serviceAction(payload: Json): string {
    const action = String(payload.action);
    const names = (payload.services as string[] | undefined) ?? [];
    const plan = this.plan().services ?? {};
    const enabled = Object.keys(plan).filter((name) => plan[name]?.startup === 'enabled');
    const steps: Array<{ kind: 'start' | 'stop'; name: string }> = [];
    switch (action) {
      case 'start':
      case 'stop':
      case 'restart':
        if (names.length === 0) throw new HttpError(400, `must specify services for ${action} action`);
        for (const name of names) {
          if (plan[name] === undefined) {
            throw new HttpError(400, `cannot ${action} services: service "${name}" does not exist`);
          }
        }
        if (action !== 'start') for (const name of names) steps.push({ kind: 'stop', name });
        if (action !== 'stop') for (const name of names) steps.push({ kind: 'start', name });
        break;
      case 'autostart':
        if (enabled.length === 0) throw new HttpError(400, 'no default services', 'no-default-services');
        for (const name of enabled) steps.push({ kind: 'start', name });
        break;
      case 'replan':
        for (const name of enabled) {
          const state = this.services.get(name);
          if (state?.current === 'active' && state.startedWith === JSON.stringify(plan[name])) continue;
          if (state?.current === 'active') steps.push({ kind: 'stop', name });
          steps.push({ kind: 'start', name });
        }
        break;
      default:
        throw new HttpError(400, `invalid action "${action}"`);
    }
    const title = action[0]?.toUpperCase() + action.slice(1);
    const summary =
      names.length === 1
        ? `${title} service "${names[0]}"`
        : `${title} ${names.length || steps.length} services`;
    const change = this.newChange(action, summary);
    for (const step of steps) {
      change.tasks.push({
        id: String(this.nextId++),
        kind: step.kind,
        summary: `${step.kind === 'start' ? 'Start' : 'Stop'} service "${step.name}"`,
        status: 'Do',
        log: [],
        spawnTime: new Date(),
      });
    }
    setTimeout(() => this.runChange(change, steps, plan), this.changeDelay);
    return change.id;
  }

  private newChange(kind: string, summary: string): FakeChange {
    const change: FakeChange = {
      id: String(this.nextId++),
      kind,
      summary,
      status: 'Doing',
      ready: false,
      tasks: [],
      spawnTime: new Date(),
      waiters: [],
    };
    this.changes.set(change.id, change);
    return change;
  }

  private runChange(
    change: FakeChange,
    steps: Array<{ kind: 'start' | 'stop'; name: string }>,
    plan: Record<string, Json>,
  ) {
    const errors: string[] = [];
    steps.forEach((step, i) => {
      const task = change.tasks[i];
      if (task === undefined) return;
      const now = new Date();
      if (step.kind === 'stop') {
        this.services.set(step.name, { current: 'inactive', since: now });
        task.status = 'Done';
      } else if (this.failingServices.has(step.name)) {
        this.services.set(step.name, { current: 'error', since: now });
        task.status = 'Error';
        task.log.push(`${now.toISOString()} ERROR cannot start service: exited quickly with code 1`);
        errors.push(`- ${task.summary} (cannot start service: exited quickly with code 1)`);
      } else {
        this.services.set(step.name, {
          current: 'active',
          since: now,
          startedWith: JSON.stringify(plan[step.name]),
        });
        task.status = 'Done';
      }
      task.readyTime = now;
    });
    change.ready = true;
    change.readyTime = new Date();
    change.status = errors.length > 0 ? 'Error' : 'Done';
    if (errors.length > 0) change.err = `cannot perform the following tasks:\n${errors.join('\n')}`;
    for (const wake of change.waiters.splice(0)) wake();
  }

  /** Holds a wait request until the change is ready or the timeout passes (then 504). */
  private async waitReady(change: FakeChange, timeoutText: string): Promise<void> {
    if (change.ready) return;
    const timeout = timeoutText === '' ? undefined : parseDurationMs(timeoutText);
    if (timeoutText !== '' && timeout === undefined)
      throw new HttpError(400, `invalid timeout: "${timeoutText}"`);
    const ready = await new Promise<boolean>((resolve) => {
      const timer = timeout === undefined ? undefined : setTimeout(() => resolve(false), timeout);
      change.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) throw new HttpError(504, `timed out waiting for change after ${timeoutText}`);
  }

  private signal(payload: Json): boolean {
    const services = (payload.services as string[] | undefined) ?? [];
    for (const name of services) {
      if (this.services.get(name)?.current !== 'active') {
        throw new HttpError(500, `cannot send signal to "${name}": service is not running`);
      }
    }
    for (const name of services) this.signals.push(`${String(payload.signal)} ${name}`);
    return true;
  }

  // --- checks ----------------------------------------------------------------------------

  private checkInfos(q: URLSearchParams): Json[] {
    const level = q.get('level') ?? '';
    if (level !== '' && level !== 'alive' && level !== 'ready') {
      throw new HttpError(400, 'level must be "alive" or "ready"');
    }
    const names = (q.get('names') ?? '').split(',').filter((n) => n !== '');
    const checks = this.plan().checks ?? {};
    return Object.keys(checks)
      .sort()
      .filter(
        (name) =>
          (level === '' || checks[name]?.level === level) && (names.length === 0 || names.includes(name)),
      )
      .map((name) => {
        const def = checks[name] ?? {};
        const state = this.stoppedChecks.has(name)
          ? { status: 'inactive', failures: 0 }
          : (this.checkStatus.get(name) ?? { status: 'up', failures: 0 });
        return {
          name,
          ...(def.level === undefined ? {} : { level: def.level }),
          startup: def.startup ?? 'enabled',
          status: state.status,
          ...(state.failures === 0 ? {} : { failures: state.failures }),
          threshold: def.threshold ?? 3,
        };
      });
  }

  private checkAction(payload: Json): Json {
    const names = (payload.checks as string[] | undefined) ?? [];
    if (names.length === 0)
      throw new HttpError(400, `must specify checks for ${String(payload.action)} action`);
    const checks = this.plan().checks ?? {};
    const changed: string[] = [];
    for (const name of names) {
      if (checks[name] === undefined)
        throw new HttpError(400, `cannot ${String(payload.action)} checks: check "${name}" does not exist`);
      const stopped = this.stoppedChecks.has(name);
      if (payload.action === 'stop' && !stopped) {
        this.stoppedChecks.add(name);
        changed.push(name);
      } else if (payload.action === 'start' && stopped) {
        this.stoppedChecks.delete(name);
        changed.push(name);
      }
    }
    return { changed };
  }

  // --- notices ---------------------------------------------------------------------------

  private notify(payload: Json): Json {
    if (payload.action !== 'add') throw new HttpError(400, `invalid action "${String(payload.action)}"`);
    if (payload.type !== 'custom') {
      throw new HttpError(400, `invalid type "${String(payload.type)}" (can only add "custom" notices)`);
    }
    const key = String(payload.key);
    if (!CUSTOM_KEY.test(key))
      throw new HttpError(400, `invalid key "${key}" (must be in "domain.com/key" format)`);
    let repeatAfter: number | undefined;
    if (payload['repeat-after'] !== undefined) {
      repeatAfter = parseDurationMs(String(payload['repeat-after']));
      if (repeatAfter === undefined) throw new HttpError(400, 'invalid repeat-after');
    }
    const data = payload.data as Record<string, string> | undefined;
    return { id: this.addNotice('custom', key, data, repeatAfter) };
  }

  private noticeList(q: URLSearchParams): Json[] {
    const types = (q.get('types') ?? '').split(',').filter((t) => t !== '');
    const keys = (q.get('keys') ?? '').split(',').filter((k) => k !== '');
    const after = q.get('after');
    const afterTime = after === null ? undefined : new Date(after).getTime();
    return this.notices
      .filter(
        (n) =>
          (types.length === 0 || types.includes(n.type)) &&
          (keys.length === 0 || keys.includes(n.key)) &&
          (afterTime === undefined || n.lastRepeated.getTime() > afterTime),
      )
      .sort((a, b) => a.lastRepeated.getTime() - b.lastRepeated.getTime())
      .map(noticeJson);
  }

  // --- files -----------------------------------------------------------------------------

  private containerPath(path: string): string {
    if (!posix.isAbsolute(path)) throw new HttpError(400, `paths must be absolute, got "${path}"`);
    return this.hostPath(posix.normalize(path));
  }

  private async listFiles(q: URLSearchParams): Promise<Json[]> {
    const path = q.get('path') ?? '';
    if (path === '') throw new HttpError(400, 'must specify path');
    const host = this.containerPath(path);
    const pattern = q.get('pattern');
    let stat: Awaited<ReturnType<typeof fs.lstat>>;
    try {
      stat = await fs.stat(host);
    } catch (error) {
      const { kind, status } = fileErrorKind(error);
      throw new HttpError(status, `stat ${path}: no such file or directory`, kind);
    }
    let entries: Array<{ containerPath: string; hostPath: string }>;
    if (!stat.isDirectory() || q.get('itself') === 'true') {
      entries = [{ containerPath: path, hostPath: host }];
    } else {
      const names = (await fs.readdir(host)).sort();
      entries = names.map((name) => ({ containerPath: posix.join(path, name), hostPath: join(host, name) }));
    }
    const out: Json[] = [];
    for (const entry of entries) {
      const name = posix.basename(entry.containerPath);
      if (pattern !== null && pattern !== '' && !globMatch(pattern, name)) continue;
      const info = await fs.lstat(entry.hostPath);
      const type = info.isFile()
        ? 'file'
        : info.isDirectory()
          ? 'directory'
          : info.isSymbolicLink()
            ? 'symlink'
            : info.isSocket()
              ? 'socket'
              : info.isFIFO()
                ? 'named-pipe'
                : 'device';
      out.push({
        path: entry.containerPath,
        name,
        type,
        ...(info.isFile() ? { size: info.size } : {}),
        permissions: (info.mode & 0o777).toString(8).padStart(3, '0'),
        'last-modified': info.mtime.toISOString().replace('Z', '+00:00'),
        'user-id': info.uid,
        user: info.uid === 0 ? 'root' : '',
        'group-id': info.gid,
        group: info.gid === 0 ? 'root' : '',
      });
    }
    return out;
  }

  /** Answers `action=read` the way Pebble does: file parts, then a JSON "response" part. */
  private async readFiles(req: IncomingMessage, q: URLSearchParams, res: ServerResponse): Promise<void> {
    const paths = q.getAll('path');
    if (paths.length === 0) throw new HttpError(400, 'must specify one or more paths');
    if (req.headers.accept !== 'multipart/form-data')
      throw new HttpError(400, 'must accept multipart/form-data');
    const boundary = `go${randomUUID().replaceAll('-', '')}`;
    const chunks: Buffer[] = [];
    const results: Json[] = [];
    for (const path of paths) {
      try {
        const data = await fs.readFile(this.containerPath(path));
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${goEscape(path)}"\r\n` +
              'Content-Type: application/octet-stream\r\n\r\n',
          ),
          data,
          Buffer.from('\r\n'),
        );
        results.push({ path });
      } catch (error) {
        const { kind } = fileErrorKind(error);
        results.push({ path, error: { kind, message: `open ${path}: ${(error as Error).message}` } });
      }
    }
    const envelope = { type: 'sync', 'status-code': 200, status: 'OK', result: results };
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="response"\r\n\r\n` +
          `${JSON.stringify(envelope)}\n\r\n--${boundary}--\r\n`,
      ),
    );
    res.writeHead(200, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
    res.end(Buffer.concat(chunks));
  }

  private async writeFiles(contentType: string, body: Buffer): Promise<Json[]> {
    const boundary = /boundary=([^;]+)/.exec(contentType)?.[1] ?? '';
    if (boundary.length < 32) throw new HttpError(400, `invalid boundary "${boundary}"`);
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    } catch (error) {
      throw new HttpError(400, `cannot parse multipart body: ${String(error)}`);
    }
    const entries = [...form.entries()];
    if (entries[0]?.[0] !== 'request') throw new HttpError(400, 'metadata field name must be "request"');
    const request = JSON.parse(String(entries[0][1])) as { action: string; files: Json[] };
    if (request.action !== 'write')
      throw new HttpError(400, `multipart action must be "write", got "${request.action}"`);
    const results: Json[] = [];
    for (const meta of request.files) {
      this.writes.push(meta);
      const path = String(meta.path);
      const part = entries.find(
        ([name, value]) => name === 'files' && typeof value !== 'string' && value.name === path,
      );
      if (part === undefined || typeof part[1] === 'string') {
        results.push({
          path,
          error: { kind: 'generic-file-error', message: `no file content for path "${path}"` },
        });
        continue;
      }
      try {
        const host = this.containerPath(path);
        if (meta['make-dirs'] === true) await fs.mkdir(dirname(host), { recursive: true, mode: 0o755 });
        const permissions =
          meta.permissions === undefined ? 0o644 : Number.parseInt(String(meta.permissions), 8);
        if (meta.permissions !== undefined && !/^[0-7]{3}$/.test(String(meta.permissions))) {
          throw Object.assign(
            new Error(`permissions must be a 3-digit octal string, got "${String(meta.permissions)}"`),
            {
              code: 'EINVAL',
            },
          );
        }
        const tmp = `${host}.pebble-tmp`;
        await fs.writeFile(tmp, Buffer.from(await part[1].arrayBuffer()), { mode: permissions });
        await fs.chmod(tmp, permissions);
        await fs.rename(tmp, host);
        results.push({ path });
      } catch (error) {
        const { kind } = fileErrorKind(error);
        results.push({ path, error: { kind, message: (error as Error).message } });
      }
    }
    return results;
  }

  private async makeDirs(dirs: Json[]): Promise<Json[]> {
    const results: Json[] = [];
    for (const dir of dirs) {
      const path = String(dir.path);
      try {
        const host = this.containerPath(path);
        const mode = dir.permissions === undefined ? 0o755 : Number.parseInt(String(dir.permissions), 8);
        if (dir['make-parents'] === true) {
          await fs.mkdir(host, { recursive: true, mode });
        } else {
          await fs.mkdir(host, { mode });
        }
        await fs.chmod(host, mode);
        results.push({ path });
      } catch (error) {
        const { kind } = fileErrorKind(error);
        results.push({
          path,
          error: { kind, message: `mkdir ${path}: ${(error as NodeJS.ErrnoException).code}` },
        });
      }
    }
    return results;
  }

  private async removePaths(paths: Json[]): Promise<Json[]> {
    const results: Json[] = [];
    for (const item of paths) {
      const path = String(item.path);
      try {
        const host = this.containerPath(path);
        if (item.recursive === true) {
          await fs.rm(host, { recursive: true, force: true });
        } else if ((await fs.lstat(host)).isDirectory()) {
          await fs.rmdir(host);
        } else {
          await fs.unlink(host);
        }
        results.push({ path });
      } catch (error) {
        const { kind } = fileErrorKind(error);
        results.push({
          path,
          error: { kind, message: `remove ${path}: ${(error as NodeJS.ErrnoException).code}` },
        });
      }
    }
    return results;
  }
}

// --- layer combination (Pebble's rules) -------------------------------------------------------

function mergeEntry(base: Json, top: Json): Json {
  const out: Json = { ...base };
  for (const [field, value] of Object.entries(top)) {
    const previous = out[field];
    if (LIST_FIELDS.has(field) && Array.isArray(previous) && Array.isArray(value)) {
      out[field] = [...previous, ...value];
    } else if (
      (MAP_FIELDS.has(field) || field === 'http' || field === 'tcp' || field === 'exec') &&
      typeof previous === 'object' &&
      previous !== null &&
      typeof value === 'object' &&
      value !== null
    ) {
      out[field] = { ...(previous as Json), ...(value as Json) };
    } else {
      out[field] = value;
    }
  }
  return out;
}

function combineLayers(base: WireLayer, top: WireLayer): WireLayer {
  const out: WireLayer = { ...base };
  if (top.summary !== undefined) out.summary = top.summary;
  if (top.description !== undefined) out.description = top.description;
  for (const section of SECTIONS) {
    const entries = top[section];
    if (entries === undefined) continue;
    const merged: Record<string, Json> = { ...(base[section] ?? {}) };
    for (const [name, entry] of Object.entries(entries)) {
      const previous = merged[name];
      merged[name] =
        entry.override === 'merge' && previous !== undefined ? mergeEntry(previous, entry) : { ...entry };
    }
    out[section] = merged;
  }
  return out;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('*', '[^/]*')
    .replaceAll('?', '[^/]');
  return new RegExp(`^${re}$`).test(name);
}

function changeJson(change: FakeChange): Json {
  return {
    id: change.id,
    kind: change.kind,
    summary: change.summary,
    status: change.status,
    tasks: change.tasks.map((task) => ({
      id: task.id,
      kind: task.kind,
      summary: task.summary,
      status: task.status,
      ...(task.log.length > 0 ? { log: task.log } : {}),
      progress: { label: '', done: task.status === 'Done' ? 1 : 0, total: 1 },
      'spawn-time': task.spawnTime.toISOString(),
      ...(task.readyTime === undefined ? {} : { 'ready-time': task.readyTime.toISOString() }),
      ...(task.data === undefined ? {} : { data: task.data }),
    })),
    ready: change.ready,
    ...(change.err === undefined ? {} : { err: change.err }),
    'spawn-time': change.spawnTime.toISOString(),
    ...(change.readyTime === undefined ? {} : { 'ready-time': change.readyTime.toISOString() }),
  };
}

function noticeJson(notice: FakeNotice): Json {
  return {
    id: notice.id,
    'user-id': notice.userId,
    type: notice.type,
    key: notice.key,
    'first-occurred': notice.firstOccurred.toISOString(),
    'last-occurred': notice.lastOccurred.toISOString(),
    'last-repeated': notice.lastRepeated.toISOString(),
    occurrences: notice.occurrences,
    ...(notice.lastData === undefined ? {} : { 'last-data': notice.lastData }),
    ...(notice.repeatAfterMs === undefined ? {} : { 'repeat-after': goDurationString(notice.repeatAfterMs) }),
    'expire-after': '168h0m0s',
  };
}
