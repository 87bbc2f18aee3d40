/**
 * The `charmkit` command (init, typegen, build, pack, simulate, state), usable from code as well.
 *
 * @module @charmkit/cli
 */
export { type BuildProjectOptions, buildProject } from './build-project.js';
export { checkCharmName, isValidCharmName } from './charm-name.js';
export { type CharmProject, openCharmProject, splitUnifiedMetadata } from './charm-project.js';
export { type BuildCommandOptions, buildCommand } from './commands/build.js';
export { type InitCommandOptions, initCommand } from './commands/init.js';
export { type PackCommandOptions, type PackResult, packCommand } from './commands/pack.js';
export { type SimulateCommandOptions, simulateCommand } from './commands/simulate.js';
export { type SimulateModelCommandOptions, simulateModelCommand } from './commands/simulate-model.js';
export { type StateCommandOptions, stateCommand } from './commands/state.js';
export { type TypegenCommandOptions, typegenCommand } from './commands/typegen.js';
export {
  AbortedError,
  CharmDirError,
  CharmNameError,
  type CliErrorCode,
  InitError,
  ModelDescriptionError,
  PackError,
  PlatformError,
  ScenarioError,
  StateFileError,
  UsageError,
} from './errors.js';
export type { CliIo } from './io.js';
export { createProgram, runCli } from './main.js';
export {
  type ModelApplicationDescription,
  type ModelDescription,
  type ModelExecStandIn,
  readModelDescription,
} from './simulate/model-description.js';
export type { ModelApplicationSummary, ModelSimulationSummary } from './simulate/model-summary.js';
export { SCENARIOS, type ScenarioName } from './simulate/scenarios.js';
export type { SimulationSummary } from './simulate/simulation-summary.js';
export { type NoticeReport, readUnitState, type UnitStateReport } from './state/unit-state-report.js';
export { generateTypes, typesName } from './typegen/generate-types.js';
