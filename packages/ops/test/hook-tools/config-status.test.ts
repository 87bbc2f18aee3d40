import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HookToolArgumentError, HookToolOutputError, NotLeaderError } from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('config-get', () => {
  it('reads the whole config, with Go printing the float 2.0 as 2', () => {
    fake.respondJson(
      'config-get',
      '{"debug":false,"name":"web \\u003cprod\\u003e","ratio":2,"scale":0.5,"secret":"secret:cqmhd5ppk1qs0nlfs0k0"}',
    );
    expect(fake.tools().configGet()).toEqual({
      debug: false,
      name: 'web <prod>',
      ratio: 2,
      scale: 0.5,
      secret: 'secret:cqmhd5ppk1qs0nlfs0k0',
    });
    expect(fake.commandLines()).toEqual([['config-get', '--format=json']]);
  });

  it('reads --all, with null for unset options', () => {
    fake.respondJson('config-get', '{"name":"x","token":null}');
    expect(fake.tools().configGetAll()).toEqual({ name: 'x', token: null });
    expect(fake.commandLines()).toEqual([['config-get', '--format=json', '--all']]);
  });

  it('reads one key, an unknown key (null) as undefined', () => {
    const tools = fake.tools();
    fake.respondJson('config-get', '8080');
    expect(tools.configGetKey('port')).toBe(8080);
    fake.respondJson('config-get', 'null');
    expect(tools.configGetKey('nope')).toBeUndefined();
    expect(fake.commandLines()).toEqual([
      ['config-get', '--format=json', '--', 'port'],
      ['config-get', '--format=json', '--', 'nope'],
    ]);
  });

  it('rejects a nested value', () => {
    fake.respondJson('config-get', '{"a":{"b":1}}');
    expect(() => fake.tools().configGet()).toThrow(HookToolOutputError);
  });

  it('rejects an empty key before spawning', () => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.configGetKey(''), /key must not be empty/);
  });
});

describe('status-get', () => {
  it('reads the unit status with data', () => {
    fake.respondJson('status-get', '{"message":"ready","status":"active","status-data":{"k":1}}');
    expect(fake.tools().statusGet()).toEqual({ status: 'active', message: 'ready', data: { k: 1 } });
    expect(fake.commandLines()).toEqual([['status-get', '--format=json', '--include-data']]);
  });

  it('reads a bare status string (an agent that cannot report status prints "unknown")', () => {
    fake.respondJson('status-get', '"unknown"');
    expect(fake.tools().statusGet()).toEqual({ status: 'unknown', message: '', data: {} });
  });

  it('reads the application status with its units', () => {
    fake.respondJson(
      'status-get',
      '{"application-status":{"message":"2 units","status":"active","status-data":{},"units":{"app/0":{"message":"","status":"active","status-data":{}},"app/1":{"message":"installing charm software","status":"maintenance","status-data":{}}}}}',
    );
    expect(fake.tools().applicationStatusGet()).toEqual({
      status: 'active',
      message: '2 units',
      data: {},
      units: {
        'app/0': { status: 'active', message: '', data: {} },
        'app/1': { status: 'maintenance', message: 'installing charm software', data: {} },
      },
    });
    expect(fake.commandLines()).toEqual([['status-get', '--format=json', '--include-data', '--application']]);
  });

  it('maps the non-leader error', () => {
    fake.fail('status-get', 'finding application status: this unit is not the leader', 1);
    expect(() => fake.tools().applicationStatusGet()).toThrow(NotLeaderError);
  });
});

describe('status-set', () => {
  it('always passes the message after --, so "" clears it and dashes stay text', () => {
    const tools = fake.tools();
    tools.statusSet('active');
    tools.statusSet('blocked', '--need config');
    tools.statusSet('waiting', 'for 2 peers', { application: true });
    expect(fake.commandLines()).toEqual([
      ['status-set', '--', 'active', ''],
      ['status-set', '--', 'blocked', '--need config'],
      ['status-set', '--application', '--', 'waiting', 'for 2 peers'],
    ]);
  });

  it('maps the non-leader app status error', () => {
    fake.fail('status-set', 'this unit is not the leader', 1);
    expect(() => fake.tools().statusSet('active', '', { application: true })).toThrow(NotLeaderError);
  });

  it.each(['error', 'unknown', 'Active', ''])('rejects status %j before spawning', (status) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.statusSet(status as 'active'),
      /status must be one of maintenance, blocked, waiting, active/,
    );
  });

  it('rejects a non-string message before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.statusSet('active', 42 as unknown as string),
      /message must be a string, got number 42/,
    );
  });
});

describe('application-version-set', () => {
  it('passes the version after --', () => {
    const tools = fake.tools();
    tools.applicationVersionSet('-1.2.3');
    tools.applicationVersionSet('');
    expect(fake.commandLines()).toEqual([
      ['application-version-set', '--', '-1.2.3'],
      ['application-version-set', '--', ''],
    ]);
  });

  it('surfaces a usage error as HookToolArgumentError', () => {
    fake.fail('application-version-set', 'no version specified', 2);
    expect(() => fake.tools().applicationVersionSet('1')).toThrow(HookToolArgumentError);
  });
});
