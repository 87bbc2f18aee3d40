import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  DEFAULT_HOOK_TOOL_TIMEOUT_MS,
  HOOK_TOOL_TIMEOUT_ENV,
  HookToolConfigError,
  HookToolOutputError,
  HookToolOutputLimitError,
  HookTools,
  HookToolTimeoutError,
  ToolRunner,
} from '../../src/hook-tools/index.js';
import { thrown } from '../helpers/thrown.js';
import { ScriptTools } from './script-tools.js';

// Issue 12 items 6 and 7: a hanging tool, a flood of output, and bytes that are not UTF-8.

const scripts = new ScriptTools();
afterAll(() => scripts.dispose());

// `exec`, so the sleeping process is the one spawned (and killed).
scripts.write('network-get', 'exec sleep 60');
scripts.write('goal-state', 'head -c 5000 /dev/zero | tr "\\0" x');
scripts.write('config-get', 'head -c 5000 /dev/zero >&2');
scripts.write('relation-get', `printf '{"a":"\\377\\376"}\\n'`);
scripts.write('resource-get', `printf '\\357\\273\\277/var/lib/r\\303\\251s\\n'`);

describe('hook-tool timeout', () => {
  it('kills a tool that runs past the timeout and throws HookToolTimeoutError naming it', () => {
    const runner = new ToolRunner({ env: scripts.env(), timeoutMs: 300 });
    const error = thrown(() => runner.run('network-get', ['--format=json', 'db']));
    expect(error).toBeInstanceOf(HookToolTimeoutError);
    expect(error).toMatchObject({
      code: 'CHARMKIT_HOOK_TOOL_TIMEOUT',
      tool: 'network-get',
      exitCode: null,
    });
    expect((error as Error).message).toMatch(/^network-get did not finish within 0\.3 s and was killed/);
    expect((error as Error).message).toMatch(/CHARMKIT_HOOK_TOOL_TIMEOUT/);
  }, 60_000);

  it('reads the timeout in seconds from CHARMKIT_HOOK_TOOL_TIMEOUT', () => {
    const tools = new HookTools({ env: scripts.env({ [HOOK_TOOL_TIMEOUT_ENV]: '0.25' }) });
    expect(tools.runner.timeoutMs).toBe(250);
    expect(thrown(() => tools.networkGet('db'))).toBeInstanceOf(HookToolTimeoutError);
  }, 60_000);

  it('defaults to 5 minutes; 0 means no limit; the option beats the variable', () => {
    expect(DEFAULT_HOOK_TOOL_TIMEOUT_MS).toBe(300_000);
    expect(new ToolRunner({ env: {} }).timeoutMs).toBe(300_000);
    expect(new ToolRunner({ env: { [HOOK_TOOL_TIMEOUT_ENV]: '0' } }).timeoutMs).toBe(0);
    expect(new ToolRunner({ env: { [HOOK_TOOL_TIMEOUT_ENV]: '600' } }).timeoutMs).toBe(600_000);
    expect(new ToolRunner({ env: { [HOOK_TOOL_TIMEOUT_ENV]: '600' }, timeoutMs: 5 }).timeoutMs).toBe(5);
  });

  it.each(['abc', '-1', '5m', 'Infinity'])(
    'refuses CHARMKIT_HOOK_TOOL_TIMEOUT=%j with HookToolConfigError, before spawning anything',
    (value) => {
      const runner = new ToolRunner({ env: scripts.env({ [HOOK_TOOL_TIMEOUT_ENV]: value }) });
      const error = thrown(() => runner.run('network-get', []));
      expect(error).toBeInstanceOf(HookToolConfigError);
      expect(error).toMatchObject({ code: 'CHARMKIT_HOOK_TOOL_CONFIG' });
      expect((error as Error).message).toMatch(/CHARMKIT_HOOK_TOOL_TIMEOUT must be a number of seconds/);
      expect(runner.spawnCount).toBe(0);
    },
  );
});

describe('hook-tool output limit', () => {
  it('says the output exceeded the limit, for stdout and for stderr', () => {
    const runner = new ToolRunner({ env: scripts.env(), maxOutputBytes: 1000 });
    const out = thrown(() => runner.run('goal-state', []));
    expect(out).toBeInstanceOf(HookToolOutputLimitError);
    expect(out).toMatchObject({ code: 'CHARMKIT_HOOK_TOOL_OUTPUT_LIMIT', tool: 'goal-state' });
    expect((out as Error).message).toMatch(/^goal-state printed more than 1000 bytes on stdout/);
    expect((out as Error).message).not.toMatch(/could not be started/);
    const err = thrown(() => runner.run('config-get', []));
    expect(err).toBeInstanceOf(HookToolOutputLimitError);
    expect((err as Error).message).toMatch(/^config-get printed more than 1000 bytes on stderr/);
  }, 60_000);

  it('lets output up to the limit through', () => {
    const runner = new ToolRunner({ env: scripts.env(), maxOutputBytes: 5000 });
    expect(runner.run('goal-state', [])).toBe('x'.repeat(5000));
  }, 60_000);
});

describe('non-UTF-8 tool output', () => {
  it('is refused with HookToolOutputError naming the tool, not turned into U+FFFD', () => {
    const tools = new HookTools({ env: scripts.env() });
    const error = thrown(() => tools.relationGet({ relationId: 1 }));
    expect(error).toBeInstanceOf(HookToolOutputError);
    expect(error).toMatchObject({ code: 'CHARMKIT_HOOK_TOOL_OUTPUT', tool: 'relation-get' });
    expect((error as Error).message).toMatch(/^relation-get printed 11 bytes that are not valid UTF-8/);
    expect((error as Error).message).not.toContain('\uFFFD');
  }, 60_000);

  it('decodes valid UTF-8 exactly, a leading byte-order mark included', () => {
    const runner = new ToolRunner({ env: scripts.env() });
    expect(runner.run('resource-get', ['r'])).toBe('\uFEFF/var/lib/rés');
    expect(() => runner.runJson('resource-get', [], z.string())).toThrow(HookToolOutputError);
  }, 60_000);
});
