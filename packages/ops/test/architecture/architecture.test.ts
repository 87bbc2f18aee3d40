import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkImportRules,
  importsOf,
  loadWorkspace,
  type PackageInfo,
  type Workspace,
} from './import-rules.js';

// ARCHITECTURE.md states these rules; this is what keeps them true.
const root = resolve(import.meta.dirname, '../../../..');

describe('the import rules of ARCHITECTURE.md', () => {
  it('hold for every package and example', () => {
    const workspace = loadWorkspace(root);
    expect(workspace.packages.map((p) => p.name)).toContain('@charmkit/reactive');
    expect(workspace.files.length).toBeGreaterThan(100);
    expect(checkImportRules(workspace)).toEqual([]);
  });
});

describe('importsOf', () => {
  it('finds every form of import, and nothing in strings', () => {
    const text = [
      "import a, { b, type C } from 'one';",
      "import type { D } from 'two';",
      "import { type E } from 'three';",
      "import * as ns from 'four';",
      "import 'five';",
      "export { f as g } from 'six';",
      "export type { H } from 'seven';",
      "export * from 'eight';",
      "const lazy = () => import('nine');",
      "const req = createRequire(import.meta.url)('ten');",
      "type T = typeof import('eleven');",
      "const template = `import x from 'not-an-import';`;",
    ].join('\n');
    const found = importsOf('x.ts', text).map((r) => [r.specifier, r.typeOnly, r.names.join(',')]);
    expect(found).toEqual([
      ['one', false, 'default,b'],
      ['two', true, ''],
      ['three', true, ''],
      ['four', false, '*'],
      ['five', false, '*'],
      ['six', false, 'f'],
      ['seven', true, ''],
      ['eight', false, '*'],
      ['nine', false, '*'],
      ['ten', false, '*'],
      ['eleven', true, '*'],
    ]);
  });
});

/** A small workspace shaped like the real one; each test plants one file. */
function sample(files: Record<string, string>): Workspace {
  const pkg = (name: string, dependencies: string[], devDependencies: string[] = []): PackageInfo => ({
    dir: `packages/${name}`,
    name: `@charmkit/${name}`,
    dependencies,
    devDependencies,
    exports: name === 'ops' ? ['.', './hook-tools', './pebble', './internal'] : ['.'],
  });
  return {
    packages: [
      pkg('ops', ['better-sqlite3', 'zod']),
      pkg('testing', ['@charmkit/ops']),
      pkg('leadership', ['@charmkit/ops', 'zod'], ['@charmkit/testing', 'fast-check']),
      pkg('coordinator', ['@charmkit/ops', 'execa'], ['@charmkit/testing']),
      pkg('reactive', ['@charmkit/ops']),
    ],
    examples: [
      {
        dir: 'examples/web',
        name: '@charmkit-examples/web',
        dependencies: ['@charmkit/ops'],
        devDependencies: ['@charmkit/testing'],
        exports: ['.'],
      },
    ],
    rootDevDependencies: ['vitest'],
    files: [
      { path: 'packages/ops/src/storage/storage.ts', text: 'export interface Storage {}' },
      { path: 'packages/ops/src/storage/sqlite-storage.ts', text: "import Database from 'better-sqlite3';" },
      { path: 'packages/ops/src/hook-tools/hook-tools.ts', text: 'export class HookTools {}' },
      { path: 'packages/ops/src/hook-tools/action.ts', text: 'export function flattenActionResults() {}' },
      { path: 'packages/ops/src/model/model.ts', text: "import { Unit } from './unit.js';" },
      { path: 'packages/ops/src/model/unit.ts', text: 'export class Unit {}' },
      { path: 'packages/ops/src/framework.ts', text: "import type { Storage } from './storage/storage.js';" },
      ...Object.entries(files).map(([path, text]) => ({ path, text })),
    ],
  };
}

