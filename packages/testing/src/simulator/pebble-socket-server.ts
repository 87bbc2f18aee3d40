import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { type Identity, PebbleAPIError, PebblePathError, type Plan } from '@charmkit/ops/pebble';
import { stringify as stringifyYaml } from 'yaml';
import type { MemoryPebble } from '../pebble/memory-pebble.js';
import { PebbleExecServer } from './pebble-exec-server.js';

type Json = Record<string, unknown>;

/** An answer: Pebble's JSON envelope (`sync`, `async` with a change, or `error`). */
interface Reply {
  readonly type: 'sync' | 'async' | 'error';
  readonly status: number;
  readonly result?: unknown;
  readonly change?: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

/** A request this server refuses, answered as Pebble answers it (the client's `PebbleAPIError`). */
function badRequest(message: string, statusCode = 400): PebbleAPIError {
  return new PebbleAPIError(message, { statusCode, status: STATUS_TEXT[statusCode] ?? '', request: '' });
}

/**
 * Serves one container's in-memory Pebble on a unix socket with Pebble's REST API (v1), so a charm
 * running as a real process (the simulator's process mode) talks to it through the production
 * `PebbleClient`, unchanged. It answers the endpoints that client uses: system info, plan and
 * layers, services and changes, signals, files, checks, notices and identities, and `exec` with
 * its task websockets (`PebbleExecServer`).
 *
 * The Pebble is looked up on every request, so a container restart (a fresh `MemoryPebble`) is
 * what the next request sees, as with a restarted Pebble on the same socket.
 */
export class PebbleSocketServer {
  private constructor(
    private readonly server: Server,
    /** The socket path (`<dir>/<container>/pebble.socket`). */
    readonly socketPath: string,
    private readonly pebble: () => MemoryPebble,
    private readonly execs: PebbleExecServer,
  ) {}

  /** Listens on `socketPath` (making its directory, replacing a stale socket file). */
  static async listen(socketPath: string, pebble: () => MemoryPebble): Promise<PebbleSocketServer> {
    mkdirSync(dirname(socketPath), { recursive: true });
    if (existsSync(socketPath)) rmSync(socketPath);
    const server = createServer();
    const execs = new PebbleExecServer(pebble);
    const served = new PebbleSocketServer(server, socketPath, pebble, execs);
    // A container whose Pebble is not up (new, or restarted, before pebble-ready) drops every
    // connection: the client sees a connection error, as with a Pebble that is not listening.
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!pebble().canConnect) return void req.socket.destroy();
      void served.#handle(req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!pebble().canConnect) return void socket.destroy();
      execs.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return served;
  }

  /** Stops listening (dropping idle keep-alive connections) and removes the socket file. */
  async close(): Promise<void> {
    this.execs.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    rmSync(this.socketPath, { force: true });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://pebble');
    let reply: Reply | null;
    try {
      reply = await this.#route(req, url, body, res);
    } catch (error) {
      reply = errorReply(error);
    }
    if (reply === null) return; // answered already (a multipart file read)
    const envelope: Json = {
      type: reply.type,
      'status-code': reply.status,
      status: STATUS_TEXT[reply.status] ?? '',
    };
    if (reply.change !== undefined) envelope.change = reply.change;
    if (reply.result !== undefined) envelope.result = reply.result;
    res.writeHead(reply.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(envelope));
  }

  async #route(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): Promise<Reply | null> {
    const pebble = this.pebble();
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const q = url.searchParams;
    const json = (): Json => {
      try {
        return JSON.parse(body.toString('utf8')) as Json;
      } catch {
        throw badRequest('cannot decode request body');
      }
    };
    const list = (name: string): string[] | undefined => {
      const value = q.get(name);
      return value === null || value === '' ? undefined : value.split(',');
    };

