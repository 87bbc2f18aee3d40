import type { SimSnapshot } from '@charmkit/testing';
import type { SentinelApi } from '../src/sentinel.js';
import { SentinelCheckError } from '../src/sentinel.js';

/** A sentinel the test scripts: its master, whether a failover runs, and what it was told. */
export class FakeSentinels {
  master = 'redis-k8s-1.redis-k8s-endpoints.test-model.svc.cluster.local';
  failoverInProgress = false;
  reachable = true;
  readonly calls: string[] = [];

  at = (host: string, _port: number, password: string, master: string): SentinelApi => {
    const record = (what: string) => {
      if (!this.reachable) throw new SentinelCheckError(`sentinel at ${host} is down`);
      if (!password) throw new SentinelCheckError('no sentinel password');
      this.calls.push(`${host.split('.')[0]} ${what} ${master}`);
    };
    return {
      masterAddress: async () => {
        record('master-address');
        return { host: this.master, port: 6379 };
      },
      failoverInProgress: async () => {
        record('master-info');
        return this.failoverInProgress;
      },
      setQuorum: async (quorum) => record(`quorum=${quorum}`),
      reset: async () => record('reset'),
    };
  };
}

/** A unit's pod DNS name in the simulated model `sim`. */
export const simHost = (n: number): string => `redis-k8s-${n}.redis-k8s-endpoints.sim.svc.cluster.local`;

/** The peer application databag, where the leader keeps the passwords and the leader host. */
export function peerBag(world: SimSnapshot): Readonly<Record<string, string>> {
  return world.relations.find((r) => r.endpoint === 'redis-peers')?.appData['redis-k8s'] ?? {};
}
