import { CharmkitError } from '@charmkit/ops';

/** The charm could not be built: bundling failed, the entry or metadata is missing, or the addon was not found. */
export class CharmBuildError extends CharmkitError {
  readonly code = 'CHARMKIT_CHARM_BUILD';
}

/**
 * An entry of `build.include` in charmkit.yaml is not a relative path inside the charm directory,
 * does not exist, or would overwrite what the build itself writes.
 */
export class BuildIncludeError extends CharmkitError {
  readonly code = 'CHARMKIT_BUILD_INCLUDE';
}
