// What other packages (the webapp example's simulation) use: the charm class and its workload.
export { generatePassword, K8sDbCharm } from './k8s-db-charm.js';
export { CONTAINER, createDatabaseCommand, DATA_DIR, dbLayer, PASSWORD_ENV, SERVICE } from './workload.js';
