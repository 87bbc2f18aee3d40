import type { output, ZodMiniType } from 'zod/mini';
import {
  HookToolConfigError,
  HookToolError,
  HookToolNotFoundError,
  HookToolOutputError,
  HookToolOutputLimitError,
  HookToolTimeoutError,
  hookToolFailure,
  invalidArgument,
} from './errors.js';
import { privateTempDirOf } from './private-temp-dir.js';
import { isRemovedInJuju4, REMOVED_IN_JUJU_4, removedInJuju4Error } from './removed-in-juju-4.js';

/**
 * The longest single command-line argument Linux accepts: `MAX_ARG_STRLEN` is 32 pages (128 KiB)
 * including the terminating NUL. Longer values must go through stdin or a file.
 */
export const MAX_ARGUMENT_BYTES = 131071;

/**
 * The most output a tool may print on stdout or stderr by default: 100 MB (execa's default). Far
 * above anything a hook tool prints (the largest, `goal-state` or `relation-get` of a big databag,
 * is kilobytes to a few megabytes), and well under V8's longest string (~512 MiB), so the output
 * can still be decoded.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 100_000_000;

/**
 * How long one tool may run by default before it is killed: 5 minutes. A hook tool answers in
 * milliseconds normally, and in seconds when the controller is loaded (`secret-get` from a Vault
 * backend, `network-get`, `credential-get`); Juju itself puts no limit on a hook, and waits 5
 * minutes by default for `juju exec`. A tool still running after 5 minutes is stuck (an agent or
 * controller that stopped answering): failing the hook lets Juju retry it, where waiting forever
 * blocks the unit agent for good.
 */
export const DEFAULT_HOOK_TOOL_TIMEOUT_MS = 300_000;

/**
 * Environment variable that overrides {@link DEFAULT_HOOK_TOOL_TIMEOUT_MS}: a number of seconds
 * (`600`, `2.5`), or `0` for no timeout. Read from the runner's environment.
 */
export const HOOK_TOOL_TIMEOUT_ENV = 'CHARMKIT_HOOK_TOOL_TIMEOUT';

/** Called just before a tool is spawned, with the exact arguments. */
export type SpawnListener = (tool: string, args: readonly string[]) => void;

/** How to run hook tools. */
export interface ToolRunnerOptions {
  /**
   * The environment the tools get, as a whole (default: this process's). The tools need `PATH`,
   * `JUJU_CONTEXT_ID` and `JUJU_AGENT_SOCKET_*` from it to reach the unit agent.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of the tools (default: this process's, which Juju sets to the charm dir). */
  readonly cwd?: string;
  /** Called before every spawn; for tests, tracing and benchmarks. */
  readonly onSpawn?: SpawnListener;
  /**
   * How long one tool may run, in milliseconds, before it is killed with `SIGKILL` and the call
   * throws {@link HookToolTimeoutError}; `0` for no limit. Default: `CHARMKIT_HOOK_TOOL_TIMEOUT`
   * (seconds) from `env`, else {@link DEFAULT_HOOK_TOOL_TIMEOUT_MS} (5 minutes).
   */
  readonly timeoutMs?: number;
  /**
   * The most bytes a tool may print on stdout (and, separately, on stderr); more kills it and
   * throws {@link HookToolOutputLimitError}. Default {@link DEFAULT_MAX_OUTPUT_BYTES} (100 MB).
   */
  readonly maxOutputBytes?: number;
  /**
   * The directory for files a tool must read (secret content for `secret-add`/`secret-set`, which
   * Juju accepts only from a file): created with mode 0700, each file 0600 and removed right after
   * the call. Default: `.charmkit-tmp` in the charm directory (`JUJU_CHARM_DIR` from `env`, else
   * `cwd`, else this process's working directory), which `cleanPrivateTempDir` empties at the start
   * of every dispatch, so a file left by a killed hook does not outlive the next hook.
   */
  readonly privateTempDir?: string;
}

/** Options of one call. */
export interface RunToolOptions {
  /** Text written to the tool's stdin; the tool gets an empty stdin otherwise. */
  readonly input?: string;
  /** The `key=value` arguments carry secrets: show them as `key=<redacted>` in errors. */
  readonly redactArgs?: boolean;
}

/** Options of one call whose output is JSON. */
export interface RunJsonOptions extends RunToolOptions {
  /**
   * The output carries secrets. Informational only: no output is ever quoted in an error, since
   * relation data and config may be just as sensitive.
   */
  readonly secretOutput?: boolean;
}

