import type { IncomingHttpHeaders } from 'node:http';
import { PebbleConnectionError, type PebbleConnectionFailure } from './errors.js';

/** One HTTP request to a unix socket. */
export interface UnixHttpRequest {
  socketPath: string;
  method: string;
  /** Path and query, e.g. `/v1/services?names=redis`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Milliseconds for the whole exchange, from connecting to the last byte of the body. */
  timeout: number;
}

/** A complete HTTP response. */
export interface UnixHttpResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function failureOf(error: unknown): PebbleConnectionFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'socket-missing';
    case 'ECONNREFUSED':
      return 'refused';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    default:
      return 'other';
  }
}

const FAILURE_TEXT: Record<PebbleConnectionFailure, string> = {
  'socket-missing': 'the socket does not exist (is the container running?)',
  refused: 'nothing is listening on the socket',
  'permission-denied': 'permission denied',
  timeout: 'no complete answer',
  other: 'the connection failed',
};

/**
 * Sends one request over a unix socket and collects the whole response. Every failure to get an
 * answer (missing socket, refused connection, reset, timeout) becomes a
 * {@link PebbleConnectionError}; HTTP error statuses are returned, not thrown.
 */
export function unixHttpRequest(req: UnixHttpRequest): Promise<UnixHttpResponse> {
  const what = `${req.method} ${req.path.split('?')[0]} on ${req.socketPath}`;
  return new Promise<UnixHttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (reason: PebbleConnectionFailure, cause: unknown, detail?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const code = (cause as NodeJS.ErrnoException | undefined)?.code;
      const text = detail ?? `${FAILURE_TEXT[reason]}${code !== undefined ? ` (${code})` : ''}`;
      reject(
        new PebbleConnectionError(
          `Cannot reach Pebble for ${what}: ${text}`,
          { socketPath: req.socketPath, reason },
          { cause },
        ),
      );
      outgoing.destroy();
    };

    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(req.body.length);

    // agent: false gives a fresh connection per request that closes afterwards: hooks are short
    // processes, and a pooled keep-alive socket would only delay their exit.
    // node:http is loaded with the first request, not at start-up: most hooks never talk to Pebble.
    const outgoing = process
      .getBuiltinModule('node:http')
      .request(
        { socketPath: req.socketPath, method: req.method, path: req.path, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => fail(failureOf(error), error));
          res.on('aborted', () =>
            fail('other', undefined, 'the connection closed before the response was complete'),
          );
          res.on('end', () => {
            if (settled) return;
            if (!res.complete) {
              fail('other', undefined, 'the connection closed before the response was complete');
              return;
            }
            settled = true;
            clearTimeout(timer);
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          });
        },
      );
    const timer = setTimeout(
      () => fail('timeout', undefined, `no complete answer within ${req.timeout} ms`),
      req.timeout,
    );
    outgoing.on('error', (error) => fail(failureOf(error), error));
    outgoing.end(req.body);
  });
}
