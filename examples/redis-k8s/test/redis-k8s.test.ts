import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, Context, PeerRelation, Relation, State } from '@charmkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { LEADER_HOST_KEY, REDIS_PASSWORD_KEY, SENTINEL_PASSWORD_KEY } from '../src/literals.js';
import { RedisK8sCharm } from '../src/redis-k8s-charm.js';
import { FakeSentinels } from './helpers.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = (n: number) => `redis-k8s-${n}.redis-k8s-endpoints.test-model.svc.cluster.local`;

let sentinels: FakeSentinels;

/** Both workload containers, Pebble up and nothing planned yet (served in memory by the Context). */
const containers = () => [new Container('redis'), new Container('sentinel')];

beforeEach(() => {
  sentinels = new FakeSentinels();
  RedisK8sCharm.sentinelAt = sentinels.at;
});

describe('redis-k8s leader-elected (seed 004)', () => {
  it('first deploy: the leader stores both passwords and itself as leader-host, then configures Pebble', async () => {
    const ctx = new Context(RedisK8sCharm, { charmDir });
    const peers = new PeerRelation('redis-peers', { peersData: { 1: {}, 2: {} } });
    const out = await ctx.run(
      ctx.on.leaderElected(),
      new State({ leader: true, relations: [peers], containers: containers() }),
    );
    const bag = out.getRelation(peers.id).localAppData;
    expect(bag[REDIS_PASSWORD_KEY]).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(bag[SENTINEL_PASSWORD_KEY]).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(bag[REDIS_PASSWORD_KEY]).not.toBe(bag[SENTINEL_PASSWORD_KEY]);
    expect(bag[LEADER_HOST_KEY]).toBe(host(0));
    expect(out.deferred).toEqual([]);
    expect(sentinels.calls).toEqual([]); // no failover check at first deploy
    // Pebble: the rendered files and the layers, replanned.
    const conf = out.getContainer('redis').plan;
    expect(conf.services.redis?.command).toBe('redis-server /etc/redis/redis.conf');
    const redisConf = out.getContainer('redis').readText('/etc/redis/redis.conf');
    expect(redisConf).toContain(`requirepass ${bag[REDIS_PASSWORD_KEY]}`);
    expect(redisConf).not.toContain('replicaof'); // the master
    const sentinelConf = out.getContainer('sentinel').readText('/etc/redis/sentinel.conf');
    expect(sentinelConf).toContain(`sentinel monitor redis-k8s ${host(0)} 6379 2`);
    expect(sentinelConf).toContain(`requirepass ${bag[SENTINEL_PASSWORD_KEY]}`);
    expect(out.unitStatus).toEqual({ name: 'active', message: 'master' });
  });

  it('keeps passwords that exist', async () => {
    const ctx = new Context(RedisK8sCharm, { charmDir });
    const peers = new PeerRelation('redis-peers', {
      localAppData: { [REDIS_PASSWORD_KEY]: 'r'.repeat(16), [SENTINEL_PASSWORD_KEY]: 's'.repeat(16) },
    });
    const out = await ctx.run(
      ctx.on.leaderElected(),
      new State({ leader: true, relations: [peers], containers: containers() }),
    );
    expect(out.getRelation(peers.id).localAppData).toMatchObject({
      [REDIS_PASSWORD_KEY]: 'r'.repeat(16),
      [SENTINEL_PASSWORD_KEY]: 's'.repeat(16),
      [LEADER_HOST_KEY]: host(0),
    });
  });

  describe('a later election (the old leader went away)', () => {
    const known = {
      [REDIS_PASSWORD_KEY]: 'r'.repeat(16),
      [SENTINEL_PASSWORD_KEY]: 's'.repeat(16),
      [LEADER_HOST_KEY]: host(0),
    };
    const setup = () => {
      const ctx = new Context(RedisK8sCharm, { charmDir, unitId: 2 });
      const peers = new PeerRelation('redis-peers', { localAppData: known, peersData: { 1: {} } });
      const client = new Relation('redis', { remoteAppName: 'app' });
      return {
        ctx,
        peers,
        client,
        state: new State({ leader: true, relations: [peers, client], containers: containers() }),
      };
    };

    it('defers while a failover is in progress, without touching leader-host or the passwords', async () => {
      const { ctx, peers, state } = setup();
      sentinels.failoverInProgress = true;
      const out = await ctx.run(ctx.on.leaderElected(), state);
      expect(out.deferred.map((d) => d.kind)).toEqual(['leader_elected']);
      expect(out.getRelation(peers.id).localAppData).toMatchObject({
        [REDIS_PASSWORD_KEY]: 'r'.repeat(16),
        [SENTINEL_PASSWORD_KEY]: 's'.repeat(16),
      });
      // The master was asked and the quorum (2 of 2 units) set on both sentinels; no reset.
      expect(sentinels.calls).toContain(`redis-k8s-2 master-address redis-k8s`);
      expect(sentinels.calls.filter((c) => c.includes('quorum=2'))).toHaveLength(2);
      expect(sentinels.calls.some((c) => c.includes('reset'))).toBe(false);
    });

    it('defers when Sentinel cannot be asked', async () => {
      const { ctx, state } = setup();
      sentinels.reachable = false;
      const out = await ctx.run(ctx.on.leaderElected(), state);
      expect(out.deferred.map((d) => d.kind)).toEqual(['leader_elected']);
    });

    it('once the failover is over: the new master is published and every sentinel reset', async () => {
      const { ctx, peers, client, state } = setup();
      sentinels.failoverInProgress = true;
      const deferred = await ctx.run(ctx.on.leaderElected(), state);
      sentinels.failoverInProgress = false;
      // The deferred leader-elected runs again before the next hook's own event.
      const out = await ctx.run(ctx.on.updateStatus(), deferred);
      expect(out.deferred).toEqual([]);
      expect(out.getRelation(peers.id).localAppData[LEADER_HOST_KEY]).toBe(host(1));
      expect(out.getRelation(client.id).localAppData[LEADER_HOST_KEY]).toBe(host(1));
      expect(sentinels.calls.filter((c) => c.endsWith('reset redis-k8s')).sort()).toEqual([
        'redis-k8s-1 reset redis-k8s',
        'redis-k8s-2 reset redis-k8s',
      ]);
      expect(out.unitStatus).toEqual({ name: 'active', message: `replica of ${host(1)}` });
    });
  });

  it('a follower waits for the leader, then configures itself as a replica', async () => {
    const ctx = new Context(RedisK8sCharm, { charmDir, unitId: 1 });
    const empty = new PeerRelation('redis-peers', { peersData: { 0: {} } });
    const waiting = await ctx.run(
      ctx.on.configChanged(),
      new State({ relations: [empty], containers: containers() }),
    );
    expect(waiting.unitStatus.name).toBe('waiting');
    const peers = new PeerRelation('redis-peers', {
      peersData: { 0: {} },
      localAppData: {
        [REDIS_PASSWORD_KEY]: 'p'.repeat(16),
        [SENTINEL_PASSWORD_KEY]: 'q'.repeat(16),
        [LEADER_HOST_KEY]: host(0),
      },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(peers, { remoteUnit: 0 }),
      new State({ relations: [peers], containers: containers() }),
    );
    expect(out.getContainer('redis').readText('/etc/redis/redis.conf')).toContain(
      `replicaof ${host(0)} 6379`,
    );
    expect(out.unitStatus).toEqual({ name: 'active', message: `replica of ${host(0)}` });
  });
});
