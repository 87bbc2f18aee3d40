import { CharmkitError } from '../charmkit-error.js';
import type { OpsErrorCode } from '../error-codes.js';
import type { Change } from './types.js';

/** Why the client could not get an answer from Pebble at all. */
export type PebbleConnectionFailure =
  | 'socket-missing'
  | 'refused'
  | 'permission-denied'
  | 'timeout'
  | 'other';

/**
 * The client could not talk to Pebble: the socket file is missing (the container is not up yet),
 * nothing listens on it, or the request got no complete answer within its timeout.
 *
 * A charm usually meets this in hooks that run before the workload container is ready; guard
 * with `container.canConnect()` or catch it and wait for `pebble-ready`.
 *
 * @remedy Guard with `container.canConnect()`, or catch it and defer until `pebble-ready`; a
 * timeout on a loaded node may pass when Juju retries the hook.
 */
export class PebbleConnectionError extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_CONNECTION' satisfies OpsErrorCode;
  /** The unix socket the client tried to use. */
  readonly socketPath: string;
  /** What went wrong, for callers that react differently to a timeout and a missing socket. */
  readonly reason: PebbleConnectionFailure;

  constructor(
    message: string,
    details: { socketPath: string; reason: PebbleConnectionFailure },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.socketPath = details.socketPath;
    this.reason = details.reason;
  }
}

/** What Pebble said when it refused a request. */
export interface PebbleAPIErrorDetails {
  /** HTTP status code of the response, e.g. 400 or 404. */
  statusCode: number;
  /** HTTP status text, e.g. `Bad Request`. */
  status: string;
  /** Pebble's error kind (e.g. `not-found`, `no-default-services`), when it sent one. */
  kind?: string;
  /** Pebble's extra error value, when it sent one. */
  value?: unknown;
  /** `METHOD /path` of the request, for the message and for logs. */
  request: string;
}

/**
 * Pebble answered with an error response (`{"type": "error", ...}` or a non-2xx status).
 * `message` is Pebble's own message, prefixed with the request so logs show what failed.
 *
 * @remedy Read `statusCode`, `kind` and `pebbleMessage`: Pebble refused the request as sent (a
 * service or check the plan does not have, a layer that does not merge); fix the request.
 */
export class PebbleAPIError extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_API' satisfies OpsErrorCode;
  readonly statusCode: number;
  readonly status: string;
  readonly kind: string | undefined;
  readonly value: unknown;
  readonly request: string;
  /** Pebble's message without the request prefix. */
  readonly pebbleMessage: string;

  constructor(pebbleMessage: string, details: PebbleAPIErrorDetails, options?: { cause?: unknown }) {
    super(
      `Pebble refused ${details.request}: ${details.statusCode} ${details.status}: ${pebbleMessage}`,
      options,
    );
    this.pebbleMessage = pebbleMessage;
    this.statusCode = details.statusCode;
    this.status = details.status;
    this.kind = details.kind;
    this.value = details.value;
    this.request = details.request;
  }
}

/** Whether the change ended in an error or was still running when the wait gave up. */
export type PebbleChangeFailure = 'failed' | 'timeout';

/**
 * A change (start, stop, restart, replan...) did not succeed: it finished with an error, or it
 * was not ready before the wait's timeout. `change` is the last state the client saw.
 *
 * @remedy With `reason: 'failed'`, read `err` and the service's logs; with `'timeout'`, the change
 * may still finish: wait longer or check the service in a later hook.
 */
export class PebbleChangeError extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_CHANGE' satisfies OpsErrorCode;
  readonly change: Change;
  readonly reason: PebbleChangeFailure;

  constructor(message: string, change: Change, reason: PebbleChangeFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.change = change;
    this.reason = reason;
  }

  /** The error text Pebble recorded on the change (empty when it timed out without one). */
  get err(): string {
    return this.change.err ?? '';
  }
}

/** Pebble's kinds of file errors; other strings may appear from newer Pebble versions. */
export type PebblePathErrorKind = 'not-found' | 'permission-denied' | 'generic-file-error';

/**
 * A file operation (push, pull, list, make-dir, remove) failed for one path: it does not exist,
 * access was denied, or the filesystem refused (e.g. removing a non-empty directory).
 *
 * @remedy Check `path` and `kind`: create parent directories (`makeDirs`), fix ownership or
 * permissions, or remove recursively.
 */
