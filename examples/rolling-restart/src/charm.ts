import { main } from '@charmkit/ops';
import { serveDemoWorkload } from './demo-workload.js';
import { RollingRestartCharm } from './rolling-restart-charm.js';

// The same file is the demo workload's program, so a built charm carries its workload with it.
if (process.argv[2] === '--serve-workload') {
  serveDemoWorkload(Number(process.argv[3]), String(process.argv[4]));
} else {
  await main(RollingRestartCharm);
}