/**
 * Runs hook tools: the one place where processes are spawned. Synchronous on purpose (a hook is one
 * short sequential process, and the model API is synchronous). No shell is involved: arguments are
 * passed as an array, so nothing is ever re-parsed or expanded.
 *
 * It counts every spawn, because processes are the main cost of a hook: tests and benchmarks read
 * {@link ToolRunner.spawnCount}.
 */
export class ToolRunner {
  /** Called before every spawn (settable after construction). */
  onSpawn: SpawnListener | undefined;
  private spawned = 0;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly cwd: string | undefined;
  /** The timeout in ms (0: none), or why the configured one is invalid (thrown on the first run). */
  private readonly timeout: number | string;
  private readonly maxOutputBytes: number;
  /** See {@link ToolRunnerOptions.privateTempDir}. */
  readonly privateTempDir: string;

  constructor(options: ToolRunnerOptions = {}) {
    this.env = options.env ?? process.env;
    this.cwd = options.cwd;
    this.onSpawn = options.onSpawn;
    this.timeout = resolveTimeout(options.timeoutMs, this.env[HOOK_TOOL_TIMEOUT_ENV]);
    const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!Number.isSafeInteger(maxOutput) || maxOutput < 1) {
      throw new RangeError(`maxOutputBytes must be a positive integer, got ${String(maxOutput)}`);
    }
    this.maxOutputBytes = maxOutput;
    this.privateTempDir =
      options.privateTempDir ??
      privateTempDirOf(
        nonEmpty(this.env.JUJU_CHARM_DIR) ?? nonEmpty(this.env.CHARM_DIR) ?? this.cwd ?? process.cwd(),
      );
  }

  /**
   * The per-tool timeout in milliseconds (`0`: none).
   *
   * @throws {HookToolConfigError} the configured timeout is invalid.
   */
  get timeoutMs(): number {
    return this.timeoutFor('');
  }

  private timeoutFor(tool: string): number {
    if (typeof this.timeout === 'string') {
      throw new HookToolConfigError(tool === '' ? this.timeout : `${tool} not run: ${this.timeout}`, {
        tool,
        args: [],
        exitCode: null,
        stderr: '',
      });
    }
    return this.timeout;
  }

  /** How many processes this runner has spawned (or tried to). */
  get spawnCount(): number {
    return this.spawned;
  }

  /**
   * Runs `tool` with `args` and returns its stdout without the final newline.
   *
   * @throws {HookToolArgumentError} an argument cannot be put on a command line (NUL byte, too long);
   *   nothing is spawned then.
   * @throws {RemovedInJuju4Error} `JUJU_VERSION` (from the runner's environment) is 4 or later and
   *   Juju 4 removed `tool` (`leader-get`, `leader-set`, `add-metric`, the pod-spec tools); nothing
   *   is spawned then.
   * @throws {HookToolNotFoundError} the tool is not on `PATH`.
   * @throws {HookToolTimeoutError} the tool ran longer than {@link ToolRunner.timeoutMs} and was killed.
   * @throws {HookToolOutputLimitError} the tool printed more than the output limit and was killed.
   * @throws {HookToolOutputError} the tool succeeded but its stdout is not valid UTF-8.
   * @throws {HookToolConfigError} `CHARMKIT_HOOK_TOOL_TIMEOUT` is not a number of seconds.
   * @throws {HookToolError} (or the subclass {@link classifyHookToolFailure} picks) the tool failed.
   */
  run(tool: string, args: readonly string[], options: RunToolOptions = {}): string {
    checkArguments(tool, args);
    const removed = removedInJuju4Error(
      tool,
      options.redactArgs === true ? redact(args) : args,
      this.env.JUJU_VERSION,
    );
    if (removed) throw removed;
    const timeoutMs = this.timeoutFor(tool);
    this.spawned++;
    this.onSpawn?.(tool, args);
    // node:child_process directly rather than execa: loading execa costs every hook that calls a
    // tool about 30 ms of start-up (docs/explanation/performance.md), and a hook tool needs none of
    // what it adds. The contract is the same: an argument array, no shell, the whole environment.
    // node:child_process is loaded with the first tool call: a hook that calls none saves ~5 ms.
    const result = process.getBuiltinModule('node:child_process').spawnSync(tool, args, {
      env: this.env,
      ...(this.cwd === undefined ? {} : { cwd: this.cwd }),
      // Juju starts hooks with stdin on /dev/null; give tools the same unless we feed them.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.input === undefined ? {} : { input: options.input }),
      // Bytes, not text: stdout is decoded strictly below, so bad bytes are refused, not replaced.
      maxBuffer: this.maxOutputBytes,
      ...(timeoutMs === 0 ? {} : { timeout: timeoutMs }),
      // SIGKILL, not SIGTERM: spawnSync waits for the tool to exit, so a tool that ignored the
      // signal would hang the hook after all.
      killSignal: 'SIGKILL',
      windowsHide: true,
    });
    const redactArgs = options.redactArgs === true;
    const shownArgs = redactArgs ? redact(args) : args;
    // stderr is only shown to people: decode it leniently. A tool may echo its arguments there
    // (`leader-set` quoting a bad pair), so secret values are scrubbed from it too.
    const rawStderr = stripFinalNewline(result.stderr?.toString('utf8') ?? '');
    const stderr = redactArgs ? scrubValues(rawStderr, args) : rawStderr;
    // A tool that exits before reading all its stdin makes the write fail with EPIPE; what counts
    // then is how the tool ended, as for any other tool.
    const spawnError = result.error as NodeJS.ErrnoException | undefined;
    const ended = result.status !== null || result.signal !== null;
    const error = spawnError?.code === 'EPIPE' && ended ? undefined : spawnError;
    if (!error && result.status === 0) return stripFinalNewline(decodeStdout(tool, shownArgs, result.stdout));

    const details = { tool, args: shownArgs, stderr };
    if (error?.code === 'ETIMEDOUT') {
      throw new HookToolTimeoutError(
        `${tool} did not finish within ${formatSeconds(timeoutMs)} and was killed (the limit is set by ${HOOK_TOOL_TIMEOUT_ENV}, in seconds)`,
        { ...details, exitCode: null },
      );
    }
    if (error?.code === 'ENOBUFS') {
      const stream = (result.stderr?.length ?? 0) > this.maxOutputBytes ? 'stderr' : 'stdout';
      throw new HookToolOutputLimitError(
        `${tool} printed more than ${this.maxOutputBytes} bytes on ${stream} and was killed: output that large cannot be a hook tool's answer`,
        // What it printed is cut at an arbitrary byte: not worth showing.
        { ...details, stderr: '', exitCode: null },
      );
    }
    // Node's spawn error lists every argument (`spawnargs`): keep only what identifies the failure.
    const cause = error === undefined ? undefined : safeSpawnError(error);
    if (error?.code === 'ENOENT') {
      // Without JUJU_VERSION we cannot tell Juju 4 from a run outside a hook: name both causes.
      const removedHint = isRemovedInJuju4(tool)
        ? `; or this is Juju 4, which removed ${tool} (${REMOVED_IN_JUJU_4[tool]})`
        : '';
      throw new HookToolNotFoundError(
        `${tool} not found on PATH: hook tools exist only while Juju runs a hook or an action${removedHint}`,
        { ...details, exitCode: null, stderr: '', cause },
      );
    }
    if (error) {
      throw new HookToolError(`${tool} could not be started: ${error.code ?? error.message}`, {
        ...details,
        exitCode: null,
        cause,
      });
    }
    if (result.status !== null) throw hookToolFailure(tool, shownArgs, result.status, stderr);
    throw hookToolFailure(tool, shownArgs, null, stderr, result.signal ?? undefined);
  }

  /**
   * Runs `tool --format=json ...args`, parses the output and validates it against `schema` (a
   * schema, or a function returning one, so schemas can be built on first use).
   *
   * @throws {HookToolOutputError} the output is empty, not JSON, or not of the expected shape.
   */
  runJson<S extends ZodMiniType>(
    tool: string,
    args: readonly string[],
    schema: S | (() => S),
    options: RunJsonOptions = {},
  ): output<S> {
    const fullArgs = ['--format=json', ...args];
    const stdout = this.run(tool, fullArgs, options);
    return parseToolJson(tool, options.redactArgs === true ? redact(fullArgs) : fullArgs, stdout, schema);
  }
}

