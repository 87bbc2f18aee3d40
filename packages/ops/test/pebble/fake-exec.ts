/**
 * The exec part of the fake Pebble: `POST /v1/exec` makes an `exec` change with one task, and
 * the task's websockets (`control`, `stdio`, `stderr`) are served with `ws` on the fake's HTTP
 * server. Once stdio (and stderr, when split) are connected the command really runs on this
 * machine (`child_process.spawn`), as Pebble would run it in the container: stdin arrives as
 * binary messages ended by `{"command":"end"}`, output leaves the same way, signals come over the
 * control socket, and the exit code lands in the task's data as `exit-code`.
 *
 * Written from Pebble's protocol (internals/overlord/cmdstate, internals/wsutil), independently of
 * the client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { delimiter, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

type Json = Record<string, unknown>;

/** What the fake needs to record the exec as a change. */
export interface ExecChangeHost {
  /** Creates the `exec` change with one task; returns the change and task ids. */
  newExecChange(summary: string): { changeId: string; taskId: string };
  /** Ends the task: its data, and the change's error when there is one. */
  finishExecChange(changeId: string, data: Json, err?: string): void;
}

/** One exec as the fake received it. */
export interface FakeExec {
  readonly payload: Json;
  readonly taskId: string;
  readonly changeId: string;
  /** Signals received over the control websocket. */
  readonly signals: string[];
  /** Bytes received on stdin. */
  stdin: Buffer;
  /** Whether the client sent the end-of-input message. */
  stdinEnded: boolean;
  exitCode?: number;
}

interface Running {
  exec: FakeExec;
  sockets: Partial<Record<'control' | 'stdio' | 'stderr', WebSocket>>;
  child?: ChildProcess;
  started: boolean;
}

const END = '{"command":"end"}';

function lookPath(command: string, path: string): boolean {
  const candidates = command.includes('/')
    ? [command]
    : path.split(delimiter).map((dir) => join(dir, command));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function goDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}

export class FakeExecs {
  /** Every exec received, oldest first. */
  readonly execs: FakeExec[] = [];
  /** When set, the websocket of this name is refused (HTTP 400), as when a task is gone. */
  refuseWebsocket: 'control' | 'stdio' | 'stderr' | undefined;
  readonly #running = new Map<string, Running>();
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(
    private readonly host: ExecChangeHost,
    /** Default working directory (the fake's root). */
    private readonly defaultDir: string,
  ) {}

  /** `POST /v1/exec`: returns the async result, or throws a 400 message. */
  start(payload: Json): { changeId: string; result: Json } {
    const command = payload.command;
    if (!Array.isArray(command) || command.length === 0) throw new Error('must specify command');
    const environment = { ...((payload.environment as Record<string, string> | null) ?? {}) };
    const path = environment.PATH ?? process.env.PATH ?? '/usr/bin:/bin';
    if (!lookPath(String(command[0]), path))
      throw new Error(`cannot find executable "${String(command[0])}"`);
    const timeoutText = (payload.timeout as string | null | undefined) ?? '';
    if (timeoutText !== '' && goDuration(timeoutText) === undefined) {
      throw new Error(`invalid timeout: time: invalid duration "${timeoutText}"`);
    }
    const { changeId, taskId } = this.host.newExecChange(`Execute command "${String(command[0])}"`);
    const exec: FakeExec = {
      payload,
      taskId,
      changeId,
      signals: [],
      stdin: Buffer.alloc(0),
      stdinEnded: false,
    };
    this.execs.push(exec);
    this.#running.set(taskId, { exec, sockets: {}, started: false });
    const workingDir = (payload['working-dir'] as string | null | undefined) || this.defaultDir;
    return {
      changeId,
      result: { 'task-id': taskId, environment: { PATH: path, ...environment }, 'working-dir': workingDir },
    };
  }

