import type { FileOwnership } from '@charmkit/ops/pebble';

/** One command the charm ran in a container, as a {@link MemoryPebble} recorded it. */
export interface ExecCall extends FileOwnership {
  readonly command: readonly string[];
  /** The environment the charm passed (empty when it passed none). */
  readonly environment: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  /** Milliseconds, as the charm passed it. */
  readonly timeout?: number;
  /** Everything the charm fed to the command's stdin, as UTF-8 text. */
  readonly stdin: string;
}

/** What a simulated command printed and how it exited. */
export interface ExecResult {
  readonly stdout?: string | Uint8Array;
  readonly stderr?: string | Uint8Array;
  /** Default 0. */
  readonly exitCode?: number;
  /** The command would still be running when the exec's `timeout` ran out (waits then throw `PebbleExecTimeoutError`). */
  readonly timedOut?: boolean;
}

/**
 * Stands in for the commands whose line starts with `command` (the longest matching prefix
 * wins): either a fixed result, or `run`, a function of the call (arguments, environment, stdin).
 *
 * ```ts
 * { command: ['nginx', '-t'], stderr: 'syntax is ok' }
 * { command: ['cat'], run: (call) => ({ stdout: call.stdin }) }
 * ```
 */
export interface ExecHandler extends ExecResult {
  readonly command: readonly string[];
  readonly run?: (call: ExecCall) => ExecResult | Promise<ExecResult>;
}

/** The handler whose command is the longest prefix of `command`, if any. */
export function findExecHandler(
  handlers: readonly ExecHandler[],
  command: readonly string[],
): ExecHandler | undefined {
  let best: ExecHandler | undefined;
  for (const handler of handlers) {
    const prefix = handler.command;
    if (prefix.length > command.length || prefix.some((arg, i) => arg !== command[i])) continue;
    if (best === undefined || prefix.length > best.command.length) best = handler;
  }
  return best;
}
