/**
 * Locks negotiated over the peer relation (rolling restarts): `Coordinator`, `OpsCoordinator` with
 * `RestartRequestedEvent`, grant policies and restarters.
 *
 * @module @charmkit/coordinator
 */
export { Coordinator, type CoordinatorOptions } from './coordinator.js';
export {
  CoordinatorEvents,
  LockEvent,
  LockGrantedEvent,
  LockReleasedEvent,
  LockRequestedEvent,
} from './coordinator-events.js';
export {
  CoordinatorConfigError,
  CoordinatorDataError,
  type CoordinatorErrorCode,
  RestartError,
} from './errors.js';
export { OpsCoordinator, type OpsCoordinatorOptions } from './ops-coordinator.js';
export { type GrantContext, type GrantPolicy, maxConcurrent, policyLimit, serial, simple } from './policy.js';
export { type PolicyChoice, readCoordinatorFile, resolvePolicy } from './policy-config.js';
export {
  encode,
  GRANTS_KEY,
  type Grants,
  LAST_ID_KEY,
  parseGrants,
  parseQueue,
  parseRequests,
  QUEUE_KEY,
  type Queue,
  REQUESTS_KEY,
  type Requests,
} from './protocol.js';
export { type RestartCoordinator, RestartRequestedEvent } from './restart-requested-event.js';
export { PebbleRestarter, type Restarter, SystemdRestarter } from './restarter.js';
