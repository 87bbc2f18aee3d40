/**
 * The client side of one `exec`: the three websockets Pebble opens for the command's task
 * (`control`, `stdio`, and `stderr` unless stderr is combined into stdout), stdin fed in as binary
 * messages, output collected or streamed, and the exit code read from the finished change.
 *
 * Pebble's stdio protocol: data travels as binary messages; a text message
 * `{"command":"end"}` marks the end of a stream in either direction. The control socket takes
 * `{"command":"signal","signal":{"name":"SIGTERM"}}`. The exit code is the task's `exit-code`
 * data once the change is ready.
 *
 * This module and `ws` are loaded only when a charm calls `exec` (see pebble-client.ts).
 *
 * @module
 */
import { Writable } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import {
  PebbleChangeError,
  PebbleConnectionError,
  PebbleExecError,
  PebbleExecTimeoutError,
} from './errors.js';
import type { ExecOptions, ExecOutput, ExecProcess, WaitChangeOptions } from './pebble-api.js';
import type { Change } from './types.js';

/** What an exec process needs from the client that started it. */
export interface ExecSession {
  socketPath: string;
  /** Milliseconds for connecting each websocket. */
  connectTimeout: number;
  changeId: string;
  taskId: string;
  waitChange(id: string, options?: WaitChangeOptions): Promise<Change>;
}

const END_MESSAGE = '{"command":"end"}';
// Pebble kills the command at its timeout; the client waits a little longer so that Pebble's own
// answer (the change error) arrives first, as ops does.
const TIMEOUT_MARGIN = 1000;
// After the change is ready Pebble has sent all output; this bounds the wait for its last frames.
const OUTPUT_GRACE = 2000;
// After a websocket refusal, how long to wait for the change to say why (it usually already has).
const CHANGE_PEEK = 1000;

/** One websocket of the task and the promise that settles when it opened. */
interface Channel {
  readonly name: string;
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
}

/** Collects one output stream until its end message (or the socket closing). */
class OutputSink {
  readonly chunks: Buffer[] = [];
  readonly done: Promise<void>;
  #finish!: () => void;

