import { CharmkitError } from '@charmkit/ops';

/** The command line is wrong: an unknown option, a bad value, a missing argument. */
export class UsageError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_USAGE';
}

/** The charm directory does not exist, is not a directory, or has no metadata. */
export class CharmDirError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_CHARM_DIR';
}

/** `charmkit init` would overwrite files (a bad name is a {@link CharmNameError}). */
export class InitError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_INIT';
}

/** `charmkit pack` could not write the archive or its charmcraft.yaml. */
export class PackError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_PACK';
}

/** `charmkit state` got a path that is not a charmkit unit-state database, or an unknown notice. */
export class StateFileError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_STATE';
}

/** `charmkit simulate` got a scenario the charm cannot run (e.g. scale-down of one unit). */
export class ScenarioError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_SCENARIO';
}

/** The user answered no (or could not be asked) before a destructive step. */
export class AbortedError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_ABORTED';
}

/** A charm's name is one Juju refuses (from `init`, or the metadata of a charm to build or pack). */
export class CharmNameError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_CHARM_NAME';
}

/** `charmkit pack` was asked for a platform (architecture) it cannot produce on this machine. */
export class PlatformError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_PLATFORM';
}
