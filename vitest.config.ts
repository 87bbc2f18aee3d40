import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per package and example; tests run from the TypeScript sources through the
// `@charmkit/source` export condition, so nothing has to be built first.
const projectDirs = ['packages', 'examples'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(`${group}/${d.name}/test`))
        .map((d) => `${group}/${d.name}`)
    : [],
);

export default defineConfig({
  ssr: { resolve: { conditions: ['@charmkit/source'] } },
  resolve: { conditions: ['@charmkit/source'] },
  test: {
    // CI is a 2-core machine that may be loaded (a load average of 10 has been seen): most tests
    // spawn hook-tool processes, and a slow spawn must not fail a correct test. Tests that build
    // or run whole charms set longer, explicit timeouts of their own. No test asserts wall time.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    projects: projectDirs.map((root) => ({
      extends: true,
      test: {
        name: root.split('/')[1] ?? root,
        root,
        include: ['test/**/*.test.ts'],
        typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: '../../tsconfig.check.json' },
      },
    })),
  },
});
