import { CharmkitError } from '@charmkit/ops';

/** Every `code` an error thrown by `@charmkit/cli` carries (stable; match on it). */
export type CliErrorCode =
  | 'CHARMKIT_CLI_USAGE'
  | 'CHARMKIT_CLI_CHARM_DIR'
  | 'CHARMKIT_CLI_INIT'
  | 'CHARMKIT_CLI_PACK'
  | 'CHARMKIT_CLI_STATE'
  | 'CHARMKIT_CLI_SCENARIO'
  | 'CHARMKIT_CLI_ABORTED'
  | 'CHARMKIT_CLI_CHARM_NAME'
  | 'CHARMKIT_CLI_PLATFORM'
  | 'CHARMKIT_CLI_MODEL';

/**
 * The command line is wrong: an unknown option, a bad value, a missing argument, or simulate
 * settings (in `charmkit.yaml` or `--set`) of the wrong shape.
 *
 * @remedy Fix what the message names; `charmkit <command> --help` lists the options.
 */
export class UsageError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_USAGE' satisfies CliErrorCode;
}

/**
 * The charm directory does not exist, is not a directory, or has no metadata (or invalid
 * metadata).
 *
 * @remedy Point the command at a charm: a directory with `metadata.yaml`, or a `charmcraft.yaml`
 * with a `name` (`charmkit init` starts one).
 */
export class CharmDirError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_CHARM_DIR' satisfies CliErrorCode;
}

/**
 * `charmkit init` would overwrite files (a bad name is a {@link CharmNameError}).
 *
 * @remedy Choose a new directory, or empty the one named.
 */
export class InitError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_INIT' satisfies CliErrorCode;
}

/**
 * `charmkit pack` could not write the archive, its charmcraft.yaml (or platforms) is not valid, or
 * it could not fetch the bundled Node through npm or compile the SQLite addon for it.
 *
 * @remedy Fix the charmcraft.yaml the message names (it must be a YAML mapping; `platforms` a
 * mapping of platform names), or the output path. For a fetch or compile failure, the message ends
 * with the tool's output: check that npm reaches its registry, and that python3, make and a C++
 * compiler are installed.
 */
export class PackError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_PACK' satisfies CliErrorCode;
}

/**
 * `charmkit state` got a path that is not a charmkit unit-state database, or an unknown notice.
 *
 * @remedy Give the `.unit-state.db` file in the charm directory (not the directory itself), and a
 * notice sequence number that `charmkit state` lists.
 */
export class StateFileError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_STATE' satisfies CliErrorCode;
}

/**
 * `charmkit simulate` got a scenario the charm cannot run (e.g. scale-down of one unit).
 *
 * @remedy Follow the message: more units (`--units 2` or more), or a config option to change
 * (`--set option=value`).
 */
export class ScenarioError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_SCENARIO' satisfies CliErrorCode;
}

/**
 * The user answered no (or could not be asked) before a destructive step.
 *
 * @remedy Nothing changed. Pass `--yes` to skip the question (e.g. when no terminal is attached).
 */
export class AbortedError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_ABORTED' satisfies CliErrorCode;
}

/**
 * A charm's name is one Juju refuses (from `init`, or the metadata of a charm to build or pack).
 *
 * @remedy Use lowercase letters, digits and dashes, starting with a letter, with no part made of
 * digits only (`my-charm`, not `My_Charm` or `charm-2`).
 */
export class CharmNameError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_CHARM_NAME' satisfies CliErrorCode;
}

/**
 * `charmkit pack` was asked for a platform (architecture) it cannot produce on this machine, or
 * one charmcraft.yaml does not declare, or for a base whose glibc is older than the charm's Node or
 * SQLite addon needs.
 *
 * @remedy Pack on a machine of that architecture (the SQLite addon in the charm is compiled for
 * the machine that packs), or add the platform to charmcraft.yaml first. For a base, pick a newer
 * one or pack on a machine as old as the base.
 */
export class PlatformError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_PLATFORM' satisfies CliErrorCode;
}

/**
 * `charmkit simulate --model` got a model description it cannot use: not YAML, a field of the wrong
 * shape, a charm directory that does not exist, or config an application's charm does not declare.
 * (Unknown applications and endpoints in `relations` are the simulator's typed errors.)
 *
 * @remedy Fix the field the message names; the description is `juju`, `seed`, `applications`
 * (each `charm`, `units`, `config`) and `relations` (pairs of `app:endpoint`), see
 * docs/how-to/simulating-applications.md.
 */
export class ModelDescriptionError extends CharmkitError {
  readonly code = 'CHARMKIT_CLI_MODEL' satisfies CliErrorCode;
}
