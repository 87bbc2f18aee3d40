import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  HookToolArgumentError,
  type HookToolError,
  HookToolNotFoundError,
  HookToolOutputError,
  MAX_ARGUMENT_BYTES,
  NotLeaderError,
  ToolRunner,
} from '../../src/hook-tools/index.js';
import { thrown } from '../helpers/thrown.js';
import { FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('ToolRunner.run', () => {
  it('passes the arguments as they are (no shell), and returns stdout without one final newline', () => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.respond('action-log', { stdout: 'line 1\nline 2\n\n' });
    const args = ['--', '$HOME', '`id`', "it's", 'a b', '', '-x', '*', 'multi\nline'];
    expect(runner.run('action-log', args)).toBe('line 1\nline 2\n');
    expect(fake.onlyCall().args).toEqual(args);
  });

  it('counts every spawn and tells onSpawn the exact command line', () => {
    const seen: [string, readonly string[]][] = [];
    const runner = new ToolRunner({ env: fake.env(), onSpawn: (tool, args) => seen.push([tool, args]) });
    expect(runner.spawnCount).toBe(0);
    runner.run('is-leader', ['--format=json']);
    runner.run('juju-log', ['--', 'hi']);
    expect(runner.spawnCount).toBe(2);
    expect(seen).toEqual([
      ['is-leader', ['--format=json']],
      ['juju-log', ['--', 'hi']],
    ]);
  });

  it('writes input to stdin, and gives an empty stdin otherwise', () => {
    const runner = new ToolRunner({ env: fake.env() });
    runner.run('relation-set', ['--file', '-'], { input: '{"a":"1"}' });
    runner.run('relation-set', []);
    expect(fake.calls().map((call) => call.stdin)).toEqual(['{"a":"1"}', '']);
  });

  it('gives the tools exactly the environment and cwd it was built with', () => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'charmkit-cwd-')));
    try {
      new ToolRunner({ env: fake.env({ JUJU_CONTEXT_ID: 'unit-a-0-hook-42' }), cwd }).run('is-leader', []);
      const call = fake.onlyCall();
      expect(call.contextId).toBe('unit-a-0-hook-42');
      expect(call.cwd).toBe(cwd);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('uses the process environment by default', () => {
    const saved = { ...process.env };
    Object.assign(process.env, fake.env({ JUJU_CONTEXT_ID: 'from-process-env' }));
    try {
      new ToolRunner().run('is-leader', []);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(fake.onlyCall().contextId).toBe('from-process-env');
  });

  it('maps a non-zero exit to the classified error with exit code and stderr', () => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.fail('leader-set', 'cannot write leadership settings: cannot write settings: not the leader', 1);
    const error = thrown(() => runner.run('leader-set', ['--', 'a=b']));
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error).toMatchObject({
      tool: 'leader-set',
      exitCode: 1,
      stderr: 'ERROR cannot write leadership settings: cannot write settings: not the leader',
    });
    expect(error).toMatchObject({
      message:
        'leader-set failed with exit code 1: cannot write leadership settings: cannot write settings: not the leader',
    });
  });

  it('redacts key=value arguments in errors when asked, never in what it runs', () => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.fail('leader-set', 'boom', 1);
    const error = thrown(() =>
      runner.run('leader-set', ['--', 'password=hunter2', 'x='], { redactArgs: true }),
    );
    expect((error as HookToolError).args).toEqual(['--', 'password=<redacted>', 'x=<redacted>']);
    expect(fake.onlyCall().args).toEqual(['--', 'password=hunter2', 'x=']);
  });

  it('reports a tool missing from PATH as HookToolNotFoundError', () => {
    const runner = new ToolRunner({ env: { PATH: fake.root } });
    const error = thrown(() => runner.run('is-leader', ['--format=json']));
    expect(error).toBeInstanceOf(HookToolNotFoundError);
    expect(error).toMatchObject({ code: 'CHARMKIT_HOOK_TOOL_MISSING', tool: 'is-leader', exitCode: null });
    expect((error as Error).message).toMatch(/is-leader not found on PATH/);
    expect(runner.spawnCount).toBe(1);
  });

  it('rejects a NUL byte or an over-long argument before spawning', () => {
    const runner = new ToolRunner({ env: fake.env() });
    expect(thrown(() => runner.run('juju-log', ['--', 'a\0b']))).toBeInstanceOf(HookToolArgumentError);
    const long = 'é'.repeat(Math.ceil(MAX_ARGUMENT_BYTES / 2));
    const error = thrown(() => runner.run('juju-log', ['--', long]));
    expect(error).toBeInstanceOf(HookToolArgumentError);
    expect((error as Error).message).toMatch(/argument 2 is 131072 bytes/);
    expect(runner.spawnCount).toBe(0);
    expect(fake.calls()).toEqual([]);
  });

  it('accepts an argument of exactly the limit', () => {
    const runner = new ToolRunner({ env: fake.env() });
    runner.run('juju-log', ['--', 'x'.repeat(MAX_ARGUMENT_BYTES)]);
    expect(fake.onlyCall().args[1]).toHaveLength(MAX_ARGUMENT_BYTES);
  });
});

describe('ToolRunner.runJson', () => {
  it('puts --format=json first and parses and validates the output', () => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.respondJson('config-get', '{"name":"\\u003cb\\u003e \\u0026 ü","port":8080}');
    const value = runner.runJson('config-get', ['--', 'x'], z.object({ name: z.string(), port: z.number() }));
    expect(value).toEqual({ name: '<b> & ü', port: 8080 });
    expect(fake.onlyCall().args).toEqual(['--format=json', '--', 'x']);
  });

  it.each([
    ['', /config-get printed nothing where JSON was expected/],
    ['{"a":', /config-get printed 5 characters that are not JSON$/],
    ['{"a":1}', /config-get printed JSON of an unexpected shape: a: expected string/],
    ['[1]', /unexpected shape: the value: expected record/],
  ])('throws HookToolOutputError for output %j', (stdout, message) => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.respond('config-get', { stdout });
    const error = thrown(() => runner.runJson('config-get', [], z.record(z.string(), z.string())));
    expect(error).toBeInstanceOf(HookToolOutputError);
    expect(error).toMatchObject({ code: 'CHARMKIT_HOOK_TOOL_OUTPUT', tool: 'config-get', exitCode: 0 });
    expect((error as Error).message).toMatch(message);
  });

  it('keeps secret output out of the error message', () => {
    const runner = new ToolRunner({ env: fake.env() });
    fake.respond('secret-get', { stdout: '{"password": 42, "note":"s3cret"}\n' });
    const error = thrown(() =>
      runner.runJson('secret-get', [], z.record(z.string(), z.string()), { secretOutput: true }),
    );
    expect(error).toBeInstanceOf(HookToolOutputError);
    expect((error as Error).message).not.toMatch(/s3cret/);
  });
});
