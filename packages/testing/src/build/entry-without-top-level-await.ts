import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * `await main(MyCharm)` at the top of the entry becomes `main(MyCharm)`, for a CommonJS bundle,
 * which has no top-level await. `main()` handles its own errors and sets the exit code, so nothing
 * is lost by not awaiting it; when a startup snapshot is built, `main()` only registers itself to
 * run when Node starts from the snapshot.
 */
export function entryWithoutTopLevelAwait(entryPath: string): Plugin {
  return {
    name: 'charmkit-entry-without-top-level-await',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        if (args.path !== entryPath) return undefined;
        const source = readFileSync(args.path, 'utf8').replace(/^(\s*)await\s+main\(/m, '$1main(');
        return {
          contents: source,
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
          resolveDir: join(args.path, '..'),
        };
      });
    },
  };
}
