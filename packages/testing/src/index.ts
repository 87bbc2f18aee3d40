/**
 * @module @charmkit/testing — test charmkit charms: state-in/state-out `Context` runs, and a
 * multi-unit Juju simulator with fault injection.
 */
export { checkConsistency } from './context/consistency.js';
export { type ActionOutput, Context, type ContextOptions } from './context/context.js';
export { ActionFailedError, InconsistentStateError, UncaughtCharmError } from './context/errors.js';
export { ContextEvents, type EventSpec } from './context/event-spec.js';
export {
  type AnyRelation,
  type Databag,
  type DeferredEvent,
  PeerRelation,
  Relation,
  State,
  type StateInit,
  type StatusValue,
  type StoredStateEntry,
} from './context/state.js';
export { StateBackend } from './context/state-backend.js';
