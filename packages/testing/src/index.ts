/**
 * Test charmkit charms: state-in/state-out `Context` runs, and a multi-unit Juju simulator with
 * fault injection.
 *
 * @module @charmkit/testing
 */

export {
  type BuildCharmOptions,
  BuildIncludeError,
  type BuildIncludes,
  type BuiltCharm,
  buildCharm,
  buildSnapshot,
  CharmBuildError,
  DEFAULT_BUILD_INCLUDES,
  DISPATCH_SCRIPT,
  dispatchScript,
  resolveBuildIncludes,
  SNAPSHOT_BLOB,
  type SnapshotResult,
} from './build/index.js';
export { checkConsistency } from './context/consistency.js';
export { Container, type ContainerInit } from './context/container.js';
export {
  type ActionOutput,
  Context,
  type ContextOptions,
  DEFAULT_JUJU_VERSION,
  type TypesOf,
} from './context/context.js';
export { InconsistentStateError, UncaughtCharmError } from './context/errors.js';
export { ContextEvents, type EventSpec, type RelationOf } from './context/event-spec.js';
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
export type { TestingErrorCode } from './error-codes.js';
export {
  type CheckInfoInit,
  type ExecCall,
  type ExecHandler,
  type ExecResult,
  type FileEntry,
  MemoryPebble,
  type MemoryPebbleOptions,
  MissingExecHandlerError,
  type NoticeInit,
  type SentSignal,
} from './pebble/index.js';
export {
  DEFAULT_SIMULATED_JUJU_VERSION,
  type EventRecord,
  type FaultOptions,
  goJson,
  type HookFault,
  type HookFaultRequest,
  type HookKind,
  type HookOutcome,
  type HookRecord,
  HookRetryLimitError,
  type InProcessSimulatorOptions,
  type InvariantCheck,
  type InvariantViolation,
  InvariantViolationError,
  type OpenedPortEntry,
  type OutputFormat,
  type ProcessSimulatorOptions,
  type RelationSnapshot,
  type RemoteAppSpec,
  resolveJujuVersion,
  type ScheduledFault,
  SeededRandom,
  type SettleOptions,
  type SettleResult,
  SIMULATED_TOOL_NAMES,
  type SimSnapshot,
  type SimStats,
  SimTrace,
  SimulatedBackend,
  Simulator,
  type SimulatorBaseOptions,
  SimulatorError,
  type SimulatorOptions,
  type StatusValue as SimStatusValue,
  type StuckHook,
  type ToolCallRecord,
  type ToolClientKind,
  ToolFailure,
  type ToolValue,
  type TraceEntry,
  type TraceFormatOptions,
  UNSUPPORTED_TOOLS,
  type UnitLife,
  type UnitLogLine,
  type UnitSnapshot,
} from './simulator/index.js';
