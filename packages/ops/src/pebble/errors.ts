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
