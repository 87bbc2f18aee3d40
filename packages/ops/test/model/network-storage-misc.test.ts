import { describe, expect, it } from 'vitest';
import { ModelError, type NetworkInfo, StorageInstance, UnknownEndpointError } from '../../src/index.js';
import { addRelation, makeModel } from './model-fixture.js';

const NETWORK: NetworkInfo = {
  bindAddresses: [
    {
      interfaceName: 'eth0',
      macAddress: '00:16:3e:aa:bb:cc',
      addresses: [
        { value: '10.0.0.5', cidr: '10.0.0.0/24', hostname: '' },
        { value: 'fe80::1', cidr: 'fe80::/64', hostname: '' },
      ],
    },
  ],
  egressSubnets: ['10.0.0.5/32'],
  ingressAddresses: ['10.0.0.5', '192.168.1.5'],
};

describe('network bindings', () => {
  it('reads network-get lazily, once per binding', () => {
    const { model, backend } = makeModel();
    backend.networks.set('db', NETWORK);
    const binding = model.getBinding('db');
    expect(model.getBinding('db')).toBe(binding);
    expect(backend.calls).toEqual([]);
    const network = binding.network;
    expect(network.bindAddress).toBe('10.0.0.5');
    expect(network.ingressAddress).toBe('10.0.0.5');
    expect(network.ingressAddresses).toEqual(['10.0.0.5', '192.168.1.5']);
    expect(network.egressSubnets).toEqual(['10.0.0.5/32']);
    expect(network.interfaces).toEqual([
      {
        name: 'eth0',
        macAddress: '00:16:3e:aa:bb:cc',
        address: '10.0.0.5',
        cidr: '10.0.0.0/24',
        hostname: '',
      },
      { name: 'eth0', macAddress: '00:16:3e:aa:bb:cc', address: 'fe80::1', cidr: 'fe80::/64', hostname: '' },
    ]);
    expect(binding.network).toBe(network);
    expect(backend.calls).toEqual(['network-get db']);
  });

  it('asks about a relation with -r, falling back to the endpoint for a relation Juju does not know', () => {
    const { model, backend } = makeModel();
    addRelation(backend, 'db', 4, 'pg', ['pg/0']);
    backend.networks.set('db', NETWORK);
    const relation = model.getRelation('db', 4);
    if (!relation) throw new Error('no relation');
    expect(model.getBinding(relation).network.bindAddress).toBe('10.0.0.5');
    backend.relations.delete(4);
    const gone = model.getRelation('db', 4);
    if (!gone) throw new Error('no relation');
    const fresh = makeModel({ backend });
    expect(fresh.model.getBinding(fresh.model.getRelation('db', 4) as never).network.bindAddress).toBe(
      '10.0.0.5',
    );
    expect(backend.calls.filter((c) => c.startsWith('network-get'))).toEqual([
      'network-get db -r 4',
      'network-get db -r 4',
      'network-get db',
    ]);
  });

  it('an empty network has null addresses', () => {
    const { model, backend } = makeModel();
    backend.networks.set('website', { bindAddresses: [], egressSubnets: [], ingressAddresses: [] });
    const network = model.getBinding('website').network;
    expect(network.bindAddress).toBeNull();
    expect(network.ingressAddress).toBeNull();
  });

  it('rejects what is not a binding name', () => {
    const { model } = makeModel();
    expect(() => model.getBinding('no spaces')).toThrow(ModelError);
    expect(() => model.getBinding(3 as never)).toThrow(/endpoint name or a Relation/);
  });
});

