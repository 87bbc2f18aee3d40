/**
 * What every interface module of `@charmkit/interfaces` shares (internal to the package; import
 * from `../shared/index.js`):
 *
 * ```ts
 * // A databag's schema: bare strings are z.string(), JSON in a string is jsonField(...).
 * const RequirerApp = z.object({ port: jsonField(z.number().int()), name: jsonField(z.string()) });
 *
 * // Reading a remote bag never throws in a handler: on a mismatch, report it and return.
 * const read = tryReadDatabag(relation, relation.app, RequirerApp);
 * if (!read.ok) return this.#status.report(read.error);   // read.error: RemoteDatabagError
 *
 * // Writing: validated and encoded first; schema keys left undefined are deleted.
 * writeDatabag(relation, this.model.app, ProviderApp, { ingress: { url } });   // DatabagWriteError
 *
 * // In the constructor: blocked status at collect-status while any remote bag is bad.
 * this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
 *
 * unitAddress(relation, unit);                        // `ingress-address`, never private-address
 * checkEndpoint(charm, endpoint, 'requires', 'DatabaseRequirer');   // UnknownEndpointError
 * ```
 *
 * Error codes live in `../error-codes.ts` (`InterfacesErrorCode`): add a module's codes there.
 *
 * @module
 */
export {
  type DatabagResult,
  type DatabagSchema,
  describeMember,
  encodeDatabag,
  readDatabag,
  tryReadDatabag,
  writeDatabag,
} from './databag.js';
export { checkEndpoint } from './endpoint.js';
export {
  type DatabagIssue,
  DatabagWriteError,
  InterfaceNotLeaderError,
  RemoteDatabagError,
} from './errors.js';
export { jsonField, pythonJson } from './json-field.js';
export { RemoteDataStatus } from './remote-data-status.js';
export { unitAddress } from './unit-address.js';
