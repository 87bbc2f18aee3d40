import { CharmkitError } from '@charmkit/ops';
import type { TestingErrorCode } from '../error-codes.js';

/**
 * The simulator was set up or driven wrongly (unknown unit, bad option, used after close).
 *
 * @remedy Fix the call the message names (a unit that exists, a valid option, a simulator not yet
 * closed).
 */
export class SimulatorError extends CharmkitError {
  readonly code: TestingErrorCode = 'CHARMKIT_SIMULATOR';
}

/**
 * A hook kept failing past the retry cap: the charm cannot make progress, so the run stops.
 *
 * @remedy The charm fails the same hook again and again: the trace has the hook's error; fix the
 * charm, or raise the retry cap only if retrying is how it makes progress.
 */
export class HookRetryLimitError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_RETRY_LIMIT' satisfies TestingErrorCode;
}

/**
 * An invariant failed and the simulator was created with `strict: true`.
 *
 * @remedy A checked property broke: the message and the trace name the hook; fix the charm (or the
 * invariant).
 */
export class InvariantViolationError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_INVARIANT' satisfies TestingErrorCode;
}

/**
 * What a simulated hook tool answers instead of a value: Juju's `ERROR <message>` line and exit
 * code (2 for argument errors, 1 for run-time errors). Thrown inside the simulator only; the tool
 * server prints it, the in-process backend turns it into the `HookToolError` class the real tools
 * would produce.
 *
 * @remedy Internal to the simulator: it becomes the tool's stderr and exit code, or the production
 * error class; charms meet a `HookToolError` instead.
 */
export class ToolFailure extends CharmkitError {
  readonly code = 'CHARMKIT_SIM_TOOL_FAILURE' satisfies TestingErrorCode;
  constructor(
    /** 1 (run-time error) or 2 (argument error), as Juju's tools exit. */
    readonly exitCode: 1 | 2,
    /** The message after `ERROR `. */
    message: string,
  ) {
    super(message);
  }
}
