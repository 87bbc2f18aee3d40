import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HookToolOutputError,
  NotLeaderError,
  PermissionDeniedError,
  SECRET_URI,
  SecretNotFoundError,
} from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

const XID = 'cqmhd5ppk1qs0nlfs0k0';
const MODEL = 'a1b2c3d4-0000-4000-8000-000000000001';
const URI = `secret://${MODEL}/${XID}`;

describe('secret URIs', () => {
  it.each([URI, `secret:${XID}`, XID, `secret:${MODEL}/${XID}`])('accepts %s', (uri) => {
    expect(SECRET_URI.test(uri)).toBe(true);
  });

  it.each([
    'secret:',
    `secret:${XID}x`,
    'secret:CQMHD5PPK1QS0NLFS0K0',
    'secret:cqmhd5ppk1qs0nlfs0kz',
    `secret://not-a-uuid/${XID}`,
    `http://${MODEL}/${XID}`,
    'db-password',
  ])('rejects %s', (uri) => {
    expect(SECRET_URI.test(uri)).toBe(false);
  });
});

describe('secret-add', () => {
  it('sends content through a private JSON file and returns the URI', () => {
    fake.respond('secret-add', { stdout: `${URI}\n` });
    const content = { password: ' s3cret=\n', 'api-key': '-abc', username: 'ü' };
    const uri = fake.tools().secretAdd(content, {
      owner: 'unit',
      label: '-db',
      description: 'database login',
      expire: new Date('2030-01-02T03:04:05.678Z'),
      rotate: 'monthly',
    });
    expect(uri).toBe(URI);
    const call = fake.onlyCall();
    const fileArg = call.args.at(-1) ?? '';
    expect(call.args).toEqual([
      '--owner=unit',
      '--label=-db',
      '--description=database login',
      '--expire=2030-01-02T03:04:05Z',
      '--rotate=monthly',
      fileArg,
    ]);
    expect(fileArg).toMatch(/^--file=\/.*\/\.charmkit-tmp\/content-[\w-]+\.json$/);
    expect(JSON.parse(call.file ?? '')).toEqual(content);
    expect(call.fileMode).toBe('600');
    // The values never touch the command line, and the file is gone once the tool returns.
    expect(call.args.join(' ')).not.toMatch(/s3cret/);
    expect(existsSync(dirname(fileArg.slice('--file='.length)))).toBe(false);
  });

  it('passes only the flags given, and a duration for expire as is', () => {
    fake.respond('secret-add', { stdout: `${URI}\n` });
    fake.tools().secretAdd({ token: 'x' }, { expire: '24h' });
    const args = fake.onlyCall().args;
    expect(args.slice(0, -1)).toEqual(['--expire=24h']);
  });

  it('removes the content file when the tool fails', () => {
    fake.fail('secret-add', 'this unit is not the leader', 1);
    expect(() => fake.tools().secretAdd({ token: 'x' })).toThrow(NotLeaderError);
    const fileArg = fake.onlyCall().args.at(-1) ?? '';
    expect(existsSync(dirname(fileArg.slice('--file='.length)))).toBe(false);
  });

  it('rejects an empty output', () => {
    fake.respond('secret-add', { stdout: '\n' });
    expect(() => fake.tools().secretAdd({ token: 'x' })).toThrow(HookToolOutputError);
  });

  it.each([
    [{}, /at least one key/],
    [{ ab: 'x' }, /secret content key "ab" is not valid/],
    [{ Pass: 'x' }, /"Pass" is not valid/],
    [{ 'a--b': 'x' }, /"a--b" is not valid/],
    [{ '1abc': 'x' }, /"1abc" is not valid/],
    [{ 'abc-': 'x' }, /"abc-" is not valid/],
    [{ abc: 1 }, /the value of "abc" must be a string, got a number/],
  ])('rejects content %j before spawning', (content, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretAdd(content as unknown as Record<string, string>),
      message,
    );
  });

  it.each([
    [{ owner: 'model' }, /owner must be "application" or "unit", got "model"/],
    [{ rotate: 'fortnightly' }, /rotate must be one of never, hourly/],
    [{ expire: new Date('nope') }, /expire is an invalid Date/],
    [{ expire: '-1h' }, /in the past/],
    [{ label: '' }, /label must not be empty/],
  ])('rejects options %j before spawning', (options, message) => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretAdd({ token: 'x' }, options as never),
      message,
    );
  });
});

describe('secret-get', () => {
  it('reads content by id, by label, or both, with peek or refresh', () => {
    const tools = fake.tools();
    fake.respondJson('secret-get', '{"password":"s3cret","username":"admin"}');
    expect(tools.secretGet({ id: URI })).toEqual({ password: 's3cret', username: 'admin' });
    tools.secretGet({ label: 'db', refresh: true });
    tools.secretGet({ id: XID, label: 'db', peek: true });
    expect(fake.commandLines()).toEqual([
      ['secret-get', '--format=json', '--', URI],
      ['secret-get', '--format=json', '--label=db', '--refresh'],
      ['secret-get', '--format=json', '--label=db', '--peek', '--', XID],
    ]);
  });

  it('maps not found and permission denied, without printing content in errors', () => {
    const tools = fake.tools();
    fake.fail('secret-get', `secret "${XID}" not found`, 1);
    expect(() => tools.secretGet({ id: XID })).toThrow(SecretNotFoundError);
    fake.fail('secret-get', 'permission denied', 1);
    expect(() => tools.secretGet({ id: XID })).toThrow(PermissionDeniedError);
    fake.respond('secret-get', { stdout: '{"password":["s3cret"]}\n' });
    let caught: unknown;
    try {
      tools.secretGet({ id: XID });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HookToolOutputError);
    expect((caught as Error).message).toMatch(/password: expected string/);
    expect((caught as Error).message).not.toMatch(/s3cret/);
  });

  it.each([
    [{}, /give the secret id, its label, or both/],
    [{ id: XID, peek: true, refresh: true }, /peek and refresh cannot be used together/],
    [{ id: 'password' }, /secret id "password" is not a secret URI/],
    [{ id: `--label=${XID}` }, /is not a secret URI/],
  ])('rejects %j before spawning', (options, message) => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.secretGet(options), message);
  });
});

