import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HookToolError,
  HookToolOutputError,
  MAX_ARGUMENT_BYTES,
  RelationNotFoundError,
  splitUtf8,
} from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('network-get', () => {
  it('reads the full map into camelCase fields', () => {
    fake.respondJson(
      'network-get',
      '{"bind-addresses":[{"mac-address":"00:16:3e:aa:bb:cc","interface-name":"eth0","addresses":[{"hostname":"","value":"10.0.0.5","cidr":"10.0.0.0/24"}]}],"egress-subnets":["10.0.0.5/32"],"ingress-addresses":["10.0.0.5"]}',
    );
    expect(fake.tools().networkGet('db', { relationId: 'db:2' })).toEqual({
      bindAddresses: [
        {
          macAddress: '00:16:3e:aa:bb:cc',
          interfaceName: 'eth0',
          addresses: [{ hostname: '', value: '10.0.0.5', cidr: '10.0.0.0/24' }],
        },
      ],
      egressSubnets: ['10.0.0.5/32'],
      ingressAddresses: ['10.0.0.5'],
    });
    expect(fake.commandLines()).toEqual([['network-get', '--format=json', '-r', 'db:2', '--', 'db']]);
  });

  it('accepts omitted lists and the older "address" key', () => {
    fake.respondJson('network-get', '{"bind-addresses":[{"addresses":[{"address":"192.168.1.2"}]}]}');
    expect(fake.tools().networkGet('website')).toEqual({
      bindAddresses: [
        { macAddress: '', interfaceName: '', addresses: [{ value: '192.168.1.2', cidr: '', hostname: '' }] },
      ],
      egressSubnets: [],
      ingressAddresses: [],
    });
  });

  it('maps an unknown relation, and rejects a bad binding before spawning', () => {
    fake.fail('network-get', 'invalid value "7" for flag -r: relation not found', 2);
    expect(() => fake.tools().networkGet('db', { relationId: 7 })).toThrow(RelationNotFoundError);
    fake.reset();
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.networkGet(''),
      /binding "" is not an endpoint or binding name/,
    );
  });
});

describe('storage', () => {
  it('lists storage ids, all or by name', () => {
    const tools = fake.tools();
    fake.respondJson('storage-list', '["data/0","data/1"]');
    expect(tools.storageList()).toEqual(['data/0', 'data/1']);
    expect(tools.storageList('data')).toEqual(['data/0', 'data/1']);
    expect(fake.commandLines()).toEqual([
      ['storage-list', '--format=json'],
      ['storage-list', '--format=json', '--', 'data'],
    ]);
  });

  it('gets kind and location', () => {
    const tools = fake.tools();
    fake.respondJson('storage-get', '{"kind":"filesystem","location":"/srv/data"}');
    expect(tools.storageGet({ id: 'data/0' })).toEqual({ kind: 'filesystem', location: '/srv/data' });
    expect(tools.storageGet()).toEqual({ kind: 'filesystem', location: '/srv/data' });
    expect(fake.commandLines()).toEqual([
      ['storage-get', '--format=json', '-s', 'data/0'],
      ['storage-get', '--format=json'],
    ]);
  });

  it('adds storage as name=count', () => {
    const tools = fake.tools();
    tools.storageAdd({ data: 2, logs: 1 });
    tools.storageAdd({});
    expect(fake.commandLines()).toEqual([['storage-add', '--', 'data=2', 'logs=1']]);
  });

  it('rejects bad arguments before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.storageGet({ id: 'data' }),
      /storage id "data"/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.storageAdd({ data: 0 }),
      /count of "data" must be an integer from 1/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.storageAdd({ 'a=b': 1 }),
      /"a=b" is not a storage name/,
    );
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.storageList('-x'), /storage name "-x"/);
  });
});

describe('resource-get', () => {
  it('returns the printed path', () => {
    fake.respond('resource-get', { stdout: '/var/lib/juju/agents/unit-app-0/resources/bin/app.tar.gz\n' });
    expect(fake.tools().resourceGet('bin')).toBe('/var/lib/juju/agents/unit-app-0/resources/bin/app.tar.gz');
    expect(fake.commandLines()).toEqual([['resource-get', '--', 'bin']]);
  });

  it('fails when the resource is unavailable or nothing is printed', () => {
    const tools = fake.tools();
    fake.fail('resource-get', 'could not download resource: HTTP request failed', 1);
    expect(() => tools.resourceGet('bin')).toThrow(HookToolError);
    fake.respond('resource-get', { stdout: '' });
    expect(() => tools.resourceGet('bin')).toThrow(HookToolOutputError);
  });
});

