import { main } from '@charmkit/ops';
import { K8sWebappCharm } from './k8s-webapp-charm.js';

await main(K8sWebappCharm);
