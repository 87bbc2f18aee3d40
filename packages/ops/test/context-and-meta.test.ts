import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharmMetaError, JujuContextError, loadCharmMeta, parseCharmMeta } from '../src/index.js';
import { eventKindFromDispatchPath, parseJujuContext } from '../src/internal/index.js';

describe('JujuContext', () => {
  it('parses a relation hook environment', () => {
    const ctx = parseJujuContext({
      JUJU_UNIT_NAME: 'redis/3',
      JUJU_DISPATCH_PATH: 'hooks/cluster-relation-departed',
      JUJU_RELATION: 'cluster',
      JUJU_RELATION_ID: 'cluster:7',
      JUJU_REMOTE_UNIT: 'redis/1',
      JUJU_REMOTE_APP: 'redis',
      JUJU_DEPARTING_UNIT: 'redis/1',
      JUJU_VERSION: '3.6.4',
      JUJU_API_ADDRESSES: '10.0.0.1:17070 10.0.0.2:17070',
      JUJU_DEBUG_AT: 'all, hook',
      JUJU_MACHINE_ID: '',
    });
    expect(ctx).toMatchObject({
      unitName: 'redis/3',
      appName: 'redis',
      relationName: 'cluster',
      relationId: 7,
      remoteUnit: 'redis/1',
      departingUnit: 'redis/1',
      version: '3.6.4',
      machineId: null,
      apiAddresses: ['10.0.0.1:17070', '10.0.0.2:17070'],
    });
    expect([...ctx.debugAt]).toEqual(['all', 'hook']);
  });

  it('parses storage, secret and action variables', () => {
    const ctx = parseJujuContext({
      JUJU_UNIT_NAME: 'a/0',
      JUJU_STORAGE_ID: 'data/2',
      JUJU_STORAGE_KIND: 'block',
      JUJU_SECRET_REVISION: '4',
      JUJU_ACTION_UUID: '12',
    });
    expect(ctx).toMatchObject({
      storageName: 'data',
      storageIndex: 2,
      storageKind: 'block',
      secretRevision: 4,
      actionUuid: '12',
    });
  });

  it('derives the remote app from the remote unit when Juju leaves it out', () => {
    expect(parseJujuContext({ JUJU_UNIT_NAME: 'a/0', JUJU_REMOTE_UNIT: 'pg/2' }).remoteApp).toBe('pg');
  });

  it.each([
    [{}, 'JUJU_UNIT_NAME is not set'],
    [{ JUJU_UNIT_NAME: 'nope' }, 'JUJU_UNIT_NAME="nope": expected <application>/<number>'],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_RELATION_ID: 'db:x' },
      'JUJU_RELATION_ID="db:x": expected a non-negative integer',
    ],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_STORAGE_ID: 'data' },
      'JUJU_STORAGE_ID="data": expected <storage name>/<number>',
    ],
    [{ JUJU_UNIT_NAME: 'a/0', JUJU_STORAGE_KIND: 'tape' }, 'expected filesystem or block'],
    // Beyond Number.MAX_SAFE_INTEGER a relation id would silently become another number (1e23).
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_RELATION_ID: 'db:100000000000000000000000' },
      'JUJU_RELATION_ID="db:100000000000000000000000": expected a non-negative integer up to 9007199254740991',
    ],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_RELATION_ID: '9007199254740992' },
      'JUJU_RELATION_ID="9007199254740992": expected a non-negative integer up to',
    ],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_SECRET_REVISION: '99999999999999999999' },
      'JUJU_SECRET_REVISION="99999999999999999999": expected a non-negative integer up to',
    ],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_STORAGE_ID: 'data/99999999999999999999' },
      'JUJU_STORAGE_ID="data/99999999999999999999": expected <storage name>/<number> with a number up to',
    ],
    [
      { JUJU_UNIT_NAME: 'a/99999999999999999999' },
      'JUJU_UNIT_NAME="a/99999999999999999999": expected <application>/<number> with a number up to',
    ],
    [
      { JUJU_UNIT_NAME: 'a/0', JUJU_REMOTE_UNIT: 'pg/99999999999999999999' },
      'JUJU_REMOTE_UNIT="pg/99999999999999999999": expected <application>/<number> with a number up to',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => parseJujuContext(env)).toThrow(JujuContextError);
    expect(() => parseJujuContext(env)).toThrow(message);
  });

  it('accepts the largest safe integer', () => {
    const ctx = parseJujuContext({ JUJU_UNIT_NAME: 'a/0', JUJU_RELATION_ID: 'db:9007199254740991' });
    expect(ctx.relationId).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('maps dispatch paths to event kinds', () => {
    expect(eventKindFromDispatchPath('hooks/db-admin-relation-changed')).toBe('db_admin_relation_changed');
    expect(eventKindFromDispatchPath('actions/back-up')).toBe('back_up_action');
    expect(eventKindFromDispatchPath('/var/lib/juju/charm/hooks/install')).toBe('install');
    expect(
      parseJujuContext({ JUJU_UNIT_NAME: 'a/0' }, { fallbackDispatchPath: 'hooks/start' }).dispatchPath,
    ).toBe('hooks/start');
  });
});

