import { isBuiltin } from 'node:module';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'charmkit-builtin';

/**
 * Bundles `import { x } from 'node:fs'` as `require('node:fs')`. An ESM import of a Node built-in
 * makes Node build a module facade that reads every export, and some exports are lazy getters:
 * `fs` loads its streams, `crypto` its webcrypto. With `require` (the bundle's banner provides one)
 * there is no facade, and the bundle reads an export only where the code uses it. Measured at about
 * 4 ms of every hook on a 2-core machine (docs/explanation/performance.md).
 */
export const requireBuiltins: Plugin = {
  name: 'charmkit-require-builtins',
  setup(build) {
    build.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      // The require() in the stub itself, and dynamic imports, stay as they are.
      if (args.namespace === NAMESPACE || args.kind !== 'import-statement') {
        return { path: args.path, external: true };
      }
      return { path: args.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