  constructor(private readonly target: Writable | undefined) {
    this.done = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  attach(socket: WebSocket): void {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        const chunk = toBuffer(data);
        if (this.target !== undefined) this.target.write(chunk);
        else this.chunks.push(chunk);
        return;
      }
      if (isEndMessage(data)) this.#finish();
    });
    socket.on('close', () => this.#finish());
  }

  /** Marks the stream complete without a socket. */
  end(): void {
    this.#finish();
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function isEndMessage(data: RawData): boolean {
  try {
    return (JSON.parse(toBuffer(data).toString('utf8')) as { command?: unknown }).command === 'end';
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Opens one websocket of the task over the unix socket; rejects with Pebble's refusal. */
async function openChannel(session: ExecSession, name: string): Promise<Channel> {
  const { WebSocket: Ws } = await import('ws');
  // ws's unix-socket URL form: ws+unix://<absolute socket path>:<request path>.
  const url = `ws+unix://${session.socketPath}:/v1/tasks/${encodeURIComponent(session.taskId)}/websocket/${name}`;
  const socket = new Ws(url, {
    handshakeTimeout: session.connectTimeout,
    perMessageDeflate: false,
    skipUTF8Validation: true,
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      const body: Buffer[] = [];
      response.on('data', (chunk: Buffer) => body.push(chunk));
      response.on('end', () => {
        reject(new Error(`HTTP ${response.statusCode}: ${Buffer.concat(body).toString('utf8').trim()}`));
        socket.terminate();
      });
    });
    socket.on('error', reject);
  });
  // Errors after opening end the channel; the output sinks see the close.
  opened.catch(() => {});
  return { name, socket, opened };
}

type Encoding = BufferEncoding | null;

/** A command running in the workload container, talking to Pebble over websockets. */
export class PebbleExecProcess<T extends string | Uint8Array> implements ExecProcess<T> {
  readonly command: readonly string[];
  readonly stdin: Writable | null;
  readonly #session: ExecSession;
  readonly #options: ExecOptions<Encoding>;
  readonly #channels: Channel[];
  readonly #control: Channel;
  readonly #stdout: OutputSink;
  readonly #stderr: OutputSink;
  readonly #stdinDone: Promise<void>;
  #result: Promise<{ exitCode: number }> | null = null;

  private constructor(
    command: readonly string[],
    session: ExecSession,
    options: ExecOptions<Encoding>,
    channels: { control: Channel; stdio: Channel; stderr: Channel | null },
  ) {
    this.command = [...command];
    this.#session = session;
    this.#options = options;
    this.#control = channels.control;
    this.#channels = [channels.control, channels.stdio, ...(channels.stderr ? [channels.stderr] : [])];
    this.#stdout = new OutputSink(options.stdout);
    this.#stdout.attach(channels.stdio.socket);
    this.#stderr = new OutputSink(options.stderr);
    if (channels.stderr !== null) this.#stderr.attach(channels.stderr.socket);
    else this.#stderr.end(); // combined into stdout: nothing arrives separately

    const stdio = channels.stdio.socket;
    const given = options.stdin;
    if (given === undefined) {
      let resolveDone!: () => void;
      this.#stdinDone = new Promise((resolve) => {
        resolveDone = resolve;
      });
      this.stdin = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          stdio.send(chunk, { binary: true }, (error) => callback(error ?? null));
        },
        final(callback) {
          stdio.send(END_MESSAGE, { binary: false }, () => {
            resolveDone();
            callback();
          });
        },
      });
      // A failed write (the command already exited) must not crash the hook.
      this.stdin.on('error', () => resolveDone());
    } else {
      this.stdin = null;
      this.#stdinDone = feedStdin(stdio, given, options.encoding ?? 'utf8');
    }
  }

  /** Opens the task's websockets; the command starts once stdio (and stderr) are connected. */
  static async start<T extends string | Uint8Array>(
    command: readonly string[],
    session: ExecSession,
    options: ExecOptions<Encoding>,
  ): Promise<PebbleExecProcess<T>> {
    const opened: Channel[] = [];
    const fail = async (channel: Channel, reason: unknown): Promise<never> => {
      for (const each of opened) each.socket.terminate();
      // Most often the command failed to start or already finished; the change says so.
      let change: Change | undefined;
      try {
        change = await session.waitChange(session.changeId, {
          timeout: Math.min(session.connectTimeout, CHANGE_PEEK),
        });
      } catch (error) {
        if (error instanceof PebbleChangeError && error.reason === 'failed') throw error;
      }
      throw new PebbleConnectionError(
        `Cannot connect to the ${channel.name} websocket of exec task ${session.taskId} on ${session.socketPath}: ${reason instanceof Error ? reason.message : String(reason)}${change === undefined ? '' : ` (change ${change.id} is ${change.status})`}`,
        { socketPath: session.socketPath, reason: 'other' },
        { cause: reason },
      );
    };
    // Control first: Pebble starts the command as soon as the I/O sockets are connected, and a
    // control socket that arrived after a quick command's exit would be refused.
    const control = await openChannel(session, 'control');
    opened.push(control);
    try {
      await control.opened;
    } catch (error) {
      return fail(control, error);
    }
    const io = await Promise.all(
      (options.combineStderr ? ['stdio'] : ['stdio', 'stderr']).map((name) => openChannel(session, name)),
    );
    opened.push(...io);
    const [stdio, stderr] = io as [Channel, Channel | undefined];
    // Listeners go on before the I/O sockets open, so no early output is missed.
    const process = new PebbleExecProcess<T>(command, session, options, {
      control,
      stdio,
      stderr: stderr ?? null,
    });
    for (const channel of io) {
      try {
        await channel.opened;
      } catch (error) {
        return fail(channel, error);
      }
    }
    return process;
  }

  /** Waits for the exit; resolves on exit code 0. */
  async wait(): Promise<void> {
    const { exitCode } = await this.#finish();
    if (exitCode !== 0) throw this.#exitError(exitCode);
  }

  /** Waits for the exit and returns the collected output. */
  async waitOutput(): Promise<ExecOutput<T>> {
    if (this.#options.stdout !== undefined) {
      throw new TypeError('waitOutput() cannot be used when stdout was given as a stream; use wait()');
    }
    const { exitCode } = await this.#finish();
    if (exitCode !== 0) throw this.#exitError(exitCode);
    return { stdout: this.#decode(this.#stdout.bytes()), stderr: this.#decode(this.#stderr.bytes()) };
  }

  /** Sends a signal (e.g. `'SIGTERM'`) to the command over the control websocket. */
  sendSignal(signal: string): Promise<void> {
    const socket = this.#control.socket;
    if (socket.readyState !== socket.OPEN) {
      return Promise.reject(
        new PebbleConnectionError(
          `Cannot send ${signal} to ${JSON.stringify(this.command[0])}: its control websocket is closed (has it exited?)`,
          { socketPath: this.#session.socketPath, reason: 'other' },
        ),
      );
    }
    const message = JSON.stringify({ command: 'signal', signal: { name: signal } });
    return new Promise((resolve, reject) => {
      socket.send(message, { binary: false }, (error) => {
        if (error === undefined || error === null) resolve();
        else
          reject(
            new PebbleConnectionError(
              `Cannot send ${signal} to ${JSON.stringify(this.command[0])}: ${error.message}`,
              { socketPath: this.#session.socketPath, reason: 'other' },
              { cause: error },
            ),
          );
      });
    });
  }

  #finish(): Promise<{ exitCode: number }> {
    this.#result ??= this.#run();
    return this.#result;
  }

  async #run(): Promise<{ exitCode: number }> {
    // A command reading stdin would wait forever for input nobody sends: waiting ends it.
    if (this.stdin !== null && !this.stdin.writableEnded) this.stdin.end();
    const timeout = this.#options.timeout;
    try {
      const change = await this.#session.waitChange(this.#session.changeId, {
        timeout: timeout === undefined ? Number.POSITIVE_INFINITY : timeout + TIMEOUT_MARGIN,
      });
      await this.#drain();
      const exitCode = change.tasks[0]?.data?.['exit-code'];
      return { exitCode: typeof exitCode === 'number' ? exitCode : -1 };
    } catch (error) {
      await this.#drain();
      if (timeout !== undefined && error instanceof PebbleChangeError) {
        // Pebble reports its kill as "timed out after 1s: context deadline exceeded".
        if (error.reason === 'timeout' || /timed out/.test(error.err)) {
          throw new PebbleExecTimeoutError(
            this.command,
            timeout,
            this.#decode(this.#stdout.bytes()),
            this.#decode(this.#stderr.bytes()),
            { cause: error },
          );
        }
      }
      throw error;
    } finally {
      for (const channel of this.#channels) channel.socket.terminate();
    }
  }

  /** Waits (briefly) for the last output frames, then for stdin feeding to stop. */
  async #drain(): Promise<void> {
    await Promise.race([Promise.all([this.#stdout.done, this.#stderr.done]), delay(OUTPUT_GRACE)]);
    await Promise.race([this.#stdinDone, delay(OUTPUT_GRACE)]);
  }

  #exitError(exitCode: number): PebbleExecError<T> {
    return new PebbleExecError<T>(
      this.command,
      exitCode,
      this.#decode(this.#stdout.bytes()),
      this.#decode(this.#stderr.bytes()),
    );
  }

  #decode(bytes: Buffer): T {
    const encoding = this.#options.encoding === undefined ? 'utf8' : this.#options.encoding;
    return (encoding === null ? new Uint8Array(bytes) : bytes.toString(encoding)) as T;
  }
}

/** Sends all of `input` as binary messages, then the end message. */
async function feedStdin(
  socket: WebSocket,
  input: NonNullable<ExecOptions['stdin']>,
  encoding: BufferEncoding | null,
): Promise<void> {
  const send = (data: Buffer | string, binary: boolean) =>
    new Promise<void>((resolve, reject) =>
      socket.send(data, { binary }, (error) => (error ? reject(error) : resolve())),
    );
  try {
    await new Promise<void>((resolve, reject) => {
      if (socket.readyState === socket.OPEN) resolve();
      else {
        socket.once('open', () => resolve());
        socket.once('close', () => reject(new Error('closed before opening')));
      }
    });
    if (typeof input === 'string' || input instanceof Uint8Array) {
      const bytes = typeof input === 'string' ? Buffer.from(input, encoding ?? 'utf8') : Buffer.from(input);
      if (bytes.length > 0) await send(bytes, true);
    } else {
      for await (const chunk of input) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk);
        await send(bytes, true);
      }
    }
    await send(END_MESSAGE, false);
  } catch {
    // The command exited (or the connection dropped) before reading all its input: the exit
    // code and output say what happened, as they would in a shell.
  }
}
