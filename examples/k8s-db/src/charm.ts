import { main } from '@charmkit/ops';
import { K8sDbCharm } from './k8s-db-charm.js';

await main(K8sDbCharm);
