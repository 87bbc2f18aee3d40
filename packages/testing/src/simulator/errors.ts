import { CharmkitError } from '@charmkit/ops';

/** The simulator was set up or driven wrongly (unknown unit, bad option, used after close). */
export class SimulatorError extends CharmkitError {
  readonly code: string = 'CHARMKIT_SIMULATOR';
}

/** A hook kept failing past the retry cap: the charm cannot make progress, so the run stops. */
export class HookRetryLimitError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_RETRY_LIMIT';
}

/** An invariant failed and the simulator was created with `strict: true`. */
export class InvariantViolationError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_INVARIANT';
}

/**
 * What a simulated hook tool answers instead of a value: Juju's `ERROR <message>` line and exit
 * code (2 for argument errors, 1 for run-time errors). Thrown inside the simulator only; the tool
 * server prints it, the in-process backend turns it into the `HookToolError` class the real tools
 * would produce.
 */
export class ToolFailure extends CharmkitError {
  readonly code = 'CHARMKIT_SIM_TOOL_FAILURE';
  constructor(
    /** 1 (run-time error) or 2 (argument error), as Juju's tools exit. */
    readonly exitCode: 1 | 2,
    /** The message after `ERROR `. */
    message: string,
  ) {
    super(message);
  }
}