describe('CharmMeta', () => {
  it('reads relations, storage, containers, config and actions', () => {
    const meta = parseCharmMeta({
      metadata: {
        name: 'redis-k8s',
        peers: { 'redis-peers': { interface: 'redis-peers' } },
        provides: { redis: { interface: 'redis', limit: 1 } },
        containers: {
          redis: { resource: 'redis-image', mounts: [{ storage: 'database', location: '/var/lib/redis' }] },
        },
        storage: { database: { type: 'filesystem', multiple: { range: '1-3' } } },
      },
      config: {
        options: {
          port: { type: 'int', default: 6379, description: 'p' },
          'enable-tls': { type: 'boolean' },
        },
      },
      actions: { 'get-passwords': { description: 'x' }, restart: null },
    });
    expect(meta.peers.get('redis-peers')?.role).toBe('peers');
    expect(meta.relations.get('redis')).toMatchObject({ role: 'provides', limit: 1, scope: 'global' });
    expect(meta.containers.get('redis')?.mounts).toEqual([
      { storage: 'database', location: '/var/lib/redis' },
    ]);
    expect(meta.storages.get('database')?.multiple).toBe('1-3');
    expect(meta.config.get('port')).toEqual({ name: 'port', type: 'int', default: 6379, description: 'p' });
    expect(meta.config.get('enable-tls')?.default).toBeNull();
    expect([...meta.actions.keys()]).toEqual(['get-passwords', 'restart']);
  });

  it.each([
    [{ metadata: { summary: 'x' } }, 'metadata.yaml is invalid: name: required string is missing'],
    [
      { metadata: { name: 'a', requires: { db: { interface: 3 } } } },
      'requires.db.interface: expected string, got integer 3',
    ],
    [
      { metadata: { name: 'a', storage: { d: { type: 'tape' } } } },
      'storage.d.type: expected one of "filesystem", "block", got "tape"',
    ],
    [
      { metadata: { name: 'a' }, config: { options: { p: { type: 'int', default: 'x' } } } },
      'options.p.default is "x", which is not a valid int',
    ],
    [
      { metadata: { name: 'a', requires: { x: { interface: 'i' } }, provides: { x: { interface: 'i' } } } },
      'relation endpoint "x" is declared more than once',
    ],
  ])('names the bad field: %j', (sources, message) => {
    expect(() => parseCharmMeta(sources)).toThrow(CharmMetaError);
    expect(() => parseCharmMeta(sources)).toThrow(message);
  });

  it('loads metadata.yaml with config.yaml and actions.yaml, or a unified charmcraft.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charmkit-meta-'));
    try {
      writeFileSync(
        join(dir, 'charmcraft.yaml'),
        'name: unified\nconfig:\n  options:\n    port: {type: int, default: 1}\nactions:\n  go: {}\n',
      );
      expect(loadCharmMeta(dir)).toMatchObject({ name: 'unified' });
      expect(loadCharmMeta(dir).actions.has('go')).toBe(true);
      writeFileSync(join(dir, 'metadata.yaml'), 'name: split\n');
      writeFileSync(join(dir, 'config.yaml'), 'options:\n  port: {type: float, default: 1.5}\n');
      expect(loadCharmMeta(dir).name).toBe('split');
      expect(loadCharmMeta(dir).config.get('port')?.type).toBe('float');
      writeFileSync(join(dir, 'actions.yaml'), 'go: [\n');
      expect(() => loadCharmMeta(dir)).toThrow(/actions.yaml is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
