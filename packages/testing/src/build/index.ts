/** @module Building a charm: one bundle, the SQLite addon, a dispatch script and the metadata. */

export { type BuildCharmOptions, type BuiltCharm, type BundleFormat, buildCharm } from './build-charm.js';
export { BuildIncludeError, CharmBuildError } from './build-errors.js';
export { type BuildIncludes, DEFAULT_BUILD_INCLUDES, resolveBuildIncludes } from './build-includes.js';
export { DISPATCH_SCRIPT, dispatchScript } from './dispatch-script.js';
export { buildSnapshot, SNAPSHOT_BLOB, type SnapshotResult } from './snapshot.js';
