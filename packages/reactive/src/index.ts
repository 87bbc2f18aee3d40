/**
 * charms.reactive on the charmkit framework: persisted flags, `when()` handlers and triggers, the
 * hook phase and flag rounds, file-change handlers, relation endpoints with automatic flags, and
 * handlers in any language under `reactive/`.
 *
 * @module @charmkit/reactive
 */
export type { FlagCondition, FlagConditions } from './conditions.js';
export { ConfigFlags } from './config-flags.js';
export { Conversation } from './conversation.js';
export {
  type HandlerDecorator,
  hook,
  onlyOnce,
  when,
  whenAny,
  whenFileChanged,
  whenNot,
} from './decorators.js';
export { Endpoint } from './endpoint.js';
export {
  ExternalHandlerError,
  FlagNameError,
  HandlerDefinitionError,
  ReactiveCycleError,
  type ReactiveErrorCode,
  ReadOnlyFlagError,
  TriggerLoopError,
} from './errors.js';
export { fileHash } from './file-hash.js';
export { checkFlagName } from './flag-name.js';
export type { FlagProvider, FlagProviderOptions } from './flag-provider.js';
export { Flags } from './flags.js';
export type {
  HandlerCall,
  HandlerOptions,
  HandlerPhase,
  HandlerSpec,
  ReactiveHandler,
  ReactiveTraceEntry,
} from './handler-spec.js';
export { expandHookPattern } from './hook-pattern.js';
export { Reactive, type ReactiveOptions } from './reactive.js';
export type { TriggerSpec } from './trigger.js';
