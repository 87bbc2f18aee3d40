import { CharmkitError } from '@charmkit/ops';
import type { TestingErrorCode } from '../error-codes.js';

/**
 * The charm could not be built: bundling failed, the entry or metadata is missing, or the addon was
 * not found.
 *
 * @remedy Fix what the message names: the entry file (`src/charm.ts` by default), the metadata
 * (`metadata.yaml` or a `charmcraft.yaml` with a name), the bundling error esbuild reported, or run
 * `npm ci` so better-sqlite3's install script builds its addon.
 */
export class CharmBuildError extends CharmkitError {
  readonly code = 'CHARMKIT_CHARM_BUILD' satisfies TestingErrorCode;
}

/**
 * An entry of `build.include` in charmkit.yaml is not a relative path inside the charm directory,
 * does not exist, or would overwrite what the build itself writes.
 *
 * @remedy List files or folders inside the charm directory, relative to it (`build: { include:
 * [scripts] }`), that exist, do not lead outside it through a symlink, and are not `dist/` or
 * another path the build writes.
 */
export class BuildIncludeError extends CharmkitError {
  readonly code = 'CHARMKIT_BUILD_INCLUDE' satisfies TestingErrorCode;
}
