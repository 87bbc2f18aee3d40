import { type Readable, Writable } from 'node:stream';
import type { ExecOptions, ExecOutput, ExecProcess } from '@charmkit/ops/pebble';
import { PebbleExecError, PebbleExecTimeoutError } from '@charmkit/ops/pebble';
import type { ExecCall, ExecHandler, ExecResult } from './exec-handler.js';

const toBuffer = (value: string | Uint8Array | undefined): Buffer =>
  value === undefined
    ? Buffer.alloc(0)
    : typeof value === 'string'
      ? Buffer.from(value, 'utf8')
      : Buffer.from(value);

interface Outcome {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
  timedOut: boolean;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * A command "running" in a {@link MemoryPebble}: its handler runs once the input is complete (at
 * once when `stdin` was given, when the charm ends `process.stdin`, or at the first wait), and
 * the call is recorded then.
 */
export class MemoryExecProcess<T extends string | Uint8Array> implements ExecProcess<T> {
  readonly command: readonly string[];
  readonly stdin: Writable | null;
  readonly #written: Buffer[] = [];
  #result: Promise<Outcome> | null = null;
  /** Signals the charm sent to this process. */
  readonly signals: string[] = [];

  constructor(
    command: readonly string[],
    private readonly handler: ExecHandler,
    private readonly options: ExecOptions<BufferEncoding | null>,
    private readonly record: (call: ExecCall) => void,
  ) {
    this.command = [...command];
    const given = options.stdin;
    if (given === undefined) {
      const written = this.#written;
      this.stdin = new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          written.push(Buffer.from(chunk));
          callback();
        },
      });
      this.stdin.on('finish', () => void this.#run().catch(() => {}));
    } else {
      this.stdin = null;
      void this.#run().catch(() => {});
    }
  }

  #run(): Promise<Outcome> {
    this.#result ??= (async () => {
      const given = this.options.stdin;
      const input =
        given === undefined
          ? Buffer.concat(this.#written)
          : typeof given === 'string' || given instanceof Uint8Array
            ? toBuffer(given)
            : await readAll(given);
      const { environment, workingDir, timeout, user, userId, group, groupId } = this.options;
      const call: ExecCall = {
        command: this.command,
        environment: { ...environment },
        stdin: input.toString('utf8'),
        ...(workingDir === undefined ? {} : { workingDir }),
        ...(timeout === undefined ? {} : { timeout }),
        ...(user === undefined ? {} : { user }),
        ...(userId === undefined ? {} : { userId }),
        ...(group === undefined ? {} : { group }),
        ...(groupId === undefined ? {} : { groupId }),
      };
      this.record(call);
      const result: ExecResult = this.handler.run ? await this.handler.run(call) : this.handler;
      let stdout = toBuffer(result.stdout);
      let stderr = toBuffer(result.stderr);
      if (this.options.combineStderr) {
        stdout = Buffer.concat([stdout, stderr]);
        stderr = Buffer.alloc(0);
      }
      if (this.options.stdout) this.options.stdout.write(stdout);
      if (this.options.stderr) this.options.stderr.write(stderr);
      return { stdout, stderr, exitCode: result.exitCode ?? 0, timedOut: result.timedOut ?? false };
    })();
    return this.#result;
  }

  #decode(bytes: Buffer): T {
    const encoding = this.options.encoding === undefined ? 'utf8' : this.options.encoding;
    return (encoding === null ? new Uint8Array(bytes) : bytes.toString(encoding)) as T;
  }

  async wait(): Promise<void> {
    this.#check(await this.#run());
  }

  async waitOutput(): Promise<ExecOutput<T>> {
    if (this.options.stdout)
      throw new TypeError('waitOutput() cannot be used when stdout was given as a stream');
    const { stdout, stderr } = this.#check(await this.#run());
    return { stdout: this.#decode(stdout), stderr: this.#decode(stderr) };
  }

  #check(outcome: Outcome): Outcome {
    const { stdout, stderr, exitCode } = outcome;
    if (outcome.timedOut)
      throw new PebbleExecTimeoutError(
        this.command,
        this.options.timeout ?? 0,
        this.#decode(stdout),
        this.#decode(stderr),
      );
    if (exitCode !== 0)
      throw new PebbleExecError(this.command, exitCode, this.#decode(stdout), this.#decode(stderr));
    return outcome;
  }

  async sendSignal(signal: string): Promise<void> {
    this.signals.push(signal);
  }
}