export class PebblePathError extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_PATH' satisfies OpsErrorCode;
  /** The path in the container the error is about. */
  readonly path: string;
  /** Pebble's error kind, e.g. `not-found`. */
  readonly kind: PebblePathErrorKind | (string & {});
  /** Pebble's message without the path prefix. */
  readonly pebbleMessage: string;

  constructor(path: string, kind: string, pebbleMessage: string, options?: { cause?: unknown }) {
    super(`Pebble file error for ${JSON.stringify(path)} (${kind}): ${pebbleMessage}`, options);
    this.path = path;
    this.kind = kind;
    this.pebbleMessage = pebbleMessage;
  }
}

/**
 * Pebble answered, but not in the shape this client understands: the body is not JSON, the
 * envelope is malformed, or a result does not match the documented schema. Usually a Pebble
 * version the client does not know, or something other than Pebble on the socket.
 *
 * @remedy Something other than Pebble answers on the socket, or a Pebble version this client does
 * not know: check the container's Pebble and report the response.
 */
export class PebbleProtocolError extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_PROTOCOL' satisfies OpsErrorCode;
}

/** Characters of stdout and stderr that an exec error's message shows; the fields keep all of it. */
const EXEC_MESSAGE_OUTPUT = 1024;

function describeOutput(name: string, output: string | Uint8Array | undefined): string {
  if (output === undefined || output.length === 0) return '';
  const text = typeof output === 'string' ? output : Buffer.from(output).toString('utf8');
  const cut = text.length > EXEC_MESSAGE_OUTPUT;
  return `, ${name}=${JSON.stringify(cut ? text.slice(0, EXEC_MESSAGE_OUTPUT) : text)}${cut ? ' [truncated]' : ''}`;
}

/**
 * A command run with `exec` exited with a non-zero code. `stdout` and `stderr` hold what it
 * printed (text, or bytes when exec's `encoding` was `null`); they are empty when the output went
 * to streams given in the exec options. The message shows at most 1024 characters of each.
 *
 * @remedy Read `exitCode`, `stdout` and `stderr`: the command ran and failed. Fix its arguments,
 * environment or input, or catch the error when a non-zero exit is an expected answer.
 */
export class PebbleExecError<T extends string | Uint8Array = string | Uint8Array> extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_EXEC' satisfies OpsErrorCode;
  /** The command as given to exec. */
  readonly command: readonly string[];
  /** The process's exit code: never 0; -1 when Pebble reported none. */
  readonly exitCode: number;
  readonly stdout: T;
  readonly stderr: T;

  constructor(
    command: readonly string[],
    exitCode: number,
    stdout: T,
    stderr: T,
    options?: { cause?: unknown },
  ) {
    super(
      `non-zero exit code ${exitCode} executing ${JSON.stringify(command[0] ?? '')}${describeOutput('stdout', stdout)}${describeOutput('stderr', stderr)}`,
      options,
    );
    this.command = [...command];
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/**
 * A command run with `exec` did not finish within its `timeout`: Pebble killed it. `stdout` and
 * `stderr` hold what it printed until then (empty when the output went to streams).
 *
 * @remedy Give the command a longer `timeout`, or make it finish sooner (a hung command often
 * waits for input: end `process.stdin` or pass `stdin` in the options).
 */
export class PebbleExecTimeoutError<
  T extends string | Uint8Array = string | Uint8Array,
> extends CharmkitError {
  readonly code = 'CHARMKIT_PEBBLE_EXEC_TIMEOUT' satisfies OpsErrorCode;
  readonly command: readonly string[];
  /** The timeout in milliseconds (the exec option). */
  readonly timeout: number;
  readonly stdout: T;
  readonly stderr: T;

  constructor(
    command: readonly string[],
    timeout: number,
    stdout: T,
    stderr: T,
    options?: { cause?: unknown },
  ) {
    super(
      `${JSON.stringify(command[0] ?? '')} did not finish within its timeout of ${timeout} ms${describeOutput('stdout', stdout)}${describeOutput('stderr', stderr)}`,
      options,
    );
    this.command = [...command];
    this.timeout = timeout;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}
