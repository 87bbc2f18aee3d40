import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HookToolArgumentError,
  HookToolError,
  HookToolOutputError,
  NotLeaderError,
  PermissionDeniedError,
  RelationNotFoundError,
} from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('relationIds', () => {
  it('turns "ep:id" into numbers', () => {
    fake.respondJson('relation-ids', '["db:0","db:12"]');
    expect(fake.tools().relationIds('db')).toEqual([0, 12]);
    expect(fake.commandLines()).toEqual([['relation-ids', '--format=json', '--', 'db']]);
  });

  it('defaults to the hook relation, and reads [] and null as none', () => {
    const tools = fake.tools();
    fake.respondJson('relation-ids', '[]');
    expect(tools.relationIds()).toEqual([]);
    fake.respondJson('relation-ids', 'null');
    expect(tools.relationIds()).toEqual([]);
    expect(fake.commandLines()[0]).toEqual(['relation-ids', '--format=json']);
  });

  it('rejects an id of another shape', () => {
    fake.respondJson('relation-ids', '["db:x"]');
    expect(() => fake.tools().relationIds('db')).toThrow(HookToolOutputError);
  });

  it('rejects a bad endpoint before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.relationIds('-r'),
      /endpoint "-r" is not an endpoint name/,
    );
  });
});

describe('relationList / relationRemoteApp', () => {
  it('lists remote units for a relation given by number or "ep:id"', () => {
    const tools = fake.tools();
    fake.respondJson('relation-list', '["app/0","app/1"]');
    expect(tools.relationList({ relationId: 3 })).toEqual(['app/0', 'app/1']);
    fake.respondJson('relation-list', '[]');
    expect(tools.relationList({ relationId: 'db:3' })).toEqual([]);
    expect(tools.relationList()).toEqual([]);
    expect(fake.commandLines()).toEqual([
      ['relation-list', '--format=json', '-r', '3'],
      ['relation-list', '--format=json', '-r', 'db:3'],
      ['relation-list', '--format=json'],
    ]);
  });

  it('reads the remote app with --app', () => {
    const tools = fake.tools();
    fake.respondJson('relation-list', '"postgresql"');
    expect(tools.relationRemoteApp({ relationId: 4 })).toBe('postgresql');
    fake.respondJson('relation-list', '""');
    expect(tools.relationRemoteApp({ relationId: 4 })).toBeUndefined();
    expect(fake.commandLines()[0]).toEqual(['relation-list', '--format=json', '-r', '4', '--app']);
  });

  it('maps an unknown relation (exit 2) to RelationNotFoundError', () => {
    fake.fail('relation-list', 'invalid value "9" for flag -r: relation not found', 2);
    expect(() => fake.tools().relationList({ relationId: 9 })).toThrow(RelationNotFoundError);
  });

  it.each([-1, 1.5, Number.NaN, 'db', 'db:', '3 ', 'db:3:x', '-r'])(
    'rejects relation id %j before spawning',
    (id) => {
      expectRejectedBeforeSpawn(
        fake,
        fake.tools(),
        (tools) => tools.relationList({ relationId: id }),
        /relation id/,
      );
    },
  );
});

