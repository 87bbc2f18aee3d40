/**
 * @module The multi-unit Juju simulator: one application of N units, Juju's hook ordering,
 * seeded scheduling and fault injection, invariants and a trace; hooks run in process or as the
 * built charm's real processes.
 */

export {
  HookRetryLimitError,
  InvariantViolationError,
  SimulatorError,
  ToolFailure,
} from './errors.js';
export type { FaultOptions, ScheduledFault } from './faults.js';
export { goJson, type OutputFormat, type ToolValue } from './go-format.js';
export type { HookKind, WorkloadHookTarget } from './hook-queue.js';
export type { HookOutcome } from './hook-runner.js';
export type { HookFault, ToolCallRecord } from './hook-session.js';
export type { InvariantCheck, InvariantViolation } from './invariants.js';
export {
  type LifecycleOptions,
  type LifecyclePhase,
  type LifecyclePhaseName,
  runLifecycle,
} from './lifecycle.js';
export { RelationMismatchError, UnknownApplicationError, UnknownEndpointError } from './model-errors.js';
export {
  type ModelRelationEnd,
  type ModelRelationSpec,
  type ResolvedModelRelation,
  resolveModelRelation,
} from './model-relation.js';
export {
  type ModelApplicationOptions,
  type ModelRelationInfo,
  type ModelSettleResult,
  ModelSimulator,
  type ModelSimulatorOptions,
  type ModelSnapshot,
  type ModelStuckHook,
} from './model-simulator.js';
export {
  type SimSecretAddOptions,
  type SimSecretConsumer,
  type SimSecretEvent,
  type SimSecretGrant,
  type SimSecretListener,
  type SimSecretMetadata,
  type SimSecretOwner,
  type SimSecretRecord,
  SimSecretStore,
} from './secret-store.js';
export { SeededRandom } from './seeded-random.js';
export { ActionRejectedError, type SimActionResult } from './sim-actions.js';
export { SimulatedBackend } from './sim-backend.js';
export { type ContainerSnapshot, type SimContainerOptions, UnknownContainerError } from './sim-containers.js';
export {
  type HookFaultRequest,
  type InProcessSimulatorOptions,
  type ProcessSimulatorOptions,
  type SettleOptions,
  type SettleResult,
  type SimStats,
  Simulator,
  type SimulatorBaseOptions,
  type SimulatorOptions,
  type StuckHook,
} from './simulator.js';
export type { RelationSnapshot, SimSnapshot, UnitSnapshot } from './snapshot.js';
export type { ToolClientKind } from './tool-client.js';
export { SIMULATED_TOOL_NAMES, UNSUPPORTED_TOOLS } from './tool-commands.js';
export {
  type EventRecord,
  type HookRecord,
  SimTrace,
  type TraceEntry,
  type TraceFormatOptions,
} from './trace.js';
export type { OpenedPortEntry, StatusValue, UnitLife, UnitLogLine } from './unit-record.js';
export { DEFAULT_SIMULATED_JUJU_VERSION, type RemoteAppSpec, resolveJujuVersion } from './world.js';
