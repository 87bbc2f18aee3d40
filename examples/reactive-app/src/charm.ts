import { main } from '@charmkit/ops';
import { ReactiveAppCharm } from './reactive-app-charm.js';

await main(ReactiveAppCharm);
