#!/usr/bin/env node
// `npm run bench [-- --quick]`: bundles the benchmark (TypeScript, workspace packages from their
// sources) with esbuild, then runs it. npm dependencies stay external and load from node_modules.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'dist', 'bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['@charmkit/source'],
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@charmkit') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
await import(pathToFileURL(outfile).href);
