import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Layer, PebbleAPIError, PebbleClient } from '../../src/pebble/index.js';
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

const redisLayer: Layer = {
  summary: 'redis',
  services: {
    redis: {
      override: 'replace',
      command: 'redis-server /etc/redis.conf',
      startup: 'enabled',
      environment: { REDIS_PORT: '6379', 'user-id': 'kept', camelCase: 'kept' },
      userId: 999,
      workingDir: '/data',
      after: ['init'],
      onCheckFailure: { 'redis-alive': 'restart' },
      backoffDelay: '1s',
      backoffFactor: 2,
      killDelay: '5s',
    },
  },
  checks: {
    'redis-alive': { override: 'replace', level: 'alive', period: '10s', threshold: 3, tcp: { port: 6379 } },
    'redis-ping': {
      override: 'replace',
      level: 'ready',
      exec: { command: 'redis-cli ping', serviceContext: 'redis', workingDir: '/data' },
    },
    web: { override: 'replace', http: { url: 'http://localhost:8080/', headers: { 'X-Token': 'a' } } },
  },
  logTargets: {
    loki: {
      override: 'replace',
      type: 'loki',
      location: 'http://loki:3100',
      services: ['all'],
      labels: { app: 'redis' },
    },
  },
};

describe('plan and layers', () => {
  it('returns an empty plan when there are no layers', async () => {
    expect(await client.getPlan()).toEqual({ services: {}, checks: {}, logTargets: {} });
    expect(fake.requests.at(-1)?.query.get('format')).toBe('yaml');
  });

  it('sends camelCase layers as kebab-case YAML, leaving user keys alone', async () => {
    await client.addLayer('redis', redisLayer);
    const sent = JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    expect(sent).toMatchObject({ action: 'add', combine: false, label: 'redis', format: 'yaml' });
    const wire = parseYaml(String(sent.layer)) as Record<string, Record<string, Record<string, unknown>>>;
    expect(wire.services?.redis).toMatchObject({
      'user-id': 999,
      'working-dir': '/data',
      'on-check-failure': { 'redis-alive': 'restart' },
      'backoff-delay': '1s',
      'backoff-factor': 2,
      'kill-delay': '5s',
      environment: { REDIS_PORT: '6379', 'user-id': 'kept', camelCase: 'kept' },
    });
    expect(wire.services?.redis).not.toHaveProperty('workingDir');
    expect(wire.checks?.['redis-ping']).toMatchObject({
      exec: { command: 'redis-cli ping', 'service-context': 'redis', 'working-dir': '/data' },
    });
    expect(wire['log-targets']?.loki).toMatchObject({ type: 'loki', services: ['all'] });
  });

  it('round-trips a layer through the plan', async () => {
    await client.addLayer('redis', redisLayer);
    const plan = await client.getPlan();
    expect(plan.services).toEqual(redisLayer.services);
    expect(plan.checks).toEqual(redisLayer.checks);
    expect(plan.logTargets).toEqual(redisLayer.logTargets);
  });

  it('accepts a layer written as YAML', async () => {
    await client.addLayer(
      'yaml',
      'services:\n  web:\n    override: replace\n    command: python3 -m http.server\n    working-dir: /srv\n',
    );
    expect((await client.getPlan()).services.web).toEqual({
      override: 'replace',
      command: 'python3 -m http.server',
      workingDir: '/srv',
    });
  });

  it('refuses a second layer with the same label without combine', async () => {
    await client.addLayer('base', { services: { a: { override: 'replace', command: 'a' } } });
    const error = await client
      .addLayer('base', { services: { a: { override: 'replace', command: 'b' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({ statusCode: 400, pebbleMessage: 'layer "base" already exists' });
    expect((await client.getPlan()).services.a?.command).toBe('a');
  });

  it('merges into the same label with combine and override: merge', async () => {
    await client.addLayer('base', {
      services: {
        a: {
          override: 'replace',
          command: 'a --v1',
          environment: { X: '1', Y: '1' },
          after: ['b'],
          startup: 'enabled',
        },
      },
    });
    await client.addLayer(
      'base',
      {
        services: {
          a: { override: 'merge', command: 'a --v2', environment: { Y: '2', Z: '2' }, after: ['c'] },
        },
      },
      { combine: true },
    );
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}')).toMatchObject({ combine: true });
    expect(fake.layers).toHaveLength(1);
    expect((await client.getPlan()).services.a).toEqual({
      override: 'merge',
      command: 'a --v2',
      environment: { X: '1', Y: '2', Z: '2' },
      after: ['b', 'c'],
      startup: 'enabled',
    });
  });

  it('replaces a whole service with override: replace', async () => {
    await client.addLayer('base', {
      services: { a: { override: 'replace', command: 'a', environment: { X: '1' }, startup: 'enabled' } },
    });
    await client.addLayer(
      'base',
      { services: { a: { override: 'replace', command: 'b' } } },
      { combine: true },
    );
    expect((await client.getPlan()).services.a).toEqual({ override: 'replace', command: 'b' });
  });

  it('stacks layers with new labels, upper layers winning', async () => {
    await client.addLayer('base', {
      services: { a: { override: 'replace', command: 'a' }, b: { override: 'replace', command: 'b' } },
    });
    await client.addLayer(
      'top',
      { services: { b: { override: 'replace', command: 'b2' } } },
      { combine: true },
    );
    expect(fake.layers.map((l) => l.label)).toEqual(['base', 'top']);
    const plan = await client.getPlan();
    expect(plan.services.a?.command).toBe('a');
    expect(plan.services.b?.command).toBe('b2');
  });

  it("passes Pebble's validation error through", async () => {
    const error = await client
      .addLayer('bad', { services: { a: { command: 'a' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect((error as PebbleAPIError).pebbleMessage).toBe(
      'layer "bad" must define "override" for service "a"',
    );
  });
});
