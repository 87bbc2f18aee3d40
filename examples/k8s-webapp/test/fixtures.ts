import { DEFAULT_REQUESTED_SECRETS } from '@charmkit/interfaces/database';
import { Container, Relation } from '@charmkit/testing';
import { webappLayer } from '../src/workload.js';

export const USER_URI = 'secret://00000000-0000-4000-8000-000000000000/d4db0db0db0db0db0db0';
export const DB_HOST = 'k8s-db.test-model.svc.cluster.local:5432';
export const DB_URI = `postgresql://relation-7:s3cret@${DB_HOST}/webapp`;
export const INGRESS_URL = 'http://traefik.example/test-model-k8s-webapp';
/** What Juju writes into this unit's databag on every relation. */
export const OWN_ADDRESS = { 'ingress-address': '10.1.2.3', 'egress-subnets': '10.1.2.3/32' };

/** What the webapp's leader wrote on relation-created (data_interfaces' request). */
export const REQUEST = {
  database: 'webapp',
  'requested-secrets': JSON.stringify(DEFAULT_REQUESTED_SECRETS).replaceAll('","', '", "'),
};

/** The database relation once k8s-db (or postgresql-k8s) answered: credentials in a secret. */
export function answeredDatabase(id = 7, remoteAppData: Record<string, string> = {}): Relation<'database'> {
  return new Relation('database', {
    id,
    remoteAppName: 'k8s-db',
    localAppData: REQUEST,
    localUnitData: OWN_ADDRESS,
    remoteAppData: {
      database: 'webapp',
      endpoints: DB_HOST,
      version: '1.0',
      'secret-user': USER_URI,
      ...remoteAppData,
    },
  });
}

/** The user secret k8s-db granted to the relation, as this unit sees it (a consumer). */
export const USER_SECRET = { id: USER_URI, revisions: [{ username: 'relation-7', password: 's3cret' }] };

/** The webapp container with the server running as a previous hook left it. */
export function runningWebapp(
  init: { port?: number; logLevel?: string; failures?: number } = {},
): Container<'webapp'> {
  const layer = webappLayer({
    port: init.port ?? 8080,
    logLevel: init.logLevel ?? 'info',
    databaseUri: DB_URI,
  });
  return new Container('webapp', {
    layers: { webapp: layer },
    serviceStatuses: { webapp: 'active' },
    ...(init.failures
      ? {
          checks: [{ name: 'webapp-health', status: 'down' as const, failures: init.failures, threshold: 3 }],
        }
      : {}),
    execHandlers: [
      { command: ['webapp', 'migrate', '--dry-run'], stdout: 'would apply 0002_orders\n' },
      { command: ['webapp', 'migrate'], stdout: 'applied 0001_init\napplied 0002_orders\n' },
    ],
  });
}
