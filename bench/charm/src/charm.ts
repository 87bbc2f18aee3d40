import { main } from '@charmkit/ops';
import { BenchRedisCharm } from './bench-redis-charm.js';

await main(BenchRedisCharm);
