/** @module Building a charm: one bundle, the SQLite addon, a dispatch script and the metadata. */

export { type BuildCharmOptions, type BuiltCharm, buildCharm } from './build-charm.js';
export { CharmBuildError } from './build-errors.js';
export { DISPATCH_SCRIPT, dispatchScript } from './dispatch-script.js';
