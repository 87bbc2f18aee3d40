/** The peer relation, as in redis-k8s-operator's `literals.py`. */
export const PEER = 'redis-peers';
/** The client relation whose application databag carries the master's address. */
export const CLIENT_RELATION = 'redis';
/** Peer app databag keys. */
export const REDIS_PASSWORD_KEY = 'redis-password';
export const SENTINEL_PASSWORD_KEY = 'sentinel-password';
export const LEADER_HOST_KEY = 'leader-host';
export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
/** Where the rendered configuration lives in each container. */
export const REDIS_CONF = '/etc/redis/redis.conf';
export const SENTINEL_CONF = '/etc/redis/sentinel.conf';