    if (method === 'GET' && path === '/v1/system-info') {
      const info = await pebble.systemInfo();
      return sync({ version: info.version, 'boot-id': info.bootId });
    }
    if (method === 'GET' && path === '/v1/plan') {
      if (q.get('format') !== 'yaml') throw badRequest(`invalid format ${JSON.stringify(q.get('format'))}`);
      return sync(stringifyYaml(planToWire(await pebble.getPlan())));
    }
    if (method === 'POST' && path === '/v1/layers') {
      const request = json();
      if (request.action !== 'add') throw badRequest(`invalid action ${JSON.stringify(request.action)}`);
      if (request.format !== 'yaml') throw badRequest(`invalid format ${JSON.stringify(request.format)}`);
      await pebble.addLayer(String(request.label ?? ''), String(request.layer ?? ''), {
        combine: request.combine === true,
      });
      return sync(true);
    }
    if (method === 'GET' && path === '/v1/services')
      return sync(toWire(await pebble.getServices(list('names'))));
    if (method === 'POST' && path === '/v1/services') {
      const request = json();
      const names = (request.services as string[] | undefined) ?? [];
      const noWait = { wait: false };
      let change: string;
      switch (request.action) {
        case 'start':
          change = await pebble.startServices(names, noWait);
          break;
        case 'stop':
          change = await pebble.stopServices(names, noWait);
          break;
        case 'restart':
          change = await pebble.restartServices(names, noWait);
          break;
        case 'replan':
          change = await pebble.replan(noWait);
          break;
        case 'autostart':
          change = await pebble.autostartServices(noWait);
          break;
        default:
          throw badRequest(`invalid action ${JSON.stringify(request.action)}`);
      }
      return { type: 'async', status: 202, change };
    }
    if (method === 'POST' && path === '/v1/signals') {
      const request = json();
      await pebble.sendSignal(String(request.signal ?? ''), (request.services as string[] | undefined) ?? []);
      return sync(true);
    }
    const changeMatch = /^\/v1\/changes\/([^/]+)(\/wait)?$/.exec(path);
    if (method === 'GET' && changeMatch !== null) {
      const id = decodeURIComponent(changeMatch[1] ?? '');
      // An exec's change is ready when its command has finished; every other change at once.
      const exec = changeMatch[2] ? await this.execs.waitChange(id) : this.execs.change(id);
      if (exec) return sync(toWire(exec));
      return sync(toWire(await pebble.getChange(id)));
    }
    if (method === 'GET' && path === '/v1/files') {
      if (q.get('action') === 'list') {
        const target = q.get('path') ?? '';
        const pattern = q.get('pattern');
        return sync(
          toWire(
            await pebble.listFiles(target, {
              ...(pattern ? { pattern } : {}),
              ...(q.get('itself') === 'true' ? { itself: true } : {}),
            }),
          ),
        );
      }
      if (q.get('action') === 'read') {
        await readFiles(pebble, q.getAll('path'), res);
        return null;
      }
      throw badRequest(`invalid action ${JSON.stringify(q.get('action'))}`);
    }
    if (method === 'POST' && path === '/v1/files') {
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data'))
        return sync(await writeFiles(pebble, contentType, body));
      const request = json();
      if (request.action === 'make-dirs') {
        return sync(
          await perPath((request.dirs as Json[]) ?? [], (dir) =>
            pebble.makeDir(String(dir.path), {
              ...ownershipFromWire(dir),
              ...(dir['make-parents'] === true ? { makeParents: true } : {}),
              ...(dir.permissions === undefined
                ? {}
                : { permissions: Number.parseInt(String(dir.permissions), 8) }),
            }),
          ),
        );
      }
      if (request.action === 'remove') {
        return sync(
          await perPath((request.paths as Json[]) ?? [], (item) =>
            pebble.removePath(String(item.path), { recursive: item.recursive === true }),
          ),
        );
      }
      throw badRequest(`invalid action ${JSON.stringify(request.action)}`);
    }
    if (method === 'GET' && path === '/v1/checks') {
      const level = q.get('level');
      const names = list('names');
      return sync(
        toWire(
          await pebble.getChecks({
            ...(level === 'alive' || level === 'ready' ? { level } : {}),
            ...(names ? { names } : {}),
          }),
        ),
      );
    }
    if (method === 'POST' && path === '/v1/checks') {
      const request = json();
      const names = (request.checks as string[] | undefined) ?? [];
      if (request.action === 'start') return sync({ changed: await pebble.startChecks(names) });
      if (request.action === 'stop') return sync({ changed: await pebble.stopChecks(names) });
      throw badRequest(`invalid action ${JSON.stringify(request.action)}`);
    }
    if (method === 'GET' && path === '/v1/notices') {
      const types = list('types');
      const keys = list('keys');
      const after = q.get('after');
      const userId = q.get('user-id');
      return sync(
        toWire(
          await pebble.getNotices({
            ...(types ? { types } : {}),
            ...(keys ? { keys } : {}),
            ...(after ? { after: new Date(after) } : {}),
            ...(userId ? { userId: Number(userId) } : {}),
          }),
        ),
      );
    }
    if (method === 'POST' && path === '/v1/notices') {
      const request = json();
      if (request.action !== 'add' || request.type !== 'custom')
        throw badRequest('only "add" of a "custom" notice is supported');
      const repeatAfter =
        request['repeat-after'] === undefined ? undefined : parseDuration(String(request['repeat-after']));
      const id = await pebble.notify(String(request.key ?? ''), {
        ...(request.data === undefined ? {} : { data: request.data as Record<string, string> }),
        ...(repeatAfter === undefined ? {} : { repeatAfter }),
      });
      return sync({ id });
    }
    const noticeMatch = /^\/v1\/notices\/([^/]+)$/.exec(path);
    if (method === 'GET' && noticeMatch !== null) {
      return sync(toWire(await pebble.getNotice(decodeURIComponent(noticeMatch[1] ?? ''))));
    }
    if (method === 'POST' && path === '/v1/exec') {
      const { changeId, taskId } = await this.execs.start(json());
      return { type: 'async', status: 202, change: changeId, result: { 'task-id': taskId } };
    }
    if (method === 'GET' && path === '/v1/identities') {
      const out: Json = {};
      for (const [name, identity] of Object.entries(await pebble.getIdentities())) {
        out[name] = {
          access: identity.access,
          ...(identity.local ? { local: { 'user-id': identity.local.userId } } : {}),
          // Pebble never shows a password back.
          ...(identity.basic ? { basic: { password: '*****' } } : {}),
        };
      }
      return sync(out);
    }
    if (method === 'POST' && path === '/v1/identities') {
      const request = json();
      const wire = (request.identities as Record<string, Json | null> | undefined) ?? {};
      if (request.action === 'remove') await pebble.removeIdentities(Object.keys(wire));
      else if (request.action === 'replace' || request.action === 'add') {
        const identities: Record<string, Identity | null> = {};
        for (const [name, value] of Object.entries(wire))
          identities[name] = value === null ? null : identityFromWire(value);
        await pebble.replaceIdentities(identities);
      } else throw badRequest(`invalid action ${JSON.stringify(request.action)}`);
      return sync(true);
    }
    throw badRequest(`no route for ${method} ${path}`, 404);
  }
}