describe('checkImportRules on planted violations', () => {
  it('accepts a clean sample', () => {
    expect(
      checkImportRules(
        sample({
          'packages/ops/src/events/action-event.ts':
            "import { type ActionResults, flattenActionResults } from '../hook-tools/action.js';",
          'packages/leadership/src/x.ts':
            "import { CharmBase } from '@charmkit/ops';\nimport * as z from 'zod';",
          'packages/leadership/test/x.test.ts':
            "import { Context } from '@charmkit/testing';\nimport { it } from 'vitest';\nimport { x } from '../src/x.js';",
          'packages/coordinator/src/restarter.ts': "const load = () => import('execa');",
          'packages/testing/src/y.ts': "import { dispatch } from '@charmkit/ops/internal';",
          'packages/leadership/test/y.test.ts': "import { MemoryStorage } from '@charmkit/ops/internal';",
          'examples/web/test/web.test.ts': "import { Context } from '@charmkit/testing';",
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'ops importing a charmkit package',
      'packages/ops/src/x.ts',
      "import { Context } from '@charmkit/testing';",
      /may not depend on @charmkit\/testing/,
    ],
    [
      'a library importing another library',
      'packages/reactive/src/x.ts',
      "import { LeaderSettings } from '@charmkit/leadership';",
      /may not depend on @charmkit\/leadership/,
    ],
    [
      'an undeclared package in src',
      'packages/reactive/src/x.ts',
      "import * as z from 'zod';",
      /zod is not declared/,
    ],
    [
      'a devDependency used by src',
      'packages/leadership/src/x.ts',
      "import fc from 'fast-check';",
      /not declared in packages\/leadership\/package.json dependencies/,
    ],
    [
      'an undeclared charmkit package in a test',
      'packages/ops/test/x.test.ts',
      "import { Context } from '@charmkit/testing';",
      /@charmkit\/testing is not declared/,
    ],
    [
      'a subpath the package does not export',
      'packages/testing/src/x.ts',
      "import { Storage } from '@charmkit/ops/storage';",
      /exports no \.\/storage/,
    ],
    [
      'a deep import of another package by path',
      'packages/testing/src/x.ts',
      "import { Framework } from '../../ops/src/framework.js';",
      /into @charmkit\/ops; import @charmkit\/ops by name/,
    ],
    [
      "a test importing another package's src by path",
      'packages/testing/test/x.test.ts',
      "import { HookTools } from '../../ops/src/hook-tools/hook-tools.js';",
      /into @charmkit\/ops/,
    ],
    [
      'an event calling a hook tool',
      'packages/ops/src/events/hook-events.ts',
      "import { HookTools } from '../hook-tools/hook-tools.js';",
      /events never call hook tools/,
    ],
    [
      'the model importing storage (even a type)',
      'packages/ops/src/model/relation.ts',
      "import type { Storage } from '../storage/storage.js';",
      /the model never touches unit-state storage/,
    ],
    [
      'the model loading SQLite',
      'packages/ops/src/model/cache.ts',
      "import Database from 'better-sqlite3';",
      /the model never touches SQLite/,
    ],
    [
      'the model reaching storage through a helper',
      'packages/ops/src/model/secret.ts',
      "import { save } from '../helper.js';",
      /at run time it loads .*helper\.ts → \.\/storage\/sqlite-storage\.js/,
    ],
    [
      'hook tools importing the model',
      'packages/ops/src/hook-tools/relation.ts',
      "import { Model } from '../model/model.js';",
      /hook-tools\/ is the bottom layer/,
    ],
    [
      'the coordinator using the hook-tools entry point',
      'packages/coordinator/src/x.ts',
      "import { isLeader } from '@charmkit/ops/hook-tools';",
      /only through the model, not @charmkit\/ops\/hook-tools/,
    ],
    [
      'the coordinator using HookTools from the root',
      'packages/coordinator/src/x.ts',
      "import { HookTools } from '@charmkit/ops';",
      /only through the model, not HookTools/,
    ],
    [
      'the coordinator spawning a process',
      'packages/coordinator/src/x.ts',
      "import { spawnSync } from 'node:child_process';",
      /may not start processes here/,
    ],
    ['ops loading full zod', 'packages/ops/src/x.ts', "import * as z from 'zod';", /never full zod/],
    [
      'an example charm importing the testing package',
      'examples/web/src/charm.ts',
      "import { Context } from '@charmkit/testing';",
      /must not import @charmkit\/testing/,
    ],
    [
      'a charm library importing the unstable internal entry point',
      'packages/reactive/src/x.ts',
      "import { HookToolsBackend } from '@charmkit/ops/internal';",
      /is unstable and only for @charmkit\/testing and @charmkit\/cli/,
    ],
    [
      "an example's test importing the unstable internal entry point",
      'examples/web/test/web.test.ts',
      "import { MemoryStorage } from '@charmkit/ops/internal';",
      /is unstable/,
    ],
    [
      'a package importing itself by name',
      'packages/testing/src/x.ts',
      "import { Context } from '@charmkit/testing';",
      /imports itself by name/,
    ],
  ])('fails on %s', (_what, path, text, message) => {
    const files: Record<string, string> = { [path]: text };
    if (path === 'packages/ops/src/model/secret.ts') {
      files['packages/ops/src/helper.ts'] = "import { SqliteStorage } from './storage/sqlite-storage.js';";
    }
    const violations = checkImportRules(sample(files));
    expect(violations).toContainEqual(expect.stringMatching(message));
    // Nothing else in the sample is reported: only the planted line.
    for (const violation of violations) expect(violation.startsWith(`${path}:1: `)).toBe(true);
  });
});
