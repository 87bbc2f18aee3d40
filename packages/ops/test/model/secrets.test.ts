import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ModelError,
  NotLeaderError,
  Secret,
  SecretNotFoundError,
  SecretValidationError,
} from '../../src/index.js';
import { addRelation, makeModel } from './model-fixture.js';

const UUID = 'a1b2c3d4-0000-4000-8000-000000000001';

afterEach(() => {
  vi.useRealTimers();
});

describe('model.getSecret', () => {
  it('reads the content at once and canonicalises the id', () => {
    const { model, backend } = makeModel();
    const uri = backend.seedSecret({ password: 'hunter2' });
    const xid = uri.slice(-20);
    for (const spelling of [uri, `secret:${xid}`, xid, `secret:${UUID}/${xid}`]) {
      backend.calls.length = 0;
      const secret = model.getSecret({ id: spelling });
      expect(secret.id).toBe(uri);
      expect(secret.uniqueIdentifier).toBe(xid);
      expect(backend.calls).toEqual([`secret-get ${uri}`]);
      expect(secret.getContent()).toEqual({ password: 'hunter2' });
      expect(backend.calls).toHaveLength(1);
    }
  });

  it('keeps secret:<xid> when the model uuid is unknown', () => {
    const { model, backend } = makeModel({ context: { modelUuid: '' } });
    const xid = backend.seedSecret({ password: 'x' }).slice(-20);
    expect(model.getSecret({ id: xid }).id).toBe(`secret:${xid}`);
  });

  it('fails early for a missing secret, and rejects a bad id without running anything', () => {
    const { model, backend } = makeModel();
    expect(() => model.getSecret({ id: 'cq000000000000000099' })).toThrow(SecretNotFoundError);
    backend.calls.length = 0;
    expect(() => model.getSecret({ id: 'db-password' })).toThrow(SecretValidationError);
    expect(() => model.getSecret({} as never)).toThrow(/id, a label, or both/);
    expect(() => model.getSecret({ label: '' })).toThrow(SecretValidationError);
    expect(backend.calls).toEqual([]);
  });

  it('looks up by label, and assigns a label when given both', () => {
    const { model, backend } = makeModel();
    const uri = backend.seedSecret({ token: 'abc' }, { label: 'api', owner: 'unit' });
    const byLabel = model.getSecret({ label: 'api' });
    expect(byLabel.id).toBeNull();
    expect(byLabel.getContent()).toEqual({ token: 'abc' });
    expect(byLabel.getInfo().id).toBe(uri);
    expect(byLabel.id).toBe(uri);
    model.getSecret({ id: uri, label: 'renamed' });
    expect(backend.calls.slice(-1)).toEqual([`secret-get ${uri} --label renamed`]);
    expect(backend.secrets.get(uri.slice(-20))?.label).toBe('renamed');
  });
});

describe('reading content', () => {
  it('caches content; refresh and peek read again', () => {
    const { model, backend } = makeModel();
    const uri = backend.seedSecret({ password: 'one' });
    const secret = model.getSecret({ id: uri });
    backend.secrets.get(uri.slice(-20))?.revisions.push({ password: 'two' });
    expect(secret.getContent()).toEqual({ password: 'one' });
    expect(secret.peekContent()).toEqual({ password: 'two' });
    expect(secret.getContent()).toEqual({ password: 'one' });
    expect(secret.getContent({ refresh: true })).toEqual({ password: 'two' });
    expect(secret.getContent()).toEqual({ password: 'two' });
    expect(backend.calls).toEqual([
      `secret-get ${uri}`,
      `secret-get ${uri} --peek`,
      `secret-get ${uri} --refresh`,
    ]);
  });

  it('returns copies, so callers cannot change the cache', () => {
    const { model, backend } = makeModel();
    const secret = model.getSecret({ id: backend.seedSecret({ password: 'one' }) });
    secret.getContent().password = 'changed';
    expect(secret.getContent()).toEqual({ password: 'one' });
  });

  it('reports info with pending metadata applied', () => {
    const { model, backend } = makeModel({ leader: true });
    const uri = backend.seedSecret({ password: 'x' }, { label: 'db' });
    const secret = model.getSecret({ id: uri });
    expect(secret.getInfo()).toEqual({
      id: uri,
      label: 'db',
      revision: 1,
      expires: null,
      rotation: null,
      rotates: null,
      description: null,
      owner: 'application',
    });
    secret.setInfo({ description: 'login', rotate: 'daily', expire: new Date('2031-01-01T00:00:00Z') });
    expect(secret.getInfo()).toMatchObject({
      description: 'login',
      rotation: 'daily',
      expires: new Date('2031-01-01T00:00:00Z'),
    });
  });
});

