import type { CharmBase } from './charm-base.js';
import type { Framework } from './framework.js';

/** Where a build writes the manifest, beside the bundle (`dist/dispatch-manifest.json`). */
export const DISPATCH_MANIFEST_FILE = 'dispatch-manifest.json';

/** Set (to the output path) when a build runs the bundle to probe it: `main()` then writes the manifest. */
export const DISPATCH_MANIFEST_ENV = 'CHARMKIT_DISPATCH_MANIFEST';

/** In the charm directory while no deferred event is pending (kept by `SqliteStorage`). */
export const QUEUE_EMPTY_MARKER = '.unit-state.db.queue-empty';

/**
 * In the charm directory once `main()` found the charm no longer matching the build's manifest:
 * from then on the unit never skips a hook. Holds the reason.
 */
export const NO_SKIP_MARKER = '.unit-state.db.no-skip';

/**
 * What a build learnt by constructing the charm once: which event kinds it observes on its `on`,
 * and whether a hook nothing observes may be skipped without starting Node (the generated
 * `dispatch` script does that while no deferred event is pending).
 */
export interface DispatchManifest {
  readonly format: 'charmkit-dispatch/1';
  /** True when hooks nothing observes may be skipped. */
  readonly skippable: boolean;
  /** Why not, when not: every reason found. */
  readonly reasons: readonly string[];
  /** Event kinds observed on the charm's `on` (`update_status`, `db_relation_changed`…), sorted. */
  readonly observed: readonly string[];
}

/**
 * Whether the charm constructed in this hook still matches the build's manifest: the same observed
 * kinds, and still nothing that runs in every hook. When it does not, the manifest's promise (a
 * hook it does not list is a no-op) may be false, and skipping must stop.
 */
export function manifestMismatch(
  manifest: DispatchManifest,
  framework: Framework,
  charm: CharmBase,
): string | null {
  if (!manifest.skippable) return null;
  const profile = framework.dispatchProfile(charm.on);
  if (profile.everyHook.length > 0) return profile.everyHook.join('; ');
  const known = new Set(manifest.observed);
  const added = profile.observedKinds.filter((kind) => !known.has(kind));
  return added.length > 0 ? `it observes ${added.join(', ')}, which the build did not see` : null;
}

/**
 * Where the packed charm's own Node keeps V8's compiled code between hooks (`NODE_COMPILE_CACHE`,
 * set by the `dispatch` script, relative to the charm directory). `main()` takes the variable out of
 * its environment: workloads the charm starts must not write into the charm directory.
 */
export const COMPILE_CACHE_DIR = '.charmkit-compile-cache';
