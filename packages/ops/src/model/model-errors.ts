import { CharmkitError } from '../charmkit-error.js';

/** A model operation that Juju would refuse, or a model object used the wrong way. */
export class ModelError extends CharmkitError {
  readonly code: string = 'CHARMKIT_MODEL';
}

/** A relation databag key or value is not a string. */
export class RelationDataTypeError extends ModelError {
  override readonly code = 'CHARMKIT_RELATION_DATA_TYPE';
}

/** A databag was read or written by a unit that may not (remote bags, app bags of non-leaders). */
export class RelationDataAccessError extends ModelError {
  override readonly code = 'CHARMKIT_RELATION_DATA_ACCESS';
}

/** A status was set that a charm may not set, or an app status by a non-leader. */
export class InvalidStatusError extends ModelError {
  override readonly code = 'CHARMKIT_INVALID_STATUS';
}

/** More than one relation matches where one was expected. */
export class TooManyRelatedAppsError extends ModelError {
  override readonly code = 'CHARMKIT_TOO_MANY_RELATIONS';
}