/**
 * Parses a tool's JSON output and checks its shape. Exported for wrappers that must look at the
 * output before choosing a schema.
 */
export function parseToolJson<S extends ZodMiniType>(
  tool: string,
  args: readonly string[],
  stdout: string,
  schema: S | (() => S),
): output<S> {
  // The output is never quoted, nor attached as a cause (JSON.parse's message quotes it): it may
  // hold relation data, config or secrets, and errors end up in juju-log.
  const fail = (what: string): never => {
    throw new HookToolOutputError(`${tool} printed ${what}`, { tool, args, exitCode: 0, stderr: '' });
  };
  if (stdout.trim() === '') return fail('nothing where JSON was expected');
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return fail(`${stdout.length} characters that are not JSON`);
  }
  const parsed = (typeof schema === 'function' ? schema() : schema).safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => {
      const where = issue.path.length === 0 ? 'the value' : issue.path.map(String).join('.');
      const expected =
        'expected' in issue && typeof issue.expected === 'string' ? `expected ${issue.expected}` : '';
      return `${where}: ${expected || issue.message}`;
    });
    return fail(`JSON of an unexpected shape: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Rejects, before anything is spawned, arguments the kernel would refuse or silently cut. */
function checkArguments(tool: string, args: readonly string[]): void {
  for (const [index, arg] of args.entries()) {
    if (arg.includes('\0')) {
      throw invalidArgument(
        tool,
        `argument ${index + 1} contains a NUL character, which a command line cannot carry`,
      );
    }
    // Cheap pre-check first: a UTF-16 code unit is at most 3 UTF-8 bytes.
    if (arg.length * 3 > MAX_ARGUMENT_BYTES) {
      const bytes = Buffer.byteLength(arg, 'utf8');
      if (bytes > MAX_ARGUMENT_BYTES) {
        throw invalidArgument(
          tool,
          `argument ${index + 1} is ${bytes} bytes; one command-line argument can be at most ${MAX_ARGUMENT_BYTES} bytes`,
        );
      }
    }
  }
}

/** Removes one final newline (`\n` or `\r\n`), as a shell's `$(...)` would (and execa did). */
function stripFinalNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** `key=value` → `key=<redacted>`; flags and other arguments unchanged. */
function redact(args: readonly string[]): readonly string[] {
  return args.map((arg) => {
    if (arg.startsWith('-')) return arg;
    const eq = arg.indexOf('=');
    return eq < 0 ? arg : `${arg.slice(0, eq + 1)}<redacted>`;
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The timeout in ms from the option, else the environment, else the default; a string if invalid. */
function resolveTimeout(option: number | undefined, fromEnv: string | undefined): number | string {
  if (option !== undefined) {
    if (!Number.isFinite(option) || option < 0) {
      return `timeoutMs must be a number of milliseconds, 0 or more, got ${String(option)}`;
    }
    return Math.ceil(option);
  }
  if (fromEnv === undefined || fromEnv.trim() === '') return DEFAULT_HOOK_TOOL_TIMEOUT_MS;
  const text = fromEnv.trim();
  if (!/^\d+(?:\.\d+)?$/.test(text)) {
    return `${HOOK_TOOL_TIMEOUT_ENV} must be a number of seconds (0 for no limit), got ${JSON.stringify(text.slice(0, 40))}`;
  }
  return Math.ceil(Number(text) * 1000);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')} s`;
}