  /** Handles an HTTP upgrade; returns false when the path is not a task websocket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = /^\/v1\/tasks\/([^/]+)\/websocket\/([^/]+)$/.exec(
      new URL(req.url ?? '/', 'http://pebble').pathname,
    );
    if (match === null) return false;
    const running = this.#running.get(decodeURIComponent(match[1] ?? ''));
    const name = match[2] as 'control' | 'stdio' | 'stderr';
    const refuse = (message: string) => {
      const body = JSON.stringify({
        type: 'error',
        'status-code': 400,
        status: 'Bad Request',
        result: { message },
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (running === undefined || running.started) {
      refuse(`cannot find task with id "${match[1]}"`);
      return true;
    }
    if (
      name === this.refuseWebsocket ||
      !['control', 'stdio', 'stderr'].includes(name) ||
      running.sockets[name]
    ) {
      refuse(`invalid websocket ID "${name}"`);
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      running.sockets[name] = ws;
      if (name === 'control') ws.on('message', (data, isBinary) => this.#control(running, data, isBinary));
      if (name === 'stdio') ws.on('message', (data, isBinary) => this.#stdin(running, data, isBinary));
      const split = running.exec.payload['split-stderr'] === true;
      if (running.sockets.stdio && (!split || running.sockets.stderr)) this.#run(running);
    });
    return true;
  }

  /** Kills what still runs (for close()). */
  stopAll(): void {
    for (const running of this.#running.values()) {
      running.child?.kill('SIGKILL');
      for (const ws of Object.values(running.sockets)) ws?.terminate();
    }
    this.#wss.close();
  }

  #stdin(running: Running, data: RawData, isBinary: boolean): void {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      running.exec.stdin = Buffer.concat([running.exec.stdin, bytes]);
      running.child?.stdin?.write(bytes);
      return;
    }
    if ((JSON.parse(bytes.toString('utf8')) as Json).command === 'end') {
      running.exec.stdinEnded = true;
      running.child?.stdin?.end();
    }
  }

  #control(running: Running, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    const message = JSON.parse(String(data)) as { command?: string; signal?: { name?: string } };
    if (message.command === 'signal' && message.signal?.name) {
      running.exec.signals.push(message.signal.name);
      running.child?.kill(message.signal.name as NodeJS.Signals);
    }
  }

  #run(running: Running): void {
    running.started = true;
    const { payload } = running.exec;
    const [file, ...args] = payload.command as string[];
    const environment = (payload.environment as Record<string, string> | null) ?? {};
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment };
    const cwd = (payload['working-dir'] as string | null | undefined) || this.defaultDir;
    const child = spawn(file ?? '', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.child = child;
    child.stdin.on('error', () => {}); // the command may exit before reading its input
    if (running.exec.stdinEnded) child.stdin.end(running.exec.stdin);
    else if (running.exec.stdin.length > 0) child.stdin.write(running.exec.stdin);

    const stdio = running.sockets.stdio as WebSocket;
    const split = payload['split-stderr'] === true;
    const stderrSocket = split ? (running.sockets.stderr as WebSocket) : stdio;
    const forward = (stream: NodeJS.ReadableStream, ws: WebSocket) =>
      new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => ws.send(chunk, { binary: true }));
        stream.on('end', () => resolve());
      });
    const outputs = [forward(child.stdout, stdio), forward(child.stderr, stderrSocket)];

    const timeoutText = (payload.timeout as string | null | undefined) ?? '';
    const timeout = timeoutText === '' ? undefined : goDuration(timeoutText);
    let timedOut = false;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeout);

    child.on('close', async (code) => {
      clearTimeout(timer);
      await Promise.all(outputs);
      stdio.send(END);
      if (split) stderrSocket.send(END);
      running.sockets.control?.close();
      const exitCode = timedOut || code === null ? -1 : code;
      running.exec.exitCode = exitCode;
      const err = timedOut
        ? `cannot perform the following tasks:\n- Execute command "${file}" (timed out after ${timeoutText}: context deadline exceeded)`
        : undefined;
      // Pebble finishes the task after the output is sent; give the client a moment to read it.
      setTimeout(() => this.host.finishExecChange(running.exec.changeId, { 'exit-code': exitCode }, err), 5);
    });
    child.on('error', () => {});
  }
}