describe('secret-info-get', () => {
  it('reads metadata by id', () => {
    fake.respondJson(
      'secret-info-get',
      `{"${XID}":{"revision":3,"label":"db","owner":"application","description":"login","rotation":"monthly","expiry":"2030-01-02T03:04:05Z","rotates":"2029-12-01T00:00:00.5Z","access":[{"target":"application-pg","scope":"relation-pg.db#app.db","role":"view"}]}}`,
    );
    expect(fake.tools().secretInfoGet({ id: URI })).toEqual({
      id: XID,
      revision: 3,
      label: 'db',
      owner: 'application',
      description: 'login',
      rotation: 'monthly',
      expiry: new Date('2030-01-02T03:04:05Z'),
      rotates: new Date('2029-12-01T00:00:00.500Z'),
      access: [{ target: 'application-pg', scope: 'relation-pg.db#app.db', role: 'view' }],
    });
    expect(fake.commandLines()).toEqual([['secret-info-get', '--format=json', '--', URI]]);
  });

  it('reads metadata by label, with omitted fields left out', () => {
    fake.respondJson('secret-info-get', `{"${XID}":{"revision":1,"label":"","owner":"unit"}}`);
    expect(fake.tools().secretInfoGet({ label: 'db' })).toEqual({
      id: XID,
      revision: 1,
      label: '',
      owner: 'unit',
      access: [],
    });
    expect(fake.commandLines()).toEqual([['secret-info-get', '--format=json', '--label=db']]);
  });

  it('rejects output without exactly one secret, or with a bad time', () => {
    const tools = fake.tools();
    fake.respondJson('secret-info-get', '{}');
    expect(() => tools.secretInfoGet({ id: XID })).toThrow(/printed 0 secrets where one was expected/);
    fake.respondJson('secret-info-get', `{"${XID}":{"revision":1,"expiry":"soon"}}`);
    expect(() => tools.secretInfoGet({ id: XID })).toThrow(HookToolOutputError);
  });

  it('maps not found', () => {
    fake.fail('secret-info-get', 'secret "db" not found', 1);
    expect(() => fake.tools().secretInfoGet({ label: 'db' })).toThrow(SecretNotFoundError);
  });

  it('rejects both or neither of id and label before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretInfoGet({ id: XID, label: 'x' } as never),
      /either the secret id or its label/,
    );
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.secretInfoGet({} as never), /either/);
  });
});

describe('secret-set', () => {
  it('sets content through a private file, and metadata through flags', () => {
    fake.tools().secretSet(URI, { content: { password: 'n3w' }, label: 'db', rotate: 'never' });
    const call = fake.onlyCall();
    expect(call.args.slice(0, 2)).toEqual(['--label=db', '--rotate=never']);
    expect(call.args[2]).toMatch(/^--file=\/.*\/\.charmkit-tmp\/content-[\w-]+\.json$/);
    expect(call.args.slice(3)).toEqual(['--', URI]);
    expect(JSON.parse(call.file ?? '')).toEqual({ password: 'n3w' });
    expect(call.fileMode).toBe('600');
  });

  it('sets metadata alone without a file', () => {
    fake.tools().secretSet(XID, { description: '' });
    expect(fake.commandLines()).toEqual([['secret-set', '--description=', '--', XID]]);
  });

  it.each([
    [{}, /nothing to set/],
    [{ content: {} }, /content needs at least one key/],
    [{ content: { no: 'x' } }, /"no" is not valid/],
  ])('rejects %j before spawning', (options, message) => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.secretSet(XID, options), message);
  });
});

describe('secret-grant / secret-revoke / secret-remove / secret-ids', () => {
  it('builds the command lines', () => {
    const tools = fake.tools();
    tools.secretGrant(URI, 'db:4');
    tools.secretGrant(XID, 4, { unit: 'pg/1' });
    tools.secretRevoke(XID, 4);
    tools.secretRemove(URI);
    tools.secretRemove(URI, { revision: 2 });
    expect(fake.commandLines()).toEqual([
      ['secret-grant', '-r', 'db:4', '--', URI],
      ['secret-grant', '-r', '4', '--unit=pg/1', '--', XID],
      ['secret-revoke', '-r', '4', '--', XID],
      ['secret-remove', '--', URI],
      ['secret-remove', '--revision=2', '--', URI],
    ]);
  });

  it('reads secret ids, and null (none) as []', () => {
    const tools = fake.tools();
    fake.respondJson('secret-ids', `["${XID}"]`);
    expect(tools.secretIds()).toEqual([XID]);
    fake.respondJson('secret-ids', 'null');
    expect(tools.secretIds()).toEqual([]);
    expect(fake.commandLines()[0]).toEqual(['secret-ids', '--format=json']);
  });

  it('rejects bad arguments before spawning', () => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.secretGrant(XID, 'x'), /relation id/);
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretGrant(XID, 1, { unit: 'pg' }),
      /unit "pg" is not a unit name/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretRevoke('nope', 1),
      /secret id "nope" is not a secret URI/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.secretRemove(XID, { revision: 0 }),
      /revision must be an integer from 1/,
    );
  });
});
