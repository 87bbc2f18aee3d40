// redis-k8s under Juju 3.6 and Juju 4 through a whole life: deploy, leader change, config change,
// scale up, scale down (the leader). Every unit's redis and sentinel containers are the
// simulator's in-memory Pebble. In process, not as real processes: the charm asks Sentinel over
// the pod network (hosts like redis-k8s-0.redis-k8s-endpoints…), which exists only on Kubernetes,
// so Sentinel is the scripted one the other tests use.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmMeta } from '@charmkit/ops';
import { runLifecycle, Simulator } from '@charmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LEADER_HOST_KEY, REDIS_PASSWORD_KEY, SENTINEL_PASSWORD_KEY } from '../src/literals.js';
import { RedisK8sCharm } from '../src/redis-k8s-charm.js';
import { FakeSentinels, peerBag, simHost } from './helpers.js';

const meta = loadCharmMeta(join(dirname(fileURLToPath(import.meta.url)), '..'));
const host = simHost;

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe.each(['3.6', '4'])('redis-k8s through a whole life, Juju %s', (juju) => {
  it('keeps its passwords, follows the master Sentinel reports, and renders config changes into every container', async () => {
    const sentinels = new FakeSentinels();
    sentinels.master = host(0);
    RedisK8sCharm.sentinelAt = sentinels.at;
    const s = await Simulator.create({
      juju,
      mode: 'in-process',
      charm: RedisK8sCharm,
      meta,
      units: 3,
      seed: 9,
    });
    sim = s;
    let passwords: [string, string] | null = null;
    const phases = await runLifecycle(s, {
      config: { 'sentinel-down-after-ms': 7000 },
      after: async (phase) => {
        const world = s.snapshot();
        const bag = peerBag(world);
        passwords ??= [bag[REDIS_PASSWORD_KEY] ?? '', bag[SENTINEL_PASSWORD_KEY] ?? ''];
        expect([bag[REDIS_PASSWORD_KEY], bag[SENTINEL_PASSWORD_KEY]], phase.name).toEqual(passwords);
        // The leader-host stays the master Sentinel reports (the first leader's redis).
        expect(bag[LEADER_HOST_KEY], phase.name).toBe(host(0));
        const downAfter = phase.name === 'deploy' || phase.name === 'leader-change' ? 5000 : 7000;
        for (const [unit, info] of Object.entries(world.units)) {
          expect(info.workloadStatus.status, `${phase.name} ${unit}`).toBe('active');
          expect(info.containers?.redis?.services.redis, `${phase.name} ${unit}`).toBe('active');
          const conf = await s.container(unit, 'sentinel').pull('/etc/redis/sentinel.conf');
          expect(conf, `${phase.name} ${unit}`).toContain(`down-after-milliseconds redis-k8s ${downAfter}`);
        }
      },
    });
    expect(passwords?.[0]).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(s.violations).toEqual([]);
    // The later elections asked Sentinel; none found a failover, so nothing was deferred for long.
    expect(sentinels.calls.some((c) => c.includes('master-address'))).toBe(true);
    const hooks = s.trace.hooks;
    expect(hooks.filter((h) => h.hook === 'redis-pebble-ready')).toHaveLength(4); // 3 + the added unit
    if (juju === '4') {
      expect(hooks.map((h) => h.hook)).not.toContain('leader-settings-changed');
      const tools = new Set(hooks.flatMap((h) => h.toolCalls.map((c) => c.tool)));
      expect(tools.has('leader-get') || tools.has('leader-set')).toBe(false);
    }
    expect(phases).toHaveLength(5);
  });
});
