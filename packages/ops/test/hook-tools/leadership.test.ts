import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HookToolOutputError, NotLeaderError } from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('isLeader', () => {
  it.each([
    ['true', true],
    ['false', false],
  ])('runs is-leader --format=json and reads %s', (stdout, expected) => {
    const tools = fake.tools();
    fake.respondJson('is-leader', stdout);
    expect(tools.isLeader()).toBe(expected);
    expect(fake.commandLines()).toEqual([['is-leader', '--format=json']]);
    expect(tools.spawnCount).toBe(1);
  });

  it('rejects smart-format output', () => {
    fake.respond('is-leader', { stdout: 'True\n' });
    expect(() => fake.tools().isLeader()).toThrow(HookToolOutputError);
  });
});

describe('leaderGet / leaderGetKey', () => {
  it('reads all settings', () => {
    fake.respondJson('leader-get', '{"password":"s3cret","url":"http://x/?a=1\\u0026b=2"}');
    expect(fake.tools().leaderGet()).toEqual({ password: 's3cret', url: 'http://x/?a=1&b=2' });
    expect(fake.commandLines()).toEqual([['leader-get', '--format=json']]);
  });

  it('reads an empty store printed as {} or null', () => {
    fake.respondJson('leader-get', '{}');
    expect(fake.tools().leaderGet()).toEqual({});
    fake.respondJson('leader-get', 'null');
    expect(fake.tools().leaderGet()).toEqual({});
  });

  it('reads one key, and null as undefined', () => {
    const tools = fake.tools();
    fake.respondJson('leader-get', '"v"');
    expect(tools.leaderGetKey('-odd-key')).toBe('v');
    fake.respondJson('leader-get', 'null');
    expect(tools.leaderGetKey('missing')).toBeUndefined();
    expect(fake.commandLines()).toEqual([
      ['leader-get', '--format=json', '--', '-odd-key'],
      ['leader-get', '--format=json', '--', 'missing'],
    ]);
  });

  it.each([
    ['', /key must not be empty/],
    ['a=b', /key "a=b" must not contain "="/],
    ['-', /key "-" is reserved/],
  ])('rejects key %j before spawning', (key, message) => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.leaderGetKey(key), message);
  });
});

describe('leaderSet', () => {
  it('passes key=value arguments after --, with null and "" as deletions', () => {
    const tools = fake.tools();
    tools.leaderSet({ password: 'a b=c', gone: null, empty: '', '-dash': '-v' });
    expect(fake.commandLines()).toEqual([
      ['leader-set', '--', 'password=a b=c', 'gone=', 'empty=', '-dash=-v'],
    ]);
    expect(fake.onlyCall().stdin).toBe('');
  });

  it('spawns nothing for no values', () => {
    const tools = fake.tools();
    tools.leaderSet({});
    expect(tools.spawnCount).toBe(0);
  });

  it('maps the non-leader error to NotLeaderError with the values redacted', () => {
    fake.fail('leader-set', 'cannot write leadership settings: cannot write settings: not the leader', 1);
    let caught: unknown;
    try {
      fake.tools().leaderSet({ password: 'hunter2' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotLeaderError);
    expect(caught).toMatchObject({
      code: 'CHARMKIT_NOT_LEADER',
      args: ['--', 'password=<redacted>'],
      exitCode: 1,
    });
    expect(JSON.stringify(caught)).not.toMatch(/hunter2/);
  });

  it.each([
    [{ '': 'x' }, /keys must not be empty/],
    [{ 'a=b': 'x' }, /must not contain "="/],
    [{ ' a': 'x' }, /surrounding whitespace/],
    [{ a: 1 }, /value of "a" must be a string \(or null to delete the key\), got a number/],
    [{ a: undefined }, /got undefined/],
  ])('rejects %j before spawning', (values, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.leaderSet(values as unknown as Record<string, string>),
      message,
    );
  });
});