function sync(result: unknown): Reply {
  return { type: 'sync', status: 200, result };
}

/** The error envelope Pebble would send for what `MemoryPebble` threw. */
function errorReply(error: unknown): Reply {
  if (error instanceof PebbleAPIError) {
    return {
      type: 'error',
      status: error.statusCode,
      result: {
        message: error.pebbleMessage,
        ...(error.kind === undefined ? {} : { kind: error.kind }),
        ...(error.value === undefined ? {} : { value: error.value }),
      },
    };
  }
  if (error instanceof PebblePathError) {
    return {
      type: 'error',
      status: error.kind === 'not-found' ? 404 : error.kind === 'permission-denied' ? 403 : 400,
      result: { message: error.pebbleMessage, kind: error.kind },
    };
  }
  return {
    type: 'error',
    status: 500,
    result: { message: error instanceof Error ? error.message : String(error) },
  };
}

/** Runs `action` for each item; Pebble reports file errors per path, not for the request. */
async function perPath(items: readonly Json[], action: (item: Json) => Promise<void>): Promise<Json[]> {
  const results: Json[] = [];
  for (const item of items) {
    const path = String(item.path);
    try {
      await action(item);
      results.push({ path });
    } catch (error) {
      results.push({ path, error: fileError(error) });
    }
  }
  return results;
}

function fileError(error: unknown): Json {
  if (error instanceof PebblePathError) return { kind: error.kind, message: error.pebbleMessage };
  if (error instanceof PebbleAPIError)
    return { kind: error.kind ?? 'generic-file-error', message: error.pebbleMessage };
  return { kind: 'generic-file-error', message: error instanceof Error ? error.message : String(error) };
}

function ownershipFromWire(item: Json): Json {
  const out: Json = {};
  if (item.user !== undefined) out.user = item.user;
  if (item['user-id'] !== undefined) out.userId = item['user-id'];
  if (item.group !== undefined) out.group = item.group;
  if (item['group-id'] !== undefined) out.groupId = item['group-id'];
  return out;
}

