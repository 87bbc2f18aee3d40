import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '@charmkit/ops';
import { ExternalHandlerError } from '../errors.js';

/** How a child process is run. */
export interface ChildOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
}

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const NAME_LIST = /^[A-Za-z_][A-Za-z0-9_.:-]*(,[A-Za-z_][A-Za-z0-9_.:-]*)*$/;

/**
 * An executable under the charm's `reactive/` directory, in any language, speaking
 * charms.reactive's protocol: `FILE --test` exits 0 and prints the comma-separated functions
 * whose conditions hold (exit 1: none); `FILE --invoke LIST` runs them. Any other exit status, a
 * signal, or unreadable output is an error that fails the hook (charms.reactive took it as "nothing
 * to run", which hid broken handlers).
 */
export class ExternalHandlerFile {
  /** Absolute path. */
  readonly file: string;

  constructor(
    /** Path relative to the charm directory, e.g. `reactive/restart.sh`: part of handler ids. */
    readonly path: string,
    charmDir: string,
  ) {
    this.file = isAbsolute(path) ? path : join(charmDir, path);
  }

  /** The functions whose conditions hold (none: empty). */
  async test(options: ChildOptions): Promise<string[]> {
    const result = await run(this.file, ['--test'], options, this.path);
    if (result.code === 1 && result.signal === null) return [];
    if (result.code !== 0) throw this.#failure('--test', result);
    const output = result.stdout.trim();
    if (output === '') return [];
    if (!NAME_LIST.test(output)) {
      throw new ExternalHandlerError(
        `${this.path} --test printed ${JSON.stringify(output.slice(0, 200))}; expected function names separated by commas`,
      );
    }
    return output.split(',');
  }

  /** Runs `names` (as `--test` printed them). */
  async invoke(names: readonly string[], options: ChildOptions): Promise<void> {
    const result = await run(this.file, ['--invoke', names.join(',')], options, this.path);
    if (result.code !== 0) throw this.#failure(`--invoke ${names.join(',')}`, result);
  }

  #failure(what: string, result: ChildResult): ExternalHandlerError {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.code}`;
    const tail = result.stderr.trim().split('\n').slice(-10).join('\n');
    return new ExternalHandlerError(`${this.path} ${what} ${how}${tail ? `:\n${tail}` : ''}`);
  }
}

function run(file: string, args: string[], options: ChildOptions, label: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: in-process test harnesses answer the child's hook-tool calls from
    // this very process, which a synchronous spawn would deadlock.
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      reject(new ExternalHandlerError(`cannot run ${label}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      // The child's output is the handler's log: DEBUG lines cost no process (Juju records stdout).
      const isInvoke = args[0] === '--invoke';
      for (const line of (isInvoke ? stdout : '').split('\n')) {
        if (line.trim()) options.log.debug(`${label}: ${line}`);
      }
      for (const line of stderr.split('\n')) if (line.trim()) options.log.debug(`${label} (stderr): ${line}`);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
