import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PebbleAPIError,
  PebbleClient,
  PebbleConnectionError,
  PebbleProtocolError,
  pebbleSocketPath,
} from '../../src/pebble/index.js';
import { FakePebbleServer } from './fake-pebble-server.js';

let fake: FakePebbleServer;
let client: PebbleClient;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
  client = new PebbleClient({ socketPath: fake.socketPath, timeout: 2000 });
});

afterEach(async () => {
  await fake.close();
});

describe('PebbleClient basics', () => {
  it('reads system info and maps kebab-case keys', async () => {
    expect(await client.systemInfo()).toEqual({ version: '1.19.0-fake', bootId: 'a3b0c9f2-boot' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/system-info' });
  });

  it('builds the Kubernetes socket path of a container', () => {
    expect(pebbleSocketPath('redis')).toBe('/charm/containers/redis/pebble.socket');
  });

  it('defaults the request timeout to 5 s', () => {
    expect(new PebbleClient({ socketPath: '/x' }).timeout).toBe(5000);
  });
});

describe('connection failures', () => {
  it('reports a missing socket as PebbleConnectionError', async () => {
    const socketPath = join(fake.dir, 'nope', 'pebble.socket');
    const missing = new PebbleClient({ socketPath });
    const error = await missing.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleConnectionError);
    expect(error).toMatchObject({ code: 'CHARMKIT_PEBBLE_CONNECTION', reason: 'socket-missing', socketPath });
    expect((error as Error).message).toContain(socketPath);
    expect((error as Error).message).toContain('GET /v1/system-info');
  });

  it('reports a stale socket nobody listens on as refused', async () => {
    const socketPath = join(fake.dir, 'stale.socket');
    await fs.writeFile(socketPath, '');
    const error = await new PebbleClient({ socketPath }).systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleConnectionError);
    expect(error).toMatchObject({ reason: 'refused' });
  });

  it('times out when the server never answers', async () => {
    fake.hang = true;
    const impatient = new PebbleClient({ socketPath: fake.socketPath, timeout: 150 });
    const started = Date.now();
    const error = await impatient.getServices().catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(PebbleConnectionError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect((error as Error).message).toContain('150 ms');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it('reports a connection closed mid-response', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"type":"sync",');
      setTimeout(() => res.socket?.destroy(), 10);
      return true;
    };
    const error = await client.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleConnectionError);
    expect(error).toMatchObject({ reason: 'other' });
  });
});

describe('API errors', () => {
  it('maps an error envelope to PebbleAPIError with status, message and request', async () => {
    const error = await client.getChange('999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({
      code: 'CHARMKIT_PEBBLE_API',
      statusCode: 404,
      status: 'Not Found',
      pebbleMessage: 'cannot find change with id "999"',
      request: 'GET /v1/changes/999',
      kind: undefined,
    });
    expect((error as Error).message).toBe(
      'Pebble refused GET /v1/changes/999: 404 Not Found: cannot find change with id "999"',
    );
  });

  it('keeps the error kind', async () => {
    const error = await client.autostartServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({
      statusCode: 400,
      kind: 'no-default-services',
      pebbleMessage: 'no default services',
    });
  });

  it('maps a non-JSON error body to PebbleAPIError with the text', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('bad gateway\n');
      return true;
    };
    const error = await client.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({ statusCode: 502, pebbleMessage: 'bad gateway' });
  });

  it('reports a non-JSON success body as PebbleProtocolError', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>hello</html>');
      return true;
    };
    const error = await client.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleProtocolError);
    expect(error).toMatchObject({ code: 'CHARMKIT_PEBBLE_PROTOCOL' });
    expect((error as Error).message).toContain('<html>hello</html>');
  });

  it('names the mismatching field when a result does not match the schema', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'sync',
          'status-code': 200,
          status: 'OK',
          result: [{ name: 'redis', startup: 'enabled', current: 'sleeping' }],
        }),
      );
      return true;
    };
    const error = await client.getServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleProtocolError);
    expect((error as Error).message).toContain('GET /v1/services');
    expect((error as Error).message).toContain('0.current');
    expect((error as Error).message).toContain('"active"');
  });

  it('rejects a malformed envelope', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: 'x' }));
      return true;
    };
    const error = await client.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleProtocolError);
    expect((error as Error).message).toMatch(/type/);
  });
});
