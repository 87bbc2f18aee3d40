import { CharmkitError } from '../charmkit-error.js';

/** Every `code` a {@link ModelError} can carry. */
export type ModelErrorCode =
  | 'CHARMKIT_MODEL'
  | RelationDataErrorCode
  | 'CHARMKIT_INVALID_STATUS'
  | 'CHARMKIT_TOO_MANY_RELATIONS'
  | 'CHARMKIT_SECRET_INVALID'
  | 'CHARMKIT_INVALID_PORT'
  | 'CHARMKIT_CONFIG'
  | 'CHARMKIT_ACTION_PARAMS'
  | 'CHARMKIT_NO_SUCH_SERVICE'
  | 'CHARMKIT_NO_SUCH_CHECK';

/** Every `code` a {@link RelationDataError} can carry. */
export type RelationDataErrorCode =
  | 'CHARMKIT_RELATION_DATA'
  | 'CHARMKIT_RELATION_DATA_TYPE'
  | 'CHARMKIT_RELATION_DATA_ACCESS'
  | 'CHARMKIT_RELATION_DATA_INVALID';

/**
 * A model operation that Juju would refuse, or a model object used the wrong way: e.g. reading
 * another unit's leadership, setting another unit's workload version, a secret that is being
 * removed in this hook, `juju-reboot` in an action. The base of the model's errors.
 *
 * @remedy Read the message: it says which object and what it allows. Most cases are the own unit
 * or application versus a remote one (`this.unit`, `this.app`).
 */
export class ModelError extends CharmkitError {
  readonly code: ModelErrorCode = 'CHARMKIT_MODEL';
}

/**
 * Something is wrong with relation data: its type, who may touch it, or its shape. Never thrown
 * itself: catch it to handle all three subclasses.
 *
 * @remedy See the subclass: `RelationDataTypeError`, `RelationDataAccessError`,
 * `RelationDataValidationError`.
 */
export class RelationDataError extends ModelError {
  override readonly code: RelationDataErrorCode = 'CHARMKIT_RELATION_DATA';
}

/**
 * A relation databag key or value is not a string, or a field given to `save()` is not JSON.
 *
 * @remedy Write strings only (`String(port)`), or use `relation.save()`/`load()` with a schema for
 * structured data; skip `undefined` fields rather than storing them.
 */
export class RelationDataTypeError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_TYPE';
}

/**
 * A databag was read or written by a unit that may not: a write to a remote bag, the app bag of a
 * regular relation read by a non-leader, or any app bag written by a non-leader.
 *
 * @remedy Check `this.unit.isLeader()` before touching the application's bag, and write only the
 * own unit's and own application's bags (the how-to on relations has the table).
 */
export class RelationDataAccessError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_ACCESS';
}

/**
 * `relation.load()`/`save()`: the databag's content does not match the schema.
 *
 * @remedy On `load()`, the other side has not written (all of) its data yet or speaks another
 * version of the interface: wait for a later `relation-changed` (or defer), or widen the schema.
 * On `save()`, fix the value the message names.
 */
export class RelationDataValidationError extends RelationDataError {
  override readonly code = 'CHARMKIT_RELATION_DATA_INVALID';
}

/**
 * A status was set that a charm may not set (only active, blocked, maintenance and waiting), on
 * another unit or application, or the application's status was read or set by a non-leader.
 *
 * @remedy Set `ActiveStatus`, `BlockedStatus`, `MaintenanceStatus` or `WaitingStatus`; set the
 * application status only when `this.unit.isLeader()` (or from `collectAppStatus`, which runs on
 * the leader only).
 */
export class InvalidStatusError extends ModelError {
  override readonly code = 'CHARMKIT_INVALID_STATUS';
}

/**
 * More than one relation matches where one was expected: `getRelation(endpoint)` on an endpoint
 * with several relations.
 *
 * @remedy Pass the relation id (`getRelation('db', event.relation.id)`) or iterate
 * `model.relations('db')`.
 */
export class TooManyRelatedAppsError extends ModelError {
  override readonly code = 'CHARMKIT_TOO_MANY_RELATIONS';
}

/**
 * A secret id, content key or value, or metadata (expiry, rotation, label) that Juju would refuse;
 * checked before any hook tool runs.
 *
 * @remedy Fix what the message names: content keys start with a lowercase letter and have at
 * least 3 characters (letters, digits, single inner dashes), values are strings (serialise
 * structured ones), a label is a non-empty string, rotation one of Juju's policies.
 */
export class SecretValidationError extends ModelError {
  override readonly code = 'CHARMKIT_SECRET_INVALID';
}

/**
 * A port, range or protocol that Juju would refuse.
 *
 * @remedy Use `tcp`, `udp` or `icmp`, ports 1 to 65535, and a range whose start is not above its
 * end; ICMP takes no port.
 */
export class InvalidPortError extends ModelError {
  override readonly code = 'CHARMKIT_INVALID_PORT';
}

/**
 * The charm's config does not match its declared types (config.yaml) when `this.config` is read,
 * or does not match the schema given to `loadConfig(schema, { onInvalid: 'throw' })` (by default
 * `loadConfig` sets blocked status and ends the hook instead). `option` names the first option
 * concerned.
 *
 * @remedy The operator fixes the value (`juju config`); the message names the option and what was
 * expected, never the value. In code, catch it to choose your own status.
 */
export class ConfigError extends ModelError {
  override readonly code = 'CHARMKIT_CONFIG';
  /** The option concerned. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.option = option;
  }
}

/**
 * An action's parameters do not match its schema (actions.yaml, or the schema given to
 * `loadParams(schema, { onInvalid: 'throw' })`). Before any handler runs the dispatch turns it
 * into a failed action, not a failed hook.
 *
 * @remedy The operator runs the action again with valid parameters; the message names the
 * parameter (`param`) and what was expected.
 */
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
