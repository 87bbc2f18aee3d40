/**
 * The database relation interfaces (`postgresql_client`, `mysql_client`, `mongodb_client`, v0),
 * both sides, wire-compatible with data_platform_libs' `data_interfaces` (v0): `DatabaseRequirer`
 * for a charm that needs a database, `DatabaseProvider` for a database charm.
 *
 * @module @charmkit/interfaces/database
 */

export {
  type DatabagIssue,
  DatabagWriteError,
  InterfaceNotLeaderError,
  RemoteDatabagError,
} from '../shared/index.js';
export {
  DatabaseCreatedEvent,
  DatabaseCredentialsChangedEvent,
  DatabaseEndpointsChangedEvent,
  DatabaseProviderEvents,
  DatabaseReadOnlyEndpointsChangedEvent,
  DatabaseRequestedEvent,
  DatabaseRequirerEvents,
} from './database-events.js';
export {
  DatabaseProvider,
  type DatabaseProviderOptions,
  type DatabasePublication,
  type DatabaseRequest,
} from './database-provider.js';
export {
  type DatabaseCredentials,
  DatabaseRequirer,
  type DatabaseRequirerOptions,
} from './database-requirer.js';
export {
  type DatabaseProviderApp,
  DatabaseProviderAppSchema,
  type DatabaseRequirerApp,
  DatabaseRequirerAppSchema,
  DEFAULT_REQUESTED_SECRETS,
  type SecretGroup,
  secretLabel,
} from './schemas.js';
