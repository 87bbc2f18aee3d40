import { CharmkitError } from '../charmkit-error.js';

/** A model operation that Juju would refuse, or a model object used the wrong way. */
export class ModelError extends CharmkitError {
  readonly code: string = 'CHARMKIT_MODEL';
}

/** Something is wrong with relation data: its type, who may touch it, or its shape. */
export class RelationDataError extends ModelError {
  override readonly code: string = 'CHARMKIT_RELATION_DATA';
}

/** A relation databag key or value is not a string. */
export class RelationDataTypeError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_TYPE';
}

/** A databag was read or written by a unit that may not (remote bags, app bags of non-leaders). */
export class RelationDataAccessError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_ACCESS';
}

/** `relation.load()`/`save()`: the databag's content does not match the schema. */
export class RelationDataValidationError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_INVALID';
}

/** A status was set that a charm may not set, or an app status by a non-leader. */
export class InvalidStatusError extends ModelError {
  override readonly code = 'CHARMKIT_INVALID_STATUS';
}

/** More than one relation matches where one was expected. */
export class TooManyRelatedAppsError extends ModelError {
  override readonly code = 'CHARMKIT_TOO_MANY_RELATIONS';
}

/** A secret id, content key or value, or metadata (expiry, rotation, label) that Juju would refuse. */
export class SecretValidationError extends ModelError {
  override readonly code = 'CHARMKIT_SECRET_INVALID';
}

/** A port, range or protocol that Juju would refuse. */
export class InvalidPortError extends ModelError {
  override readonly code = 'CHARMKIT_INVALID_PORT';
}

/** A config value from Juju does not match its option's declared type (config.yaml). */
export class ConfigError extends ModelError {
  override readonly code = 'CHARMKIT_CONFIG';
  /** The option concerned. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.option = option;
  }
}

/** An action's parameters do not match its schema in actions.yaml. */
export class ActionParamsError extends ModelError {
  override readonly code = 'CHARMKIT_ACTION_PARAMS';
  /** The action concerned. */
  readonly action: string;
  /** The dotted path of the first bad parameter ('' when the whole set is wrong). */
  readonly param: string;

  constructor(action: string, param: string, message: string) {
    super(message);
    this.action = action;
    this.param = param;
  }
}
