import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PebbleAPIError, PebbleChangeError, PebbleClient } from '../../src/pebble/index.js';
import { FakePebbleServer } from './fake-pebble-server.js';

let fake: FakePebbleServer;
let client: PebbleClient;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
  client = new PebbleClient({ socketPath: fake.socketPath, timeout: 2000 });
  await client.addLayer('base', {
    services: {
      redis: { override: 'replace', command: 'redis-server', startup: 'enabled' },
      sentinel: { override: 'replace', command: 'redis-sentinel', startup: 'enabled' },
      backup: { override: 'replace', command: 'backup' },
    },
  });
});

afterEach(async () => {
  await fake.close();
});

function wireBody(index = -1): Record<string, unknown> {
  return JSON.parse(fake.requests.at(index)?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
}

describe('getServices', () => {
  it('lists every service of the plan', async () => {
    expect(await client.getServices()).toEqual([
      { name: 'backup', startup: 'disabled', current: 'inactive' },
      { name: 'redis', startup: 'enabled', current: 'inactive' },
      { name: 'sentinel', startup: 'enabled', current: 'inactive' },
    ]);
    expect(fake.requests.at(-1)?.query.has('names')).toBe(false);
  });

  it('filters by name, comma-joined in one query parameter', async () => {
    const services = await client.getServices(['redis', 'backup']);
    expect(fake.requests.at(-1)?.query.get('names')).toBe('redis,backup');
    expect(services.map((s) => s.name)).toEqual(['redis', 'backup']);
  });
});

describe('service actions', () => {
  it('starts services and waits for the change by default', async () => {
    fake.changeDelay = 150;
    const started = Date.now();
    const id = await client.startServices(['redis']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(wireBody(0 - 2)).toEqual({ action: 'start', services: ['redis'] });
    expect(fake.services.get('redis')?.current).toBe('active');
    const change = await client.getChange(id);
    expect(change).toMatchObject({
      id,
      kind: 'start',
      status: 'Done',
      ready: true,
      summary: 'Start service "redis"',
    });
    expect(change.err).toBeUndefined();
    expect(change.spawnTime).toBeInstanceOf(Date);
    expect(change.readyTime).toBeInstanceOf(Date);
    expect(change.tasks).toEqual([
      expect.objectContaining({
        kind: 'start',
        status: 'Done',
        progress: { label: '', done: 1, total: 1 },
        log: [],
      }),
    ]);
    const [info] = await client.getServices(['redis']);
    expect(info?.current).toBe('active');
    expect(info?.currentSince).toBeInstanceOf(Date);
  });

  it('returns at once with wait: false, and waitChange waits', async () => {
    fake.changeDelay = 100;
    const id = await client.startServices(['redis'], { wait: false });
    expect((await client.getChange(id)).ready).toBe(false);
    expect(fake.services.get('redis')).toBeUndefined();
    const change = await client.waitChange(id, { timeout: 2000 });
    expect(change).toMatchObject({ ready: true, status: 'Done' });
    const waitRequest = fake.requests.find((r) => r.path === `/v1/changes/${id}/wait`);
    expect(waitRequest?.query.get('timeout')).toMatch(/^\d+(\.\d+)?ms$/);
  });

  it('raises PebbleChangeError with the change error when a start fails', async () => {
    fake.failingServices.add('redis');
    const error = await client.startServices(['redis', 'sentinel']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleChangeError);
    const changeError = error as PebbleChangeError;
    expect(changeError.code).toBe('CHARMKIT_PEBBLE_CHANGE');
    expect(changeError.reason).toBe('failed');
    expect(changeError.change.status).toBe('Error');
    expect(changeError.err).toContain(
      'Start service "redis" (cannot start service: exited quickly with code 1)',
    );
    expect(changeError.message).toContain(`Pebble change ${changeError.change.id}`);
    expect(changeError.message).toContain('exited quickly');
    expect(changeError.change.tasks.find((t) => t.status === 'Error')?.log[0]).toContain('exited quickly');
  });

  it('stops and restarts services', async () => {
    await client.startServices(['redis', 'sentinel']);
    await client.stopServices(['sentinel']);
    expect(wireBody(-2)).toEqual({ action: 'stop', services: ['sentinel'] });
    expect((await client.getServices(['sentinel']))[0]?.current).toBe('inactive');

    const id = await client.restartServices(['redis']);
    const change = await client.getChange(id);
    expect(change.kind).toBe('restart');
    expect(change.tasks.map((t) => t.kind)).toEqual(['stop', 'start']);
    expect((await client.getServices(['redis']))[0]?.current).toBe('active');
  });

  it('replan starts enabled services, then restarts only changed ones', async () => {
    const first = await client.getChange(await client.replan());
    expect(wireBody(-3)).toEqual({ action: 'replan', services: [] });
    expect(first.tasks.map((t) => `${t.kind} ${t.summary}`).sort()).toEqual([
      'start Start service "redis"',
      'start Start service "sentinel"',
    ]);
    expect(fake.services.get('backup')).toBeUndefined();

    await client.addLayer(
      'base',
      { services: { redis: { override: 'merge', command: 'redis-server --v2' } } },
      {
        combine: true,
      },
    );
    const second = await client.getChange(await client.replan());
    expect(second.tasks.map((t) => t.summary)).toEqual(['Stop service "redis"', 'Start service "redis"']);

    const third = await client.getChange(await client.replan());
    expect(third).toMatchObject({ ready: true, status: 'Done', tasks: [] });
  });

  it('autostart starts the enabled services', async () => {
    await client.autostartServices();
    expect(wireBody(-2)).toEqual({ action: 'autostart', services: [] });
    expect((await client.getServices()).map((s) => `${s.name}:${s.current}`)).toEqual([
      'backup:inactive',
      'redis:active',
      'sentinel:active',
    ]);
  });

  it('maps an unknown service to PebbleAPIError', async () => {
    const error = await client.startServices(['nope']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({
      statusCode: 400,
      pebbleMessage: 'cannot start services: service "nope" does not exist',
    });
  });

  it('sends signals to running services', async () => {
    await client.startServices(['redis']);
    await client.sendSignal('SIGHUP', ['redis']);
    expect(fake.signals).toEqual(['SIGHUP redis']);
    await expect(client.sendSignal('SIGHUP', ['backup'])).rejects.toBeInstanceOf(PebbleAPIError);
  });
});

describe('waitChange', () => {
  it('gives up after its timeout with reason "timeout"', async () => {
    fake.changeDelay = 5000;
    const id = await client.startServices(['redis'], { wait: false });
    const started = Date.now();
    const error = await client.waitChange(id, { timeout: 200 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(PebbleChangeError);
    expect(error).toMatchObject({ reason: 'timeout', change: { id, ready: false } });
    expect((error as Error).message).toContain('not ready within 200 ms');
  });

  it('applies the timeout option of a service action', async () => {
    fake.changeDelay = 5000;
    const error = await client.stopServices(['redis'], { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout' });
  });

  it("keeps waiting when Pebble's own wait times out (504)", async () => {
    fake.changeDelay = 150;
    let timeouts = 0;
    fake.intercept = (req, res) => {
      if (!req.url?.includes('/wait') || timeouts > 0) return false;
      timeouts++;
      res.writeHead(504, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          'status-code': 504,
          status: 'Gateway Timeout',
          result: { message: 'timed out waiting for change after 4s' },
        }),
      );
      return true;
    };
    const change = await client.waitChange(await client.startServices(['redis'], { wait: false }), {
      timeout: 3000,
    });
    expect(timeouts).toBe(1);
    expect(change.status).toBe('Done');
  });

  it('falls back to polling when Pebble has no wait endpoint', async () => {
    fake.changeDelay = 80;
    fake.intercept = (req, res) => {
      if (!req.url?.includes('/wait')) return false;
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          'status-code': 404,
          status: 'Not Found',
          result: { message: 'not found' },
        }),
      );
      return true;
    };
    const id = await client.startServices(['redis'], { wait: false });
    const change = await client.waitChange(id, { timeout: 2000, pollInterval: 10 });
    expect(change.status).toBe('Done');
    expect(fake.requests.filter((r) => r.path === `/v1/changes/${id}`).length).toBeGreaterThan(1);
  });

  it('reports an unknown change as PebbleAPIError 404', async () => {
    const error = await client.waitChange('4242').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({ statusCode: 404, pebbleMessage: 'cannot find change with id "4242"' });
  });
});
