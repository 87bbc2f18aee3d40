import type { output, ZodMiniType } from 'zod/mini';
import {
  HookToolError,
  HookToolNotFoundError,
  HookToolOutputError,
  hookToolFailure,
  invalidArgument,
} from './errors.js';

/**
 * The longest single command-line argument Linux accepts: `MAX_ARG_STRLEN` is 32 pages (128 KiB)
 * including the terminating NUL. Longer values must go through stdin or a file.
 */
export const MAX_ARGUMENT_BYTES = 131071;

/** The most output a tool may print on stdout or stderr (as execa's default): 100 MB. */
const MAX_OUTPUT_BYTES = 100_000_000;

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
  /** The output carries secrets: keep it out of error messages. */
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

  constructor(options: ToolRunnerOptions = {}) {
    this.env = options.env ?? process.env;
    this.cwd = options.cwd;
    this.onSpawn = options.onSpawn;
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
   * @throws {HookToolNotFoundError} the tool is not on `PATH`.
   * @throws {HookToolError} (or the subclass {@link classifyHookToolFailure} picks) the tool failed.
   */
  run(tool: string, args: readonly string[], options: RunToolOptions = {}): string {
    checkArguments(tool, args);
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
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT_BYTES,
      windowsHide: true,
    });
    const stderr = stripFinalNewline(result.stderr ?? '');
    // A tool that exits before reading all its stdin makes the write fail with EPIPE; what counts
    // then is how the tool ended, as for any other tool.
    const spawnError = result.error as NodeJS.ErrnoException | undefined;
    const ended = result.status !== null || result.signal !== null;
    const error = spawnError?.code === 'EPIPE' && ended ? undefined : spawnError;
    if (!error && result.status === 0) return stripFinalNewline(result.stdout ?? '');

    const shownArgs = options.redactArgs === true ? redact(args) : args;
    if (error?.code === 'ENOENT') {
      throw new HookToolNotFoundError(
        `${tool} not found on PATH: hook tools exist only while Juju runs a hook or an action`,
        { tool, args: shownArgs, exitCode: null, stderr: '', cause: error },
      );
    }
    if (error) {
      throw new HookToolError(`${tool} could not be started: ${error.message}`, {
        tool,
        args: shownArgs,
        exitCode: null,
        stderr,
        cause: error,
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
    return parseToolJson(tool, options.redactArgs === true ? redact(fullArgs) : fullArgs, stdout, schema, {
      secretOutput: options.secretOutput === true,
    });
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
  options: { readonly secretOutput?: boolean } = {},
): output<S> {
  const shown = options.secretOutput === true ? '' : ` (output: ${quoteOutput(stdout)})`;
  const fail = (what: string, cause?: unknown): never => {
    throw new HookToolOutputError(`${tool} printed ${what}${shown}`, {
      tool,
      args,
      exitCode: 0,
      stderr: '',
      ...(cause === undefined ? {} : { cause }),
    });
  };
  if (stdout.trim() === '') return fail('nothing where JSON was expected');
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error) {
    return fail('output that is not JSON', error);
  }
  const parsed = (typeof schema === 'function' ? schema() : schema).safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => {
      const where = issue.path.length === 0 ? 'the value' : issue.path.map(String).join('.');
      const expected =
        'expected' in issue && typeof issue.expected === 'string' ? `expected ${issue.expected}` : '';
      return `${where}: ${expected || issue.message}`;
    });
    return fail(`JSON of an unexpected shape: ${problems.join('; ')}`, parsed.error);
  }
  return parsed.data;
}

function quoteOutput(stdout: string): string {
  const limit = 200;
  return JSON.stringify(stdout.length > limit ? `${stdout.slice(0, limit)}…` : stdout);
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