function identityFromWire(value: Json): Identity {
  const identity: Identity = { access: value.access as Identity['access'] };
  const local = value.local as Json | undefined;
  const basic = value.basic as Json | undefined;
  if (local) identity.local = { userId: Number(local['user-id']) };
  if (basic) identity.basic = { password: String(basic.password) };
  return identity;
}

/** `POST /v1/files` with a multipart body: the `request` part, then one `files` part per path. */
async function writeFiles(pebble: MemoryPebble, contentType: string, body: Buffer): Promise<Json[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw badRequest(`cannot parse multipart body: ${String(error)}`);
  }
  const request = JSON.parse(String(form.get('request') ?? '{}')) as { action?: string; files?: Json[] };
  if (request.action !== 'write')
    throw badRequest(`multipart action must be "write", got ${JSON.stringify(request.action)}`);
  const parts = form.getAll('files').filter((part) => typeof part !== 'string') as {
    name: string;
    arrayBuffer(): Promise<ArrayBuffer>;
  }[];
  return perPath(request.files ?? [], async (file) => {
    const path = String(file.path);
    const part = parts.find((p) => p.name === path);
    if (!part) throw badRequest(`no file content for path ${JSON.stringify(path)}`);
    await pebble.push(path, new Uint8Array(await part.arrayBuffer()), {
      ...ownershipFromWire(file),
      ...(file['make-dirs'] === true ? { makeDirs: true } : {}),
      ...(file.permissions === undefined
        ? {}
        : { permissions: Number.parseInt(String(file.permissions), 8) }),
    });
  });
}

/** `GET /v1/files?action=read`: a multipart answer, each file a part, then the `response` envelope. */
async function readFiles(pebble: MemoryPebble, paths: readonly string[], res: ServerResponse): Promise<void> {
  if (paths.length === 0) throw badRequest('must specify one or more paths');
  const boundary = `sim${randomUUID().replaceAll('-', '')}`;
  const chunks: Buffer[] = [];
  const results: Json[] = [];
  for (const path of paths) {
    try {
      const data = await pebble.pull(path, { encoding: null });
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${path.replace(/[\\"]/g, (c) => `\\${c}`)}"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        Buffer.from(data),
        Buffer.from('\r\n'),
      );
      results.push({ path });
    } catch (error) {
      results.push({ path, error: fileError(error) });
    }
  }
  const envelope = { type: 'sync', 'status-code': 200, status: 'OK', result: results };
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="response"\r\n\r\n` +
        `${JSON.stringify(envelope)}\r\n--${boundary}--\r\n`,
    ),
  );
  res.writeHead(200, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
  res.end(Buffer.concat(chunks));
}

// Keys whose values are user data (environment variables, labels, notice data): never renamed.
const USER_MAPS = new Set(['environment', 'headers', 'labels', 'onCheckFailure', 'lastData', 'data']);
const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * A value `MemoryPebble` returned (camelCase, dates, millisecond durations, numeric permissions)
 * in Pebble's JSON spelling, which the client's schemas parse back.
 */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (USER_MAPS.has(key)) out[kebab(key)] = item;
    else if (key === 'permissions' && typeof item === 'number') out[key] = item.toString(8).padStart(3, '0');
    else if ((key === 'repeatAfter' || key === 'expireAfter') && typeof item === 'number')
      out[kebab(key)] = `${item}ms`;
    else out[kebab(key)] = toWire(item);
  }
  return out;
}

/** The plan in Pebble's YAML keys: entry names (a service called `myApp`) keep their spelling. */
function planToWire(plan: Plan): Json {
  const section = (entries: Readonly<Record<string, unknown>>): Json =>
    Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, toWire(entry)]));
  return {
    services: section(plan.services),
    checks: section(plan.checks),
    'log-targets': section(plan.logTargets),
  };
}

const DURATION_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration the client sent (`1500ms`, `1m30s`) in milliseconds. */
function parseDuration(text: string): number {
  let total = 0;
  let matched = '';
  for (const [whole, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (DURATION_UNIT_MS[unit ?? ''] ?? 0);
    matched += whole;
  }
  if (matched !== text) throw badRequest(`invalid duration ${JSON.stringify(text)}`);
  return total;
}
