/**
 * The `ingress` relation interface (v2), both sides, wire-compatible with traefik-k8s' `ingress`
 * library (v2): `IngressRequirer` for a charm that wants a URL, `IngressProvider` for a proxy.
 *
 * @module @charmkit/interfaces/ingress
 */

export {
  type DatabagIssue,
  DatabagWriteError,
  InterfaceNotLeaderError,
  RemoteDatabagError,
} from '../shared/index.js';
export {
  IngressDataProvidedEvent,
  IngressDataRemovedEvent,
  IngressProviderEvents,
  IngressReadyEvent,
  IngressRequirerEvents,
  IngressRevokedEvent,
} from './ingress-events.js';
export {
  IngressProvider,
  type IngressProviderOptions,
  type IngressRequest,
  type IngressUnit,
} from './ingress-provider.js';
export { IngressRequirer, type IngressRequirerOptions } from './ingress-requirer.js';
export {
  INGRESS_SCHEMES,
  type IngressProviderApp,
  IngressProviderAppSchema,
  type IngressRequirerApp,
  IngressRequirerAppSchema,
  type IngressRequirerUnit,
  IngressRequirerUnitSchema,
  type IngressScheme,
} from './schemas.js';