describe('relationGet / relationGetKey', () => {
  it('reads a whole unit databag with "-" and the unit name', () => {
    fake.respondJson('relation-get', '{"egress-subnets":"10.0.0.1/32","host":"10.0.0.1","port":"5432"}');
    expect(fake.tools().relationGet({ relationId: 3, unitOrApp: 'pg/0' })).toEqual({
      'egress-subnets': '10.0.0.1/32',
      host: '10.0.0.1',
      port: '5432',
    });
    expect(fake.commandLines()).toEqual([['relation-get', '--format=json', '-r', '3', '--', '-', 'pg/0']]);
  });

  it('reads an app databag with --app, and {} / null as empty', () => {
    const tools = fake.tools();
    fake.respondJson('relation-get', '{}');
    expect(tools.relationGet({ relationId: 'db:3', unitOrApp: 'pg', app: true })).toEqual({});
    fake.respondJson('relation-get', 'null');
    expect(tools.relationGet({ app: true })).toEqual({});
    expect(fake.commandLines()).toEqual([
      ['relation-get', '--format=json', '-r', 'db:3', '--app', '--', '-', 'pg'],
      ['relation-get', '--format=json', '--app', '--', '-'],
    ]);
  });

  it('reads one key, with null (absent) as undefined', () => {
    const tools = fake.tools();
    fake.respondJson('relation-get', '"line1\\nline2 "');
    expect(tools.relationGetKey('cert', { relationId: 2, unitOrApp: 'app/1' })).toBe('line1\nline2 ');
    fake.respondJson('relation-get', 'null');
    expect(tools.relationGetKey('missing')).toBeUndefined();
    expect(fake.commandLines()).toEqual([
      ['relation-get', '--format=json', '-r', '2', '--', 'cert', 'app/1'],
      ['relation-get', '--format=json', '--', 'missing'],
    ]);
  });

  it('rejects non-string values in the output', () => {
    fake.respondJson('relation-get', '{"port":5432}');
    expect(() => fake.tools().relationGet()).toThrow(HookToolOutputError);
  });

  it('maps Juju errors', () => {
    const tools = fake.tools();
    fake.fail('relation-get', 'permission denied', 1);
    expect(() => tools.relationGet({ app: true, unitOrApp: 'me' })).toThrow(PermissionDeniedError);
    fake.fail(
      'relation-get',
      'cannot read settings for unit "app/9" in relation "app:ep": unit "app/9": settings not found',
      1,
    );
    const read = () => tools.relationGet({ unitOrApp: 'app/9' });
    expect(read).toThrow(HookToolError);
    expect(read).toThrow(/settings not found/);
    fake.fail('relation-get', 'expected unit name, got application name "foo"', 2);
    expect(() => tools.relationGet({})).toThrow(HookToolArgumentError);
  });

  it.each([
    [{ unitOrApp: 'app' }, /unitOrApp "app" is not a unit name/],
    [{ unitOrApp: 'App/0', app: true }, /unitOrApp "App\/0" is not a unit or application name/],
    [{ unitOrApp: '-x', app: true }, /not a unit or application name/],
    [{ relationId: 'x' }, /relation id "x" is not a relation id/],
  ])('rejects %j before spawning', (options, message) => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.relationGet(options), message);
  });

  it('rejects an empty key or "-" before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.relationGetKey(''),
      /key must not be empty/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.relationGetKey('-'),
      /key "-" is reserved/,
    );
  });
});

describe('relationSet', () => {
  it('writes the databag as JSON on stdin through --file -', () => {
    const values = {
      cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      spaced: '  padded  ',
      dash: '--not-a-flag',
      eq: 'a=b',
      quote: 'say "hi" \\ ok',
      gone: null,
      empty: '',
    };
    fake.tools().relationSet(values, { relationId: 'db:3' });
    const call = fake.onlyCall();
    expect([call.tool, ...call.args]).toEqual(['relation-set', '-r', 'db:3', '--file', '-']);
    expect(JSON.parse(call.stdin)).toEqual({ ...values, gone: '' });
  });

  it('writes app data with --app', () => {
    fake.tools().relationSet({ a: '1' }, { relationId: 0, app: true });
    expect(fake.commandLines()).toEqual([['relation-set', '-r', '0', '--app', '--file', '-']]);
    expect(fake.onlyCall().stdin).toBe('{"a":"1"}');
  });

  it('escapes the characters YAML would fold or reject, keeping the JSON exact', () => {
    const value = 'nel\u0085 ls\u2028 ps\u2029 del\u007f c1\u009b ff\uffff emoji😀 nul\u0000';
    fake.tools().relationSet({ k: value });
    const stdin = fake.onlyCall().stdin;
    expect(stdin).toBe(
      '{"k":"nel\\u0085 ls\\u2028 ps\\u2029 del\\u007f c1\\u009b ff\\uffff emoji😀 nul\\u0000"}',
    );
    expect(JSON.parse(stdin)).toEqual({ k: value });
  });

  it('spawns nothing for no values, after still checking the relation id', () => {
    const tools = fake.tools();
    tools.relationSet({}, { relationId: 1 });
    expect(tools.spawnCount).toBe(0);
    expectRejectedBeforeSpawn(fake, tools, (t) => t.relationSet({}, { relationId: -1 }), /relation id/);
  });

  it('maps the non-leader app write to NotLeaderError', () => {
    fake.fail('relation-set', 'cannot write relation settings', 1);
    expect(() => fake.tools().relationSet({ a: 'b' }, { app: true })).toThrow(NotLeaderError);
  });

  it.each([
    [{ port: 5432 }, /the value of "port" must be a string \(or null to delete the key\), got a number/],
    [{ ok: true }, /got a boolean/],
    [{ nested: { a: 'b' } }, /got an object/],
    [{ '': 'x' }, /keys must not be empty/],
    [{ k: 'bad \ud800 half' }, /unpaired UTF-16 surrogate/],
  ])('rejects %j before spawning', (values, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.relationSet(values as unknown as Record<string, string>),
      message,
    );
  });
});

describe('relationModelGet', () => {
  it('reads the remote model uuid', () => {
    fake.respondJson('relation-model-get', '{"uuid":"a1b2c3d4-0000-4000-8000-000000000001"}');
    expect(fake.tools().relationModelGet({ relationId: 5 })).toEqual({
      uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
    expect(fake.commandLines()).toEqual([['relation-model-get', '--format=json', '-r', '5']]);
  });
});
