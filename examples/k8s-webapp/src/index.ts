// The charm class and its workload, for tests and for a simulation that runs it in process.
export { DATABASE_NAME, K8sWebappCharm } from './k8s-webapp-charm.js';
export { CONTAINER, databaseUri, HEALTH_CHECK, migrateCommand, SERVICE, webappLayer } from './workload.js';
