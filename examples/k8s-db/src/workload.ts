import type { Layer } from '@charmkit/ops/pebble';

/** The workload container and its Pebble service. */
export const CONTAINER = 'db';
export const SERVICE = 'db';
/** Where the server keeps its data, inside the container. */
export const DATA_DIR = '/var/lib/k8s-db';
/** The server's version, as the provider publishes it. */
export const SERVER_VERSION = '1.0';

/** The Pebble layer that runs the database server on `port`. */
export function dbLayer(port: number): Layer {
  return {
    summary: 'k8s-db server',
    services: {
      [SERVICE]: {
        override: 'replace',
        summary: 'the database server',
        command: `k8s-db-server --port ${port} --data ${DATA_DIR}`,
        startup: 'enabled',
      },
    },
  };
}

/**
 * The command that creates a database owned by a new user in the running server (the image's
 * `createdb`-like admin tool). The password goes in the environment, not the command line, so it
 * never shows in a process list or Pebble's exec record of arguments.
 */
export function createDatabaseCommand(
  database: string,
  user: string,
  roles: string | null,
): readonly string[] {
  return [
    'k8s-db-admin',
    'create-database',
    '--data',
    DATA_DIR,
    '--if-not-exists',
    '--owner',
    user,
    ...(roles ? ['--roles', roles] : []),
    database,
  ];
}

/** The environment variable that carries the new user's password to the admin tool. */
export const PASSWORD_ENV = 'K8S_DB_OWNER_PASSWORD';
