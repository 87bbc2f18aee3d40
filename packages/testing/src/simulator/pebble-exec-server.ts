import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type Change,
  type ExecOptions,
  type ExecProcess,
  PebbleAPIError,
  PebbleExecError,
  PebbleExecTimeoutError,
} from '@charmkit/ops/pebble';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { MemoryPebble } from '../pebble/memory-pebble.js';

type Json = Record<string, unknown>;
type ChannelName = 'control' | 'stdio' | 'stderr';

const END_MESSAGE = '{"command":"end"}';

/** One command started by `POST /v1/exec`, its task's websockets and its change. */
interface RunningExec {
  readonly command: readonly string[];
  readonly split: boolean;
  readonly timeout: string | null;
  readonly process: ExecProcess<Uint8Array>;
  readonly sockets: Partial<Record<ChannelName, WebSocket>>;
  started: boolean;
  /** The client sent stdin's end message (the in-memory command runs on its whole input). */
  stdinEnded: boolean;
  change: Change;
  readonly ready: Promise<void>;
  finish: () => void;
}

/** Pebble's duration strings (`1.5s`, `300ms`, `2m`) in milliseconds; the client sends them. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function bytes(value: unknown): Buffer {
  if (value === undefined || value === null) return Buffer.alloc(0);
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value as Uint8Array);
}

/**
 * The exec half of the simulator's process-mode Pebble: `POST /v1/exec` starts the command on the
 * unit's in-memory Pebble (its exec handlers answer, and the call is recorded, as in process),
 * then the task's websockets carry it as real Pebble does: stdin in binary frames up to an end
 * message on `stdio`, output back in binary frames and an end message on `stdio` (and `stderr`
 * unless combined), signals as text on `control`. The exit code lands in the task's data and the
 * change is ready once the command has finished.
 */
export class PebbleExecServer {
  readonly #sockets = new WebSocketServer({ noServer: true });
  readonly #byTask = new Map<string, RunningExec>();
  readonly #byChange = new Map<string, RunningExec>();
  #next = 1;

  constructor(private readonly pebble: () => MemoryPebble) {}

