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