describe('adding secrets', () => {
  it('unit.addSecret runs secret-add at once and returns a bound secret with its content', () => {
    const { model, backend } = makeModel();
    const secret = model.unit.addSecret({ password: 's3cret' }, { label: 'mine', rotate: 'weekly' });
    expect(backend.calls).toEqual([
      'secret-add --owner unit --label mine --rotate weekly {"password":"s3cret"}',
    ]);
    expect(secret.id).toMatch(new RegExp(`^secret://${UUID}/[0-9a-v]{20}$`));
    expect(secret.label).toBe('mine');
    expect(secret.getContent()).toEqual({ password: 's3cret' });
    expect(backend.calls).toHaveLength(1);
  });

  it('app.addSecret needs the leader, checked before secret-add runs', () => {
    const { model, backend } = makeModel({ leader: false });
    const error = (() => {
      try {
        model.app.addSecret({ password: 'x' });
      } catch (e) {
        return e;
      }
    })() as NotLeaderError;
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error.code).toBe('CHARMKIT_NOT_LEADER');
    expect(error.exitCode).toBeNull();
    expect(error.message).toMatch(/web\/0 is not the leader/);
    expect(backend.calls).toEqual(['is-leader']);

    const leader = makeModel({ leader: true });
    leader.model.app.addSecret({ password: 'x' }, { description: 'pw' });
    expect(leader.backend.calls).toEqual([
      'is-leader',
      'secret-add --owner application --description pw {"password":"x"}',
    ]);
  });

  it('cannot add a secret for another unit or application', () => {
    const { model, backend } = makeModel({ leader: true });
    expect(() => model.getUnit('web/1').addSecret({ password: 'x' })).toThrow(ModelError);
    expect(() => model.getApp('pg').addSecret({ password: 'x' })).toThrow(ModelError);
    expect(backend.calls).toEqual([]);
  });

  it.each([
    [{}, /at least one key/],
    [{ ab: 'x' }, /key "ab" is not valid/],
    [{ Password: 'x' }, /key "Password" is not valid/],
    [{ 'api--key': 'x' }, /key "api--key" is not valid/],
    [{ password: 3 }, /value of "password" must be a string, got a number/],
    [['x'], /must be an object/],
  ])('rejects content %j before anything runs', (content, message) => {
    const { model, backend } = makeModel({ leader: true });
    expect(() => model.app.addSecret(content as never)).toThrow(message);
    expect(() => model.unit.addSecret(content as never)).toThrow(SecretValidationError);
    expect(backend.calls).toEqual([]);
  });

  it('converts expiry to an absolute RFC 3339 time', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-05-01T10:00:00.250Z'));
    const { model, backend } = makeModel();
    model.unit.addSecret({ password: 'x' }, { expire: new Date('2030-06-01T00:00:00.999Z') });
    model.unit.addSecret({ password: 'x' }, { expire: 24 * 3600 * 1000 });
    expect(backend.calls).toEqual([
      'secret-add --owner unit --expire 2030-06-01T00:00:00Z {"password":"x"}',
      'secret-add --owner unit --expire 2030-05-02T10:00:00Z {"password":"x"}',
    ]);
  });

  it.each([
    [{ expire: -5 }, /positive number of milliseconds/],
    [{ expire: new Date('nope') }, /invalid Date/],
    [{ expire: '24h' }, /Date or a duration/],
    [{ rotate: 'fortnightly' }, /rotation must be one of never, hourly/],
    [{ label: '' }, /label must be a non-empty string/],
    [{ description: 5 }, /description must be a string/],
  ])('rejects metadata %j before anything runs', (metadata, message) => {
    const { model, backend } = makeModel();
    expect(() => model.unit.addSecret({ password: 'x' }, metadata as never)).toThrow(message);
    expect(backend.calls).toEqual([]);
  });
});