describe('storage', () => {
  it('lists instances once and reads each location lazily', () => {
    const { model, backend } = makeModel();
    backend.storage.set('data/0', '/srv/data/0').set('data/3', '/srv/data/3').set('cache/1', '/srv/cache');
    const data = model.storages('data');
    expect(data.map(String)).toEqual(['data/0', 'data/3']);
    expect(data.map((s) => s.index)).toEqual([0, 3]);
    expect(model.storages('data')).toBe(data);
    expect(backend.calls).toEqual(['storage-list data']);
    expect(data[1]?.location).toBe('/srv/data/3');
    expect(data[1]?.location).toBe('/srv/data/3');
    expect(backend.calls).toEqual(['storage-list data', 'storage-get -s data/3']);
  });

  it('keeps the (name, index, location) constructor for events', () => {
    const instance = new StorageInstance('data', 2, '/data');
    expect(instance.id).toBe('data/2');
    expect(instance.location).toBe('/data');
    expect(new StorageInstance('data', 2, null).location).toBeNull();
  });

  it('requests storage at commit, summed per name, with near-miss suggestions for unknown names', () => {
    const { model, backend } = makeModel();
    model.requestStorage('data');
    model.requestStorage('data', 2);
    model.requestStorage('cache', 1);
    expect(() => model.requestStorage('dta')).toThrow(
      /storage "dta" is not declared in the charm's metadata \(did you mean "data"\?\); declared: "data", "cache"/,
    );
    expect(() => model.storages('nope')).toThrow(UnknownEndpointError);
    expect(() => model.requestStorage('data', 0)).toThrow(/positive integer count/);
    expect(backend.calls).toEqual([]);
    const undo = model.checkpoint();
    model.requestStorage('cache', 5);
    undo();
    model.flush();
    expect(backend.calls).toEqual(['storage-add data=3 cache=1']);
  });
});

describe('resources', () => {
  it('fetches a declared resource once per hook', () => {
    const { model, backend } = makeModel();
    backend.resources.set('bin', '/var/lib/juju/resources/bin/app.tar.gz');
    expect(model.resources.fetch('bin')).toBe('/var/lib/juju/resources/bin/app.tar.gz');
    expect(model.resources.fetch('bin')).toBe('/var/lib/juju/resources/bin/app.tar.gz');
    expect(backend.calls).toEqual(['resource-get bin']);
  });

  it('rejects an undeclared resource before anything runs', () => {
    const { model, backend } = makeModel();
    expect(() => model.resources.fetch('bni')).toThrow(/resource "bni" is not declared .*did you mean "bin"/);
    expect(backend.calls).toEqual([]);
  });
});

describe('goal state, planned units, cloud spec, remote model, reboot', () => {
  it('counts planned units that are not dying, from one goal-state', () => {
    const { model, backend } = makeModel();
    backend.goal = {
      units: { 'web/0': { status: 'active' }, 'web/1': { status: 'waiting' }, 'web/2': { status: 'dying' } },
      relations: {},
    };
    expect(model.app.plannedUnits()).toBe(2);
    expect(model.goalState().units['web/2']).toEqual({ status: 'dying' });
    expect(backend.calls).toEqual(['goal-state']);
    expect(() => model.getApp('pg').plannedUnits()).toThrow(ModelError);
  });

  it('reads the cloud spec once', () => {
    const { model, backend } = makeModel();
    backend.cloud = {
      type: 'lxd',
      name: 'localhost',
      caCertificates: [],
      skipTlsVerify: false,
      isControllerCloud: true,
    };
    expect(model.cloudSpec().type).toBe('lxd');
    model.cloudSpec();
    expect(backend.calls).toEqual(['credential-get']);
  });

  it('reads the remote model uuid of a relation once', () => {
    const { model, backend } = makeModel();
    backend.relations.set(5, {
      endpoint: 'db',
      units: [],
      app: 'pg',
      model: 'ffffffff-0000-4000-8000-000000000002',
    });
    const relation = model.getRelation('db', 5);
    expect(relation?.remoteModelUuid).toBe('ffffffff-0000-4000-8000-000000000002');
    expect(relation?.remoteModelUuid).toBe('ffffffff-0000-4000-8000-000000000002');
    expect(backend.calls.filter((c) => c.startsWith('relation-model-get'))).toEqual(['relation-model-get 5']);
  });

  it('reboots after commit, or at once with now; never in an action', () => {
    const { model, backend } = makeModel();
    model.unit.reboot();
    expect(backend.calls).toEqual([]);
    model.flush();
    expect(backend.calls).toEqual(['juju-reboot']);
    model.unit.reboot({ now: true });
    expect(backend.calls).toEqual(['juju-reboot', 'juju-reboot --now']);

    const inAction = makeModel({ context: { actionName: 'backup' } });
    expect(() => inAction.model.unit.reboot()).toThrow(/not allowed in actions \(running backup\)/);
    expect(() => model.getUnit('web/1').reboot()).toThrow(ModelError);
    expect(inAction.backend.calls).toEqual([]);
  });

  it('a failed deferred handler does not leave a reboot behind', () => {
    const { model, backend } = makeModel();
    const undo = model.checkpoint();
    model.unit.reboot();
    undo();
    model.flush();
    expect(backend.calls).toEqual([]);
  });
});