let utf8: InstanceType<typeof TextDecoder> | undefined;

/** Decodes a tool's stdout, refusing bytes that are not UTF-8 rather than turning them into U+FFFD. */
function decodeStdout(tool: string, args: readonly string[], stdout: Buffer | null): string {
  if (stdout === null || stdout.length === 0) return '';
  // ignoreBOM: keep a leading U+FEFF, so the text is exactly what the tool printed.
  utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return utf8.decode(stdout);
  } catch {
    throw new HookToolOutputError(
      `${tool} printed ${stdout.length} bytes that are not valid UTF-8 (Juju prints UTF-8 only; refusing to guess)`,
      { tool, args, exitCode: 0, stderr: '' },
    );
  }
}

/** A spawn error without Node's `spawnargs` (every argument, values included). */
function safeSpawnError(error: NodeJS.ErrnoException): Error {
  const copy = new Error(`spawnSync ${error.code ?? 'failed'}`) as NodeJS.ErrnoException;
  if (error.code !== undefined) copy.code = error.code;
  if (error.errno !== undefined) copy.errno = error.errno;
  if (error.syscall !== undefined) copy.syscall = error.syscall;
  return copy;
}

/**
 * Replaces, in `text`, every value of a `key=value` argument (as given, and as Go's `%q` or JSON
 * would quote it) with `<redacted>`. Values under 4 characters are left: they cannot be told apart
 * from ordinary words of the message, and are too short to be a secret.
 */
function scrubValues(text: string, args: readonly string[]): string {
  const values = new Set<string>();
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const eq = arg.indexOf('=');
    if (eq < 0) continue;
    const value = arg.slice(eq + 1);
    if (value.length < 4) continue;
    values.add(value);
    values.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a value that contains another is replaced whole.
  let scrubbed = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value.length >= 4) scrubbed = scrubbed.replaceAll(value, '<redacted>');
  }
  return scrubbed;
}