describe('buffered secret writes', () => {
  it('folds content and metadata into one secret-set at flush; the owner reads its own write', () => {
    const { model, backend } = makeModel({ leader: true });
    const uri = backend.seedSecret({ password: 'old' });
    const secret = model.getSecret({ id: uri });
    backend.calls.length = 0;
    secret.setContent({ password: 'new' });
    secret.setContent({ password: 'newer' });
    secret.setInfo({ label: 'db', description: 'login' });
    expect(secret.label).toBe('db');
    expect(secret.getContent()).toEqual({ password: 'newer' });
    expect(secret.peekContent()).toEqual({ password: 'newer' });
    expect(backend.calls).toEqual(['is-leader']);
    model.flush();
    expect(backend.calls).toEqual([
      'is-leader',
      `secret-set ${uri} --label db --description login {"password":"newer"}`,
    ]);
    model.flush();
    expect(backend.calls).toHaveLength(2);
    expect(backend.secrets.get(uri.slice(-20))?.revisions).toEqual([
      { password: 'old' },
      { password: 'newer' },
    ]);
  });

  it('a non-leader cannot change an application-owned secret; the check runs before buffering', () => {
    const { model, backend } = makeModel({ leader: false });
    const uri = backend.seedSecret({ password: 'x' }, { owner: 'application' });
    const secret = model.getSecret({ id: uri });
    expect(() => secret.setContent({ password: 'y' })).toThrow(NotLeaderError);
    expect(() => secret.removeAllRevisions()).toThrow(
      /only the leader can change the application-owned secret/,
    );
    model.flush();
    expect(backend.calls).toEqual([`secret-get ${uri}`, 'is-leader', `secret-info-get ${uri}`]);
  });

  it('a non-leader may change its unit-owned secret', () => {
    const { model, backend } = makeModel({ leader: false });
    const secret = model.unit.addSecret({ password: 'x' });
    secret.setContent({ password: 'y' });
    model.flush();
    // Ownership is known from secret-add: no secret-info-get needed.
    expect(backend.calls).toEqual([
      'secret-add --owner unit {"password":"x"}',
      'is-leader',
      `secret-set ${secret.id} {"password":"y"}`,
    ]);
  });

  it('validates content and metadata before anything is buffered', () => {
    const { model, backend } = makeModel({ leader: true });
    const secret = model.getSecret({ id: backend.seedSecret({ password: 'x' }) });
    backend.calls.length = 0;
    expect(() => secret.setContent({ pw: 'x' })).toThrow(SecretValidationError);
    expect(() => secret.setInfo({})).toThrow(/nothing to set/);
    expect(() => secret.removeRevision(0)).toThrow(/positive integer/);
    model.flush();
    expect(backend.calls).toEqual([]);
  });

  it('grants and revokes per relation and unit, after the set, in call order', () => {
    const { model, backend } = makeModel({ leader: true });
    addRelation(backend, 'db', 3, 'pg', ['pg/0', 'pg/1']);
    const relation = model.getRelation('db', 3);
    if (!relation) throw new Error('no relation');
    const secret = model.app.addSecret({ password: 'x' });
    backend.calls.length = 0;
    secret.grant(relation);
    secret.grant(relation, { unit: model.getUnit('pg/1') });
    secret.revoke(relation, { unit: model.getUnit('pg/1') });
    secret.setInfo({ description: 'pw' });
    expect(() => secret.grant(relation, { unit: model.getUnit('other/0') })).toThrow(
      /other\/0: it is not a unit of the application related by db:3 \(pg\)/,
    );
    model.flush();
    expect(backend.calls.filter((c) => c.startsWith('secret-'))).toEqual([
      `secret-set ${secret.id} --description pw`,
      `secret-grant ${secret.id} -r 3`,
      `secret-grant ${secret.id} -r 3 --unit pg/1`,
      `secret-revoke ${secret.id} -r 3 --unit pg/1`,
    ]);
  });

  it('removes revisions, or the whole secret (after which it cannot be changed)', () => {
    const { model, backend } = makeModel({ leader: true });
    const a = model.app.addSecret({ password: 'x' });
    const b = model.app.addSecret({ password: 'y' });
    backend.calls.length = 0;
    a.removeRevision(1);
    a.removeRevision(2);
    a.removeRevision(1);
    b.setContent({ password: 'z' });
    b.removeAllRevisions();
    expect(() => b.setContent({ password: 'w' })).toThrow(/already being removed/);
    model.flush();
    expect(backend.calls).toEqual([
      `secret-remove ${a.id} --revision 1`,
      `secret-remove ${a.id} --revision 2`,
      `secret-remove ${b.id}`,
    ]);
  });

  it('checkpoint() puts back the buffered writes', () => {
    const { model, backend } = makeModel({ leader: true });
    const secret = model.app.addSecret({ password: 'x' });
    secret.setInfo({ description: 'kept' });
    const undo = model.checkpoint();
    secret.setContent({ password: 'dropped' });
    secret.removeRevision(1);
    undo();
    expect(secret.getContent()).toEqual({ password: 'x' });
    backend.calls.length = 0;
    model.flush();
    expect(backend.calls).toEqual([`secret-set ${secret.id} --description kept`]);
  });
});

describe('Secret objects', () => {
  it('an unbound secret says how to get a bound one', () => {
    const secret = new Secret('secret:cq000000000000000001', null);
    expect(secret.isBound).toBe(false);
    expect(() => secret.getContent()).toThrow(/not bound to a model/);
    const { model, backend } = makeModel();
    const uri = backend.seedSecret({ password: 'x' });
    const bound = new Secret(uri.slice(-20), 'lbl').bind(model);
    expect(bound.id).toBe(uri);
    expect(bound.bind(model)).toBe(bound);
    expect(bound.getContent()).toEqual({ password: 'x' });
    expect(String(new Secret(null, 'lbl'))).toBe('label:lbl');
  });
});
