import { main } from '@charmkit/ops';
import { LeadershipPasswordCharm } from './leadership-password-charm.js';

await main(LeadershipPasswordCharm);
