import { CharmkitError } from '@charmkit/ops';
import type { TestingErrorCode } from '../error-codes.js';

/**
 * The charm ran a command in a container that the test gave no exec handler for. It is not a
 * Pebble error on purpose: a charm that catches Pebble's errors must not swallow a gap in the test.
 *
 * @remedy Give the container an exec handler whose `command` is a prefix of the command line the
 * message shows, e.g. `execHandlers: [{ command: ['nginx', '-s'], exitCode: 0 }]`.
 */
export class MissingExecHandlerError extends CharmkitError {
  readonly code = 'CHARMKIT_MISSING_EXEC_HANDLER' satisfies TestingErrorCode;
  readonly command: readonly string[];

  constructor(container: string, command: readonly string[]) {
    super(
      `no exec handler in container ${JSON.stringify(container)} for ${JSON.stringify(command)}: ` +
        'add one to the container (execHandlers) whose command is a prefix of it',
    );
    this.command = command;
  }
}
