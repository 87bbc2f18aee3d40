import type { TestingErrorCode } from '../error-codes.js';
import { SimulatorError } from './errors.js';

/**
 * A model simulation names an application it does not have (in a relation, or when driving it).
 *
 * @remedy Use one of the application names the message lists (the keys of `applications`), or
 * add the application to the model.
 */
export class UnknownApplicationError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_UNKNOWN_APPLICATION' satisfies TestingErrorCode;
}

/**
 * A relation names an endpoint the application's charm does not declare, or a peer endpoint
 * (peer relations exist from deploy and are never integrated), or leaves the endpoint out where
 * more than one would fit.
 *
 * @remedy Write `app:endpoint` with an endpoint from the charm's `requires`/`provides` (the
 * message lists them).
 */
export class UnknownEndpointError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_UNKNOWN_ENDPOINT' satisfies TestingErrorCode;
}

/**
 * Two endpoints cannot be related: their interfaces differ, both sides require (or both provide),
 * or the relation already exists — Juju refuses the same integrations.
 *
 * @remedy Relate a `requires` endpoint to a `provides` endpoint of the same interface (the message
 * says which interface was expected), once.
 */
export class RelationMismatchError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_RELATION_MISMATCH' satisfies TestingErrorCode;
}