describe('goal-state', () => {
  it("reads units and relations, keeping Juju's time text", () => {
    fake.respondJson(
      'goal-state',
      '{"units":{"app/0":{"status":"active","since":"2025-01-02 15:04:05Z"},"app/1":{"status":"waiting"}},"relations":{"db":{"pg":{"status":"joined","since":"2025-01-02 15:05:00Z"},"pg/0":{"status":"active"}}}}',
    );
    expect(fake.tools().goalState()).toEqual({
      units: { 'app/0': { status: 'active', since: '2025-01-02 15:04:05Z' }, 'app/1': { status: 'waiting' } },
      relations: {
        db: { pg: { status: 'joined', since: '2025-01-02 15:05:00Z' }, 'pg/0': { status: 'active' } },
      },
    });
    expect(fake.commandLines()).toEqual([['goal-state', '--format=json']]);
  });

  it('reads null maps as empty', () => {
    fake.respondJson('goal-state', '{"units":null,"relations":null}');
    expect(fake.tools().goalState()).toEqual({ units: {}, relations: {} });
  });
});

describe('credential-get', () => {
  it('reads the cloud spec', () => {
    fake.respondJson(
      'credential-get',
      '{"type":"openstack","name":"mycloud","region":"r1","endpoint":"https://keystone:5000/v3","credential":{"auth-type":"userpass","attrs":{"password":"p","username":"u"}},"cacertificates":["-----BEGIN CERTIFICATE-----\\n..."],"is-controller-cloud":true}',
    );
    expect(fake.tools().credentialGet()).toEqual({
      type: 'openstack',
      name: 'mycloud',
      region: 'r1',
      endpoint: 'https://keystone:5000/v3',
      credential: { authType: 'userpass', attributes: { password: 'p', username: 'u' }, redacted: [] },
      caCertificates: ['-----BEGIN CERTIFICATE-----\n...'],
      skipTlsVerify: false,
      isControllerCloud: true,
    });
    expect(fake.commandLines()).toEqual([['credential-get', '--format=json']]);
  });
});

describe('juju-reboot / unit-get', () => {
  it('builds the command lines', () => {
    const tools = fake.tools();
    tools.jujuReboot();
    tools.jujuReboot({ now: true });
    fake.respondJson('unit-get', '"10.0.0.5"');
    expect(tools.unitGet('private-address')).toBe('10.0.0.5');
    expect(fake.commandLines()).toEqual([
      ['juju-reboot'],
      ['juju-reboot', '--now'],
      ['unit-get', '--format=json', '--', 'private-address'],
    ]);
  });

  it('rejects an unknown setting before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.unitGet('machine-id' as 'public-address'),
      /setting must be "private-address" or "public-address", got "machine-id"/,
    );
  });
});

describe('juju-log', () => {
  it('logs with the level and -- before the message', () => {
    const tools = fake.tools();
    tools.jujuLog('WARNING', '-starts with a dash\nand spans lines');
    expect(fake.commandLines()).toEqual([
      ['juju-log', '--log-level', 'WARNING', '--', '-starts with a dash\nand spans lines'],
    ]);
  });

  it('replaces NUL characters instead of failing', () => {
    fake.tools().jujuLog('INFO', 'a\0b');
    expect(fake.onlyCall().args.at(-1)).toBe('a\uFFFDb');
  });

  it('splits a message over the argument limit into chunks, after a notice line', () => {
    const message = `${'a'.repeat(MAX_ARGUMENT_BYTES - 1)}€${'b'.repeat(10)}`;
    const tools = fake.tools();
    tools.jujuLog('ERROR', message);
    const calls = fake.calls();
    expect(calls.map((call) => call.args.slice(0, 3))).toEqual([
      ['--log-level', 'ERROR', '--'],
      ['--log-level', 'ERROR', '--'],
      ['--log-level', 'ERROR', '--'],
    ]);
    expect(calls[0]?.args[3]).toBe(
      'Log message of 131083 bytes exceeds the 131071-byte argument limit; logging it in 2 parts',
    );
    // The 3-byte "€" would straddle the limit, so the first chunk ends just before it.
    expect(calls[1]?.args[3]).toBe('a'.repeat(MAX_ARGUMENT_BYTES - 1));
    expect(calls[2]?.args[3]).toBe(`€${'b'.repeat(10)}`);
    expect(tools.spawnCount).toBe(3);
  });

  it('rejects an unknown level before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.jujuLog('warn' as 'WARNING', 'x'),
      /level must be one of TRACE/,
    );
  });
});

describe('splitUtf8', () => {
  it('never splits a character and never exceeds the limit', () => {
    const text = 'aé€😀'.repeat(50);
    for (const max of [4, 5, 7, 10, 33]) {
      const chunks = splitUtf8(text, max);
      expect(chunks.join('')).toBe(text);
      for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(max);
    }
    expect(splitUtf8('short', 10)).toEqual(['short']);
  });
});
