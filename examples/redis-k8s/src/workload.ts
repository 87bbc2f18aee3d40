import type { Layer } from '@charmkit/ops/pebble';
import { REDIS_CONF, REDIS_PORT, SENTINEL_CONF, SENTINEL_PORT } from './literals.js';

/** What the configuration files are rendered from. */
export interface WorkloadSettings {
  readonly app: string;
  readonly hostname: string;
  readonly redisPassword: string;
  readonly sentinelPassword: string;
  /** The master's host (the peer app databag's `leader-host`). */
  readonly masterHost: string;
  /** Sentinels that must agree the master is down: a majority of the units. */
  readonly quorum: number;
  readonly downAfterMs: number;
}

/** redis.conf: a password for clients and replicas; a replica of the master unless it is the master. */
export function redisConf(s: WorkloadSettings): string {
  const lines = [
    `port ${REDIS_PORT}`,
    'bind 0.0.0.0',
    `requirepass ${s.redisPassword}`,
    `masterauth ${s.redisPassword}`,
    'dir /var/lib/redis',
    `replica-announce-ip ${s.hostname}`,
  ];
  if (s.masterHost !== s.hostname) lines.push(`replicaof ${s.masterHost} ${REDIS_PORT}`);
  return `${lines.join('\n')}\n`;
}

/** sentinel.conf: monitor the master with the quorum; sentinels share their own password. */
export function sentinelConf(s: WorkloadSettings): string {
  return `${[
    `port ${SENTINEL_PORT}`,
    'sentinel resolve-hostnames yes',
    'sentinel announce-hostnames yes',
    `sentinel announce-ip ${s.hostname}`,
    `sentinel monitor ${s.app} ${s.masterHost} ${REDIS_PORT} ${s.quorum}`,
    `sentinel auth-pass ${s.app} ${s.redisPassword}`,
    `sentinel down-after-milliseconds ${s.app} ${s.downAfterMs}`,
    `sentinel failover-timeout ${s.app} 30000`,
    `sentinel parallel-syncs ${s.app} 1`,
    `requirepass ${s.sentinelPassword}`,
    `sentinel sentinel-pass ${s.sentinelPassword}`,
  ].join('\n')}\n`;
}

/** The Pebble layer of each container: one service, started with its rendered file. */
export const LAYERS: Readonly<Record<'redis' | 'sentinel', Layer>> = {
  redis: {
    summary: 'redis',
    services: {
      redis: {
        override: 'replace',
        summary: 'Redis server',
        command: `redis-server ${REDIS_CONF}`,
        startup: 'enabled',
      },
    },
  },
  sentinel: {
    summary: 'sentinel',
    services: {
      sentinel: {
        override: 'replace',
        summary: 'Redis Sentinel',
        // Sentinel rewrites its file (it records the replicas it finds), so it gets its own copy.
        command: `redis-sentinel ${SENTINEL_CONF}`,
        startup: 'enabled',
      },
    },
  },
};

/** The file each container needs. */
export function workloadFiles(
  s: WorkloadSettings,
): Readonly<Record<'redis' | 'sentinel', { path: string; content: string }>> {
  return {
    redis: { path: REDIS_CONF, content: redisConf(s) },
    sentinel: { path: SENTINEL_CONF, content: sentinelConf(s) },
  };
}
