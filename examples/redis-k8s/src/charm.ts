import { main } from '@charmkit/ops';
import { RedisK8sCharm } from './redis-k8s-charm.js';

await main(RedisK8sCharm);
