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
