import type { DatabaseCredentials } from '@charmkit/interfaces/database';
import type { Layer } from '@charmkit/ops/pebble';

/** The workload container, its Pebble service and its health check. */
export const CONTAINER = 'webapp';
export const SERVICE = 'webapp';
export const HEALTH_CHECK = 'webapp-health';

/** What the layer is made from. */
export interface WebappSettings {
  readonly port: number;
  readonly logLevel: string;
  readonly databaseUri: string;
}

/**
 * The Pebble layer: the web server on the configured port, its database URI in the environment,
 * and an HTTP check on `/health` at the `ready` level (a failing check fires
 * `webapp-pebble-check-failed`, and Kubernetes' readiness probe reports the pod not ready).
 */
export function webappLayer(settings: WebappSettings): Layer {
  return {
    summary: 'k8s-webapp',
    services: {
      [SERVICE]: {
        override: 'replace',
        summary: 'the web application',
        command: `webapp serve --port ${settings.port}`,
        startup: 'enabled',
        environment: { DATABASE_URI: settings.databaseUri, LOG_LEVEL: settings.logLevel },
      },
    },
    checks: {
      [HEALTH_CHECK]: {
        override: 'replace',
        level: 'ready',
        period: '10s',
        threshold: 3,
        http: { url: `http://localhost:${settings.port}/health` },
      },
    },
  };
}

/**
 * The connection URI from what the provider sent: its `uris` when it sent them (postgresql-k8s
 * does), else one built from the credentials and the first endpoint (the primary).
 */
export function databaseUri(credentials: DatabaseCredentials, database: string): string {
  if (credentials.uris) return credentials.uris;
  const host = credentials.endpoints?.split(',')[0]?.trim() || 'localhost:5432';
  const user = encodeURIComponent(credentials.username);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@${host}/${credentials.database ?? database}`;
}

/** The migration command the `migrate` action runs in the container. */
export function migrateCommand(dryRun: boolean): readonly string[] {
  return ['webapp', 'migrate', ...(dryRun ? ['--dry-run'] : [])];
}
