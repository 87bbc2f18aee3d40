import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmMeta } from '@charmkit/ops';
import { Simulator } from '@charmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LEADER_HOST_KEY, REDIS_PASSWORD_KEY, SENTINEL_PASSWORD_KEY } from '../src/literals.js';
import { RedisK8sCharm } from '../src/redis-k8s-charm.js';
import { FakeSentinels, peerBag, simHost } from './helpers.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const meta = loadCharmMeta(charmDir);
const host = simHost;

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('redis-k8s on the simulator', () => {
  it('3 units agree on one set of passwords and leader-host; a later election defers until the failover ends', async () => {
    const sentinels = new FakeSentinels();
    sentinels.master = host(2);
    RedisK8sCharm.sentinelAt = sentinels.at;
    sim = await Simulator.create({ mode: 'in-process', charm: RedisK8sCharm, meta, units: 3, seed: 4 });
    let first: Record<string, string> | null = null;
    sim.addInvariant('passwords never change once set', (world) => {
      const bag = peerBag(world);
      const now = { redis: bag[REDIS_PASSWORD_KEY] ?? '', sentinel: bag[SENTINEL_PASSWORD_KEY] ?? '' };
      if (!now.redis) return true;
      first ??= now;
      return (now.redis === first.redis && now.sentinel === first.sentinel) || 'a password changed';
    });
    expect((await sim.settle()).settled).toBe(true);
    const deployed = peerBag(sim.snapshot());
    expect(deployed[LEADER_HOST_KEY]).toBe(host(0));
    expect(sentinels.calls).toEqual([]);

    // Leadership moves while Sentinel is still failing over: the new leader defers.
    sentinels.failoverInProgress = true;
    sim.changeLeader('redis-k8s/1');
    expect((await sim.settle({ updateStatusRounds: 0 })).settled).toBe(true);
    expect(sim.logs('redis-k8s/1').some((l) => l.message.includes('failover did not finish'))).toBe(true);
    expect(peerBag(sim.snapshot())[LEADER_HOST_KEY]).toBe(host(2)); // the master Sentinel reports
    expect(sentinels.calls.some((c) => c.includes('reset'))).toBe(false);

    // The failover ends; the deferred leader-elected runs again at the next hook and resets.
    sentinels.failoverInProgress = false;
    expect((await sim.settle({ updateStatusRounds: 1 })).settled).toBe(true);
    expect(sentinels.calls.filter((c) => c.endsWith('reset redis-k8s'))).toHaveLength(3);
    expect(sim.violations).toEqual([]);
  });
});