  /**
   * `POST /v1/exec`: starts the command and returns its change and task ids.
   * @throws {PebbleAPIError} a malformed request, or a command no exec handler answers (Pebble's
   * 400 for an executable it cannot find, with the simulator's hint).
   */
  async start(payload: Json): Promise<{ changeId: string; taskId: string }> {
    const command = payload.command;
    if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== 'string'))
      throw apiError('must specify command', 400);
    const timeout = typeof payload.timeout === 'string' ? payload.timeout : null;
    const timeoutMs = timeout === null ? undefined : parseDuration(timeout);
    const options: ExecOptions<null> = {
      encoding: null,
      environment: (payload.environment as Record<string, string> | undefined) ?? {},
      ...(typeof payload['working-dir'] === 'string' ? { workingDir: payload['working-dir'] } : {}),
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
      ...(typeof payload['user-id'] === 'number' ? { userId: payload['user-id'] } : {}),
      ...(typeof payload.user === 'string' ? { user: payload.user } : {}),
      ...(typeof payload['group-id'] === 'number' ? { groupId: payload['group-id'] } : {}),
      ...(typeof payload.group === 'string' ? { group: payload.group } : {}),
    };
    let process: ExecProcess<Uint8Array>;
    try {
      process = await this.pebble().exec(command as string[], options);
    } catch (error) {
      if (error instanceof PebbleAPIError) throw error;
      // No handler answers it: what Pebble says of a missing executable, and how to add one.
      throw apiError(
        `cannot find executable "${String(command[0])}" (${error instanceof Error ? error.message : String(error)})`,
        400,
      );
    }
    const id = String(this.#next++);
    const changeId = `exec-${id}`;
    const taskId = `exec-task-${id}`;
    const now = new Date();
    const summary = `Execute command "${String(command[0])}"`;
    let finish = (): void => {};
    const ready = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const running: RunningExec = {
      command: command as string[],
      split: payload['split-stderr'] !== false,
      timeout,
      process,
      sockets: {},
      started: false,
      stdinEnded: false,
      change: {
        id: changeId,
        kind: 'exec',
        summary,
        status: 'Doing',
        ready: false,
        spawnTime: now,
        tasks: [
          {
            id: taskId,
            kind: 'exec',
            summary,
            status: 'Doing',
            log: [],
            progress: { label: '', done: 0, total: 1 },
            spawnTime: now,
          },
        ],
      },
      ready,
      finish,
    };
    this.#byTask.set(taskId, running);
    this.#byChange.set(changeId, running);
    return { changeId, taskId };
  }

  /** The exec change `id` as it stands, or undefined when it is not an exec change. */
  change(id: string): Change | undefined {
    return this.#byChange.get(id)?.change;
  }

  /** Resolves with the exec change `id` once the command has finished. */
  async waitChange(id: string): Promise<Change | undefined> {
    const running = this.#byChange.get(id);
    if (!running) return undefined;
    await running.ready;
    return running.change;
  }

  /**
   * An HTTP upgrade on the server: the task websockets are accepted, anything else is refused
   * with 404 as Pebble does. Returns once handled.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = /^\/v1\/tasks\/([^/]+)\/websocket\/(control|stdio|stderr)$/.exec(
      new URL(req.url ?? '/', 'http://pebble').pathname,
    );
    const running = match ? this.#byTask.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (!match || !running || (match[2] === 'stderr' && !running.split)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const name = match[2] as ChannelName;
    this.#sockets.handleUpgrade(req, socket, head, (ws) => this.#attach(running, name, ws));
  }

  /** Drops every open websocket (the simulation is closing). */
  close(): void {
    for (const ws of this.#sockets.clients) ws.terminate();
    this.#sockets.close();
  }

  #attach(running: RunningExec, name: ChannelName, ws: WebSocket): void {
    running.sockets[name] = ws;
    if (name === 'stdio') {
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const stdin = running.process.stdin;
        if (isBinary) stdin?.write(toBuffer(data));
        else if (isEnd(data)) {
          stdin?.end();
          running.stdinEnded = true;
          this.#maybeRun(running);
        }
      });
    }
    if (name === 'control') {
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) return;
        try {
          const message = JSON.parse(toBuffer(data).toString('utf8')) as {
            command?: string;
            signal?: { name?: string };
          };
          if (message.command === 'signal' && message.signal?.name)
            void running.process.sendSignal(message.signal.name).catch(() => {});
        } catch {
          // Not a control message: Pebble ignores it too.
        }
      });
    }
    this.#maybeRun(running);
  }

  /** Runs the command once its websockets are all open and its input is complete. */
  #maybeRun(running: RunningExec): void {
    const wanted: ChannelName[] = running.split ? ['control', 'stdio', 'stderr'] : ['control', 'stdio'];
    if (running.started || !running.stdinEnded) return;
    if (!wanted.every((channel) => running.sockets[channel] !== undefined)) return;
    running.started = true;
    void this.#run(running);
  }

  async #run(running: RunningExec): Promise<void> {
    let stdout: Buffer = Buffer.alloc(0);
    let stderr: Buffer = Buffer.alloc(0);
    let exitCode = 0;
    let err: string | undefined;
    try {
      const output = await running.process.waitOutput();
      stdout = bytes(output.stdout);
      stderr = bytes(output.stderr);
    } catch (error) {
      if (error instanceof PebbleExecTimeoutError) {
        stdout = bytes(error.stdout);
        stderr = bytes(error.stderr);
        exitCode = -1;
        err = `cannot perform the following tasks:\n- ${running.change.summary} (timed out after ${running.timeout}: context deadline exceeded)`;
      } else if (error instanceof PebbleExecError) {
        stdout = bytes(error.stdout);
        stderr = bytes(error.stderr);
        exitCode = error.exitCode;
      } else {
        exitCode = -1;
        err = `cannot perform the following tasks:\n- ${running.change.summary} (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    const out = running.sockets.stdio;
    const errSocket = running.sockets.stderr;
    await send(out, running.split ? stdout : Buffer.concat([stdout, stderr]));
    if (errSocket) await send(errSocket, stderr);
    const now = new Date();
    const status = err === undefined ? 'Done' : 'Error';
    const [task] = running.change.tasks;
    running.change = {
      ...running.change,
      status,
      ready: true,
      readyTime: now,
      ...(err === undefined ? {} : { err }),
      tasks: task
        ? [
            {
              ...task,
              status,
              progress: { label: '', done: 1, total: 1 },
              readyTime: now,
              data: { 'exit-code': exitCode },
            },
          ]
        : [],
    };
    running.finish();
  }
}

function isEnd(data: RawData): boolean {
  try {
    return (JSON.parse(toBuffer(data).toString('utf8')) as { command?: unknown }).command === 'end';
  } catch {
    return false;
  }
}

/** Sends `data` (if any) and the end message on `ws`. */
async function send(ws: WebSocket | undefined, data: Buffer): Promise<void> {
  if (!ws || ws.readyState !== ws.OPEN) return;
  const frame = (payload: Buffer | string, binary: boolean) =>
    new Promise<void>((resolve) => ws.send(payload, { binary }, () => resolve()));
  if (data.length > 0) await frame(data, true);
  await frame(END_MESSAGE, false);
}

function apiError(message: string, statusCode: number): PebbleAPIError {
  return new PebbleAPIError(message, {
    statusCode,
    status: statusCode === 400 ? 'Bad Request' : '',
    request: '',
  });
}
