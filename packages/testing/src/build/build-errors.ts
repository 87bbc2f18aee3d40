import { CharmkitError } from '@charmkit/ops';

/** The charm could not be built: bundling failed, the entry or metadata is missing, or the addon was not found. */
export class CharmBuildError extends CharmkitError {
  readonly code = 'CHARMKIT_CHARM_BUILD';
}
