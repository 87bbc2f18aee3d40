import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidPortError,
  Model,
  NotLeaderError,
  SecretNotFoundError,
  SecretValidationError,
  UnknownEndpointError,
} from '../../src/index.js';
import { HookToolsBackend } from '../../src/internal/index.js';
import { FakeHookTools } from '../hook-tools/fake-hook-tools.js';
import { modelMeta } from './model-fixture.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

const UUID = 'a1b2c3d4-0000-4000-8000-000000000001';
const XID = 'cqmhd5ppk1qs0nlfs0k0';
const URI = `secret://${UUID}/${XID}`;
const FILE = expect.stringMatching(/^--file=\/.*\/\.charmkit-tmp\/content-[\w-]+\.json$/);

function model(context: { actionName?: string } = {}): Model {
  return new Model(modelMeta, new HookToolsBackend(fake.tools()), {
    unitName: 'web/0',
    modelName: 'prod',
    modelUuid: UUID,
    ...context,
  });
}

function leader(is: boolean): void {
  fake.respondJson('is-leader', is ? 'true' : 'false');
}

describe('the model over real hook tools', () => {
  it('reads a secret by a short id, then buffers writes into one secret-set at flush', () => {
    leader(true);
    fake.respondJson('secret-get', '{"password":"old"}');
    const m = model();
    const secret = m.getSecret({ id: `secret:${XID}`, label: 'db' });
    secret.setContent({ password: 'new' });
    secret.setInfo({ rotate: 'monthly', expire: new Date('2031-02-03T04:05:06.789Z') });
    expect(fake.commandLines()).toEqual([
      ['secret-get', '--format=json', '--label=db', '--', URI],
      ['is-leader', '--format=json'],
    ]);
    m.flush();
    const calls = fake.calls();
    expect(calls.map((c) => [c.tool, ...c.args])).toEqual([
      ['secret-get', '--format=json', '--label=db', '--', URI],
      ['is-leader', '--format=json'],
      ['secret-set', '--expire=2031-02-03T04:05:06Z', '--rotate=monthly', FILE, '--', URI],
    ]);
    expect(JSON.parse(calls[2]?.file ?? '')).toEqual({ password: 'new' });
    expect(calls[2]?.fileMode).toBe('600');
  });

  it('adds a secret at once, with the content in a private file', () => {
    leader(true);
    fake.respond('secret-add', { stdout: `${URI}\n` });
    const m = model();
    const secret = m.app.addSecret({ 'api-key': 'k' }, { label: 'api', description: 'key' });
    expect(secret.id).toBe(URI);
    const calls = fake.calls();
    expect(calls.map((c) => [c.tool, ...c.args])).toEqual([
      ['is-leader', '--format=json'],
      ['secret-add', '--owner=application', '--label=api', '--description=key', FILE],
    ]);
    expect(JSON.parse(calls[1]?.file ?? '')).toEqual({ 'api-key': 'k' });
  });

  it('grants, revokes and removes with exact arguments', () => {
    leader(true);
    fake.respondJson('secret-get', '{"password":"x"}');
    fake.respondJson('relation-ids', '["db:7"]');
    fake.respondJson('relation-list', '["pg/0","pg/1"]');
    const m = model();
    const secret = m.getSecret({ id: URI });
    const relation = m.getRelation('db', 7);
    if (!relation) throw new Error('no relation');
    secret.grant(relation);
    secret.revoke(relation, { unit: m.getUnit('pg/1') });
    secret.removeRevision(3);
    fake.reset();
    m.flush();
    expect(fake.commandLines()).toEqual([
      ['secret-grant', '-r', '7', '--', URI],
      ['secret-revoke', '-r', '7', '--unit=pg/1', '--', URI],
      ['secret-remove', '--revision=3', '--', URI],
    ]);
  });

  it('a missing secret fails at getSecret()', () => {
    fake.fail('secret-get', `secret "${XID}" not found`, 1);
    expect(() => model().getSecret({ id: XID })).toThrow(SecretNotFoundError);
  });

  it('learns ownership from secret-info-get before letting a non-leader write', () => {
    leader(false);
    fake.respondJson('secret-get', '{"password":"x"}');
    fake.respondJson('secret-info-get', `{"${XID}":{"revision":2,"label":"db","owner":"application"}}`);
    const m = model();
    const secret = m.getSecret({ id: URI });
    expect(() => secret.setContent({ password: 'y' })).toThrow(NotLeaderError);
    m.flush();
    expect(fake.commandLines()).toEqual([
      ['secret-get', '--format=json', '--', URI],
      ['is-leader', '--format=json'],
      ['secret-info-get', '--format=json', '--', URI],
    ]);
  });

  it('refuses what Juju would refuse without spawning anything', () => {
    leader(false);
    const m = model({ actionName: 'backup' });
    expect(() => m.unit.addSecret({ pw: 'x' })).toThrow(SecretValidationError);
    expect(() => m.getSecret({ id: 'not-a-secret' })).toThrow(SecretValidationError);
    expect(() => m.unit.openPort('tcp', 0)).toThrow(InvalidPortError);
    expect(() => m.resources.fetch('nope')).toThrow(UnknownEndpointError);
    expect(() => m.requestStorage('nope')).toThrow(UnknownEndpointError);
    expect(() => m.unit.reboot()).toThrow(/not allowed in actions/);
    expect(() => m.actionParams('nope')).toThrow(UnknownEndpointError);
    m.flush();
    expect(fake.calls()).toEqual([]);
    // The leader check itself is the only process a non-leader's app secret costs.
    expect(() => m.app.addSecret({ password: 'x' })).toThrow(NotLeaderError);
    expect(fake.commandLines()).toEqual([['is-leader', '--format=json']]);
  });

  it('diffs ports against opened-ports and sends closes before opens', () => {
    fake.respondJson('opened-ports', '["22/tcp","8000-8010/udp","icmp"]');
    const m = model();
    expect(m.unit.openedPorts()).toEqual([
      { protocol: 'tcp', port: 22 },
      { protocol: 'udp', port: 8000, toPort: 8010 },
      { protocol: 'icmp' },
    ]);
    m.unit.setPorts(443, { protocol: 'udp', port: 8000, toPort: 8010 });
    m.flush();
    expect(fake.commandLines()).toEqual([
      ['opened-ports', '--format=json'],
      ['close-port', '--', '22/tcp'],
      ['close-port', '--', 'icmp'],
      ['open-port', '--', '443/tcp'],
    ]);
  });

  it('reads network, storage, resources, goal state, cloud spec and remote model with exact arguments', () => {
    fake.respondJson(
      'network-get',
      '{"bind-addresses":[{"mac-address":"m","interface-name":"eth0","addresses":[{"hostname":"","value":"10.1.1.1","cidr":"10.1.1.0/24"}]}],"egress-subnets":["10.1.1.1/32"],"ingress-addresses":["10.1.1.1"]}',
    );
    fake.respondJson('storage-list', '["data/0","data/2"]');
    fake.respondJson('storage-get', '{"kind":"filesystem","location":"/srv/data/2"}');
    fake.respond('resource-get', { stdout: '/res/bin/app.tar.gz\n' });
    fake.respondJson(
      'goal-state',
      '{"units":{"web/0":{"status":"active"},"web/1":{"status":"dying"}},"relations":{}}',
    );
    fake.respondJson('credential-get', '{"type":"lxd","name":"localhost"}');
    fake.respondJson('relation-model-get', `{"uuid":"${UUID}"}`);
    fake.respondJson('relation-ids', '["db:3"]');
    const m = model();
    const relation = m.getRelation('db', 3);
    if (!relation) throw new Error('no relation');
    expect(m.getBinding(relation).network.bindAddress).toBe('10.1.1.1');
    expect(m.storages('data')[1]?.location).toBe('/srv/data/2');
    expect(m.resources.fetch('bin')).toBe('/res/bin/app.tar.gz');
    expect(m.app.plannedUnits()).toBe(1);
    expect(m.cloudSpec().name).toBe('localhost');
    expect(relation.remoteModelUuid).toBe(UUID);
    m.requestStorage('cache', 2);
    m.unit.reboot();
    m.flush();
    expect(fake.commandLines()).toEqual([
      ['relation-ids', '--format=json', '--', 'db'],
      ['network-get', '--format=json', '-r', '3', '--', 'db'],
      ['storage-list', '--format=json', '--', 'data'],
      ['storage-get', '--format=json', '-s', 'data/2'],
      ['resource-get', '--', 'bin'],
      ['goal-state', '--format=json'],
      ['credential-get', '--format=json'],
      ['relation-model-get', '--format=json', '-r', '3'],
      ['storage-add', '--', 'cache=2'],
      ['juju-reboot'],
    ]);
  });

  it('falls back to the endpoint binding when network-get says the relation is gone', () => {
    fake.fail('network-get', 'relation not found', 2);
    fake.respondJson('relation-ids', '["db:9"]');
    const m = model();
    const relation = m.getRelation('db', 9);
    if (!relation) throw new Error('no relation');
    expect(() => m.getBinding(relation).network).toThrow();
    expect(fake.commandLines()).toEqual([
      ['relation-ids', '--format=json', '--', 'db'],
      ['network-get', '--format=json', '-r', '9', '--', 'db'],
      ['network-get', '--format=json', '--', 'db'],
    ]);
  });

  it('validates config and action params from the real tools', () => {
    fake.respondJson('config-get', `{"port":9000,"token":"secret:${XID}"}`);
    fake.respondJson('action-get', '{"target":"/b"}');
    const m = model();
    expect(m.config).toMatchObject({ port: 9000, debug: false, token: `secret:${XID}` });
    expect(m.actionParams('backup')).toEqual({ target: '/b', compress: true, level: 6 });
    expect(fake.commandLines()).toEqual([
      ['config-get', '--format=json'],
      ['action-get', '--format=json'],
    ]);
  });
});
