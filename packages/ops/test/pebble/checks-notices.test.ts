import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PebbleAPIError, PebbleClient } from '../../src/pebble/index.js';
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

describe('checks', () => {
  beforeEach(async () => {
    await client.addLayer('checks', {
      checks: {
        alive: { override: 'replace', level: 'alive', tcp: { port: 6379 }, threshold: 5 },
        ready: { override: 'replace', level: 'ready', exec: { command: 'redis-cli ping' } },
        other: { override: 'replace', startup: 'disabled', http: { url: 'http://localhost/' } },
      },
    });
  });

  it('lists checks with their state', async () => {
    fake.checkStatus.set('ready', { status: 'down', failures: 4 });
    expect(await client.getChecks()).toEqual([
      { name: 'alive', level: 'alive', startup: 'enabled', status: 'up', failures: 0, threshold: 5 },
      { name: 'other', startup: 'disabled', status: 'up', failures: 0, threshold: 3 },
      { name: 'ready', level: 'ready', startup: 'enabled', status: 'down', failures: 4, threshold: 3 },
    ]);
  });

  it('filters by level and names', async () => {
    expect((await client.getChecks({ level: 'ready' })).map((c) => c.name)).toEqual(['ready']);
    expect(fake.requests.at(-1)?.query.get('level')).toBe('ready');
    expect((await client.getChecks({ names: ['alive', 'other'] })).map((c) => c.name)).toEqual([
      'alive',
      'other',
    ]);
    expect(fake.requests.at(-1)?.query.get('names')).toBe('alive,other');
  });

  it('stops and starts checks', async () => {
    expect(await client.stopChecks(['alive', 'ready'])).toEqual(['alive', 'ready']);
    expect(await client.stopChecks(['alive'])).toEqual([]);
    expect((await client.getChecks({ names: ['alive'] }))[0]?.status).toBe('inactive');
    expect(await client.startChecks(['alive'])).toEqual(['alive']);
    expect((await client.getChecks({ names: ['alive'] }))[0]?.status).toBe('up');
  });

  it('fills in defaults for fields older Pebble versions omit', async () => {
    fake.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'sync',
          'status-code': 200,
          status: 'OK',
          result: [{ name: 'old', level: '', status: 'up', threshold: 3 }],
        }),
      );
      return true;
    };
    expect(await client.getChecks()).toEqual([
      { name: 'old', startup: 'enabled', status: 'up', failures: 0, threshold: 3 },
    ]);
  });
});

describe('notices', () => {
  it('records a custom notice and reads it back', async () => {
    const id = await client.notify('example.com/reload', { data: { reason: 'config' } });
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}')).toEqual({
      action: 'add',
      type: 'custom',
      key: 'example.com/reload',
      data: { reason: 'config' },
    });
    const notice = await client.getNotice(id);
    expect(notice).toMatchObject({
      id,
      type: 'custom',
      key: 'example.com/reload',
      occurrences: 1,
      lastData: { reason: 'config' },
      expireAfter: 168 * 3_600_000,
    });
    expect(notice.userId).toBeUndefined();
    expect(notice.repeatAfter).toBeUndefined();
    expect(notice.firstOccurred).toBeInstanceOf(Date);

    expect(await client.notify('example.com/reload')).toBe(id);
    expect((await client.getNotice(id)).occurrences).toBe(2);
  });

  it('sends repeatAfter as a duration and reads it back in ms', async () => {
    const id = await client.notify('example.com/tick', { repeatAfter: 90_000 });
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}')).toMatchObject({
      'repeat-after': '90000ms',
    });
    expect((await client.getNotice(id)).repeatAfter).toBe(90_000);
  });

  it('maps an invalid key to PebbleAPIError', async () => {
    const error = await client.notify('reload').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect((error as PebbleAPIError).pebbleMessage).toContain('must be in "domain.com/key" format');
  });

  it('filters notices', async () => {
    fake.addNotice('change-update', '1');
    await client.notify('example.com/a');
    await new Promise((resolve) => setTimeout(resolve, 15));
    const middle = new Date();
    await new Promise((resolve) => setTimeout(resolve, 15));
    await client.notify('example.com/b');

    expect((await client.getNotices()).map((n) => n.key)).toEqual(['1', 'example.com/a', 'example.com/b']);
    expect((await client.getNotices({ types: ['custom'] })).map((n) => n.key)).toEqual([
      'example.com/a',
      'example.com/b',
    ]);
    expect((await client.getNotices({ keys: ['example.com/b', '1'] })).map((n) => n.key)).toEqual([
      '1',
      'example.com/b',
    ]);
    expect((await client.getNotices({ after: middle })).map((n) => n.key)).toEqual(['example.com/b']);

    await client.getNotices({ userId: 1000, users: 'all', types: ['custom', 'warning'], after: middle });
    const query = fake.requests.at(-1)?.query;
    expect(query?.get('user-id')).toBe('1000');
    expect(query?.get('users')).toBe('all');
    expect(query?.get('types')).toBe('custom,warning');
    expect(query?.get('after')).toBe(middle.toISOString());
  });

  it('reports an unknown notice as PebbleAPIError 404', async () => {
    await expect(client.getNotice('77')).rejects.toMatchObject({ statusCode: 404 });
  });
});
