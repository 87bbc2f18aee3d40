import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionNotRunningError, flattenActionResults } from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('action-get', () => {
  it('reads all parameters', () => {
    fake.respondJson('action-get', '{"count":3,"force":true,"target":{"host":"h","ports":[1,2]}}');
    expect(fake.tools().actionGet()).toEqual({ count: 3, force: true, target: { host: 'h', ports: [1, 2] } });
    expect(fake.commandLines()).toEqual([['action-get', '--format=json']]);
  });

  it('reads {} when there are none', () => {
    fake.respondJson('action-get', '{}');
    expect(fake.tools().actionGet()).toEqual({});
  });

  it('reads one dotted key, null as undefined', () => {
    const tools = fake.tools();
    fake.respondJson('action-get', '"h"');
    expect(tools.actionGetKey('target.host')).toBe('h');
    fake.respondJson('action-get', 'null');
    expect(tools.actionGetKey('nope')).toBeUndefined();
    expect(fake.commandLines()).toEqual([
      ['action-get', '--format=json', '--', 'target.host'],
      ['action-get', '--format=json', '--', 'nope'],
    ]);
  });

  it('maps "not running an action"', () => {
    fake.fail('action-get', 'not running an action', 1);
    expect(() => fake.tools().actionGet()).toThrow(ActionNotRunningError);
  });
});

describe('action-set', () => {
  it('flattens nested maps into dotted keys, values as text', () => {
    fake
      .tools()
      .actionSet({ outfile: { size: '10G', 'dir-name': '/tmp/x y' }, count: 2, ok: false, 'a.b': 'c=d' });
    expect(fake.commandLines()).toEqual([
      ['action-set', '--', 'outfile.size=10G', 'outfile.dir-name=/tmp/x y', 'count=2', 'ok=false', 'a.b=c=d'],
    ]);
  });

  it('spawns nothing for {}', () => {
    const tools = fake.tools();
    tools.actionSet({});
    expect(tools.spawnCount).toBe(0);
  });

  it('redacts values in errors', () => {
    fake.fail('action-set', 'not running an action', 1);
    let caught: unknown;
    try {
      fake.tools().actionSet({ password: 'hunter2' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ActionNotRunningError);
    expect((caught as ActionNotRunningError).args).toEqual(['--', 'password=<redacted>']);
  });

  it.each([
    [{ Foo: 'x' }, /"Foo" must start and end with a lowercase letter or digit/],
    [{ 'foo-': 'x' }, /"foo-" must start and end/],
    [{ foo_bar: 'x' }, /"foo_bar" must start and end/],
    [{ 'a..b': 'x' }, /result key "a\.\.b": "" must start and end/],
    [{ a: { B: 'x' } }, /result key "a\.B": "B"/],
    [{ stdout: 'x' }, /uses the reserved name "stdout"/],
    [{ 'stderr-encoding': 'x' }, /reserved name "stderr-encoding"/],
    [{ result: { stdout: 'x' } }, /result key "result\.stdout" uses the reserved name "stdout"/],
    [{ 'a.b': 'x', a: { b: 'y' } }, /result key "a\.b" is given twice/],
    [{ a: 'x', 'a.b': 'y' }, /result "a" is both a value and a map \("a\.b"\)/],
    [{ a: ['x'] }, /result "a" must be a string, finite number, boolean or object, got an array/],
    [{ a: null }, /got null/],
    [{ a: Number.POSITIVE_INFINITY }, /got Infinity/],
  ])('rejects %j before spawning', (results, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.actionSet(results as unknown as Record<string, string>),
      message,
    );
  });

  it('flattenActionResults keeps the order of the object', () => {
    expect(flattenActionResults({ z: '1', a: { y: { x: 2 } } })).toEqual([
      ['z', '1'],
      ['a.y.x', '2'],
    ]);
    expect(flattenActionResults({ '0ok': { '9': 'x' } })).toEqual([['0ok.9', 'x']]);
  });
});

describe('action-log / action-fail', () => {
  it('passes messages after --', () => {
    const tools = fake.tools();
    tools.actionLog('-50% done');
    tools.actionFail('--bad input');
    tools.actionFail();
    expect(fake.commandLines()).toEqual([
      ['action-log', '--', '-50% done'],
      ['action-fail', '--', '--bad input'],
      ['action-fail'],
    ]);
  });
});
