import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HookToolError, MAX_STATE_VALUE_BYTES } from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('state-get', () => {
  it('reads the store, and the null an empty store prints as {}', () => {
    const tools = fake.tools();
    fake.respondJson('state-get', '{"a":"1","b":""}');
    expect(tools.stateGet()).toEqual({ a: '1', b: '' });
    fake.respondJson('state-get', 'null');
    expect(tools.stateGet()).toEqual({});
    expect(fake.commandLines()).toEqual([
      ['state-get', '--format=json'],
      ['state-get', '--format=json'],
    ]);
  });

  it('reads one key with --strict, a missing key as undefined', () => {
    const tools = fake.tools();
    fake.respondJson('state-get', '""');
    expect(tools.stateGetKey('empty')).toBe('');
    fake.fail('state-get', '"missing" not found', 1);
    expect(tools.stateGetKey('missing')).toBeUndefined();
    expect(fake.commandLines()).toEqual([
      ['state-get', '--format=json', '--strict', '--', 'empty'],
      ['state-get', '--format=json', '--strict', '--', 'missing'],
    ]);
  });

  it('still throws other failures', () => {
    fake.fail('state-get', 'connection is shut down', 1);
    expect(() => fake.tools().stateGetKey('k')).toThrow(HookToolError);
  });
});

describe('state-set', () => {
  it('sends exact values as JSON on stdin through --file -', () => {
    const values = { blob: `  ${'x'.repeat(60_000)}\n`, flag: '-v', multi: 'a\nb' };
    fake.tools().stateSet(values);
    const call = fake.onlyCall();
    expect([call.tool, ...call.args]).toEqual(['state-set', '--file', '-']);
    expect(JSON.parse(call.stdin)).toEqual(values);
  });

  it('spawns nothing for {}', () => {
    const tools = fake.tools();
    tools.stateSet({});
    expect(tools.spawnCount).toBe(0);
  });

  it.each([
    [{ ['k'.repeat(257)]: 'v' }, /key of 257 bytes exceeds the limit of 256/],
    [{ k: 'é'.repeat(MAX_STATE_VALUE_BYTES / 2 + 1) }, /value of "k" is 65538 bytes; the limit is 65536/],
    [{ k: null }, /the value of "k" must be a string, got null/],
    [{ '': 'v' }, /keys must not be empty/],
  ])('rejects %# before spawning', (values, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.stateSet(values as unknown as Record<string, string>),
      message,
    );
  });
});

describe('state-delete', () => {
  it('passes the key after --', () => {
    fake.tools().stateDelete('-k');
    expect(fake.commandLines()).toEqual([['state-delete', '--', '-k']]);
  });

  it('rejects an empty key before spawning', () => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.stateDelete(''), /key must not be empty/);
  });
});
