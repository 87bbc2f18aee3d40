import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  HookToolArgumentError,
  HookToolError,
  HookToolOutputError,
  HookTools,
} from '../../src/hook-tools/index.js';
import { RelationDataValidationError, SecretValidationError } from '../../src/index.js';
import { thrown } from '../helpers/thrown.js';
import { addRelation, makeModel } from '../model/model-fixture.js';
import { FakeHookTools } from './fake-hook-tools.js';

// Issue 12 item 5: no value from relation data, config or secrets in an error: not in its
// message, its stack, its fields, nor its cause. Errors name the tool and the key instead.

const SECRET = 's3cr3t-Pa55w0rd-XYZ';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());

/** Everything an error could show: message, stack, every field and the cause chain. */
function expectNoSecret(error: Error): void {
  expect(error.message).not.toContain(SECRET);
  expect(error.stack ?? '').not.toContain(SECRET);
  expect(inspect(error, { depth: 10 })).not.toContain(SECRET);
  expect(JSON.stringify({ ...error })).not.toContain(SECRET);
}

describe('hook-tool output that cannot be parsed', () => {
  it.each([
    ['relation-get', `{"password":"${SECRET}`, (t: HookTools) => t.relationGet({ relationId: 1 })],
    ['relation-get', `{"password":"${SECRET}","n":5}`, (t: HookTools) => t.relationGet({ relationId: 1 })],
    ['config-get', `${SECRET}`, (t: HookTools) => t.configGet()],
    ['config-get', `{"db-password":["${SECRET}"]}`, (t: HookTools) => t.configGet()],
    ['leader-get', `{"password":"${SECRET}"`, (t: HookTools) => t.leaderGet()],
    [
      'secret-get',
      `{"password":"${SECRET}"`,
      (t: HookTools) => t.secretGet({ id: 'secret:cn1qcvbmp25c77ma0oj0' }),
    ],
    ['state-get', `["${SECRET}"]`, (t: HookTools) => t.stateGet()],
  ])('%s printing %j: the error names the tool, never the output', (tool, stdout, call) => {
    fake.reset();
    fake.respondJson(tool, stdout);
    const error = thrown(() => call(fake.tools()));
    expect(error).toBeInstanceOf(HookToolOutputError);
    expect(error.message.startsWith(`${tool} printed`)).toBe(true);
    expectNoSecret(error);
  });

  it('names the key whose value has the wrong type', () => {
    fake.reset();
    fake.respondJson('relation-get', `{"password":"${SECRET}","port":5432}`);
    const error = thrown(() => fake.tools().relationGet({ relationId: 1 }));
    expect(error.message).toMatch(/relation-get printed JSON of an unexpected shape: port: expected string/);
    expectNoSecret(error);
  });
});

describe('hook tools that fail echoing a value', () => {
  it.each([
    ['leader-set', (t: HookTools) => t.leaderSet({ password: SECRET })],
    ['action-set', (t: HookTools) => t.actionSet({ password: SECRET })],
  ])('%s: the value is redacted in args, stderr and message; the key stays', (tool, call) => {
    fake.reset();
    fake.fail(tool, `cannot set "password=${SECRET}": value "${SECRET}" too long`, 1);
    const error = thrown(() => call(fake.tools()));
    expect(error).toBeInstanceOf(HookToolError);
    expect((error as HookToolError).args).toContain('password=<redacted>');
    expect((error as HookToolError).stderr).toContain('password=<redacted>');
    expect(error.message).toMatch(
      new RegExp(`^${tool} failed with exit code 1: cannot set "password=<redacted>"`),
    );
    expectNoSecret(error);
  });

  it('redacts the value as Go quotes it too', () => {
    fake.reset();
    const value = `${SECRET}\nline2`;
    fake.fail('leader-set', `bad value ${JSON.stringify(value)}`, 1);
    const error = thrown(() => fake.tools().leaderSet({ password: value }));
    expect(error.message).toBe('leader-set failed with exit code 1: bad value "<redacted>"');
    expectNoSecret(error);
  });

  it('keeps the values out of a spawn failure', () => {
    const tools = new HookTools({ env: { PATH: '/nonexistent' } });
    const error = thrown(() => tools.leaderSet({ password: SECRET }));
    expect(error).toBeInstanceOf(HookToolError);
    expectNoSecret(error);
  });
});

describe('values refused before spawning', () => {
  it.each([
    ['relation-set', (t: HookTools) => t.relationSet({ password: 123456789 as never })],
    ['leader-set', (t: HookTools) => t.leaderSet({ password: 123456789 as never })],
    ['secret-add', (t: HookTools) => t.secretAdd({ password: 123456789 as never })],
    ['state-set', (t: HookTools) => t.stateSet({ password: 123456789 as never })],
    ['action-set', (t: HookTools) => t.actionSet(SECRET as never)],
  ])('%s names the key and the type, not the value', (tool, call) => {
    fake.reset();
    const error = thrown(() => call(fake.tools()));
    expect(error).toBeInstanceOf(HookToolArgumentError);
    expect(error.message.startsWith(`${tool}: `)).toBe(true);
    expect(error.message).not.toContain('123456789');
    expectNoSecret(error);
  });
});

describe('model-level validation', () => {
  it('relation.load names the field, not the value', () => {
    const { model, backend } = makeModel();
    addRelation(backend, 'db', 1, 'pg', ['pg/0']);
    backend.bags.set('1:pg', { password: JSON.stringify(SECRET), mode: JSON.stringify(`${SECRET}-mode`) });
    const relation = model.getRelation('db', 1);
    if (!relation) throw new Error('no relation');
    const schema = z.object({ password: z.number(), mode: z.enum(['ro', 'rw']) });
    const error = thrown(() => relation.load(schema, model.getApp('pg')));
    expect(error).toBeInstanceOf(RelationDataValidationError);
    expect(error.message).toMatch(/password: expected number, got string/);
    expect(error.message).toMatch(/mode: expected one of "ro", "rw"(;|$)/);
    expectNoSecret(error);
  });

  it('relation.save with a schema names the field, not the value', () => {
    const { model, backend } = makeModel({ leader: true });
    addRelation(backend, 'db', 1, 'pg', ['pg/0']);
    const relation = model.getRelation('db', 1);
    if (!relation) throw new Error('no relation');
    const schema = z.object({ password: z.string().email() });
    const error = thrown(() => relation.save({ password: SECRET }, model.app, schema));
    expect(error).toBeInstanceOf(RelationDataValidationError);
    expectNoSecret(error);
  });

  it('secret content of the wrong type names the key and the type', () => {
    const { model } = makeModel({ leader: true });
    for (const content of [SECRET, { password: 123456789 }]) {
      const error = thrown(() => model.app.addSecret(content as never));
      expect(error).toBeInstanceOf(SecretValidationError);
      expect(error.message).not.toContain('123456789');
      expectNoSecret(error);
    }
  });
});
