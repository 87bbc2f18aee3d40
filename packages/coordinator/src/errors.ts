import { CharmkitError } from '@charmkit/ops';

/** The coordinator's options (in code or in `charmkit.yaml`) are wrong. */
export class CoordinatorConfigError extends CharmkitError {
  readonly code = 'CHARMKIT_COORDINATOR_CONFIG';
}

/** Lock data in a databag is not what this coordinator writes. */
export class CoordinatorDataError extends CharmkitError {
  readonly code = 'CHARMKIT_COORDINATOR_DATA';
}

/** A restart command or Pebble call failed. */
export class RestartError extends CharmkitError {
  readonly code = 'CHARMKIT_RESTART';
}
