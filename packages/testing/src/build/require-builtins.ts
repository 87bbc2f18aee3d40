import { createRequire, isBuiltin } from 'node:module';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'charmkit-builtin';

const requireHere = createRequire(import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// Names a built-in may export that cannot be a variable's name.
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(
    ' ',
  ),
);

/**
 * An ES module standing for the built-in `name`: it `require`s the built-in once and exports each
 * of its properties through a call marked pure, so esbuild keeps only the exports the charm uses
 * and the bundle reads no other property. A CommonJS stub (`module.exports = require(…)`) would
 * make esbuild wrap it in `__toESM`, which defines a getter for every export of `fs` or `path` on
 * each import: about 2 ms of every hook (docs/explanation/performance.md).
 */
export function builtinStub(name: string, builtin: object = requireHere(name) as object): string {
  const exported = Object.keys(builtin).filter(
    (key) => IDENTIFIER.test(key) && !RESERVED.has(key) && !key.startsWith('__charmkit'),
  );
  // The stub's own names start with `__charmkit`, so no export (`http.get`…) can clash with them.
  const lines = [
    `const __charmkitBuiltin = require(${JSON.stringify(name)});`,
    'const __charmkitRead = (key) => __charmkitBuiltin[key];',
    'export default __charmkitBuiltin;',
  ];
  for (const key of exported) {
    lines.push(`export const ${key} = /* @__PURE__ */ __charmkitRead(${JSON.stringify(key)});`);
  }
  return `${lines.join('\n')}\n`;
}

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
      contents: builtinStub(args.path),
      loader: 'js',
    }));
  },
};
