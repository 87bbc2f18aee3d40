import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  PAGE,
  type PackageSources,
  readPackages,
  renderErrorReference,
} from '../../../../scripts/error-codes.mjs';

const root = resolve(import.meta.dirname, '../../../..');
const none = { notCharmkitError: {}, pending: {} };

describe('docs/reference/errors.md', () => {
  const model = buildModel(readPackages(root));

  it('every error class follows the rules (typed code in its union, doc comment, remedy, thrown)', () => {
    expect(model.problems).toEqual([]);
  });

  it('is up to date: run `npm run docs:errors` after changing an error class', () => {
    expect(readFileSync(join(root, PAGE), 'utf8')).toBe(renderErrorReference(model));
  });

  it('covers every package that throws', () => {
    expect(model.sections.map((s) => s.package.name)).toEqual([
      '@charmkit/ops',
      '@charmkit/testing',
      '@charmkit/leadership',
      '@charmkit/coordinator',
      '@charmkit/reactive',
      '@charmkit/interfaces',
      '@charmkit/cli',
    ]);
  });
});

/** One package `demo` with an entry point and the given files under src/. */
function demo(files: Record<string, string>): PackageSources[] {
  return [
    {
      shortName: 'demo',
      name: '@charmkit/demo',
      dir: 'packages/demo',
      entries: { '.': 'packages/demo/src/index.ts' },
      files: [
        { path: 'packages/demo/src/index.ts', text: "export { DemoError } from './errors.js';" },
        ...Object.entries(files).map(([name, text]) => ({ path: `packages/demo/src/${name}`, text })),
      ],
    },
  ];
}

const goodErrors = `
import { CharmkitError } from '@charmkit/ops';
export type DemoErrorCode = 'CHARMKIT_DEMO' | 'CHARMKIT_DEMO_SUB';
/**
 * The demo went wrong, see {@link DemoSubError}.
 *
 * @remedy Do it right.
 */
export class DemoError extends CharmkitError {
  readonly code: DemoErrorCode = 'CHARMKIT_DEMO';
}
/**
 * A sub-case.
 *
 * @remedy Do it righter.
 */
export class DemoSubError extends DemoError {
  override readonly code = 'CHARMKIT_DEMO_SUB';
}
`;
const thrower =
  "import { DemoSubError } from './errors.js';\nexport function f() { throw new DemoSubError('x'); }";

describe('the error-code rules', () => {
  it('accept a clean package and render it', () => {
    const model = buildModel(demo({ 'errors.ts': goodErrors, 'use.ts': thrower }), none);
    expect(model.problems).toEqual([]);
    const page = renderErrorReference(model);
    expect(page).toContain('| `CHARMKIT_DEMO_SUB` | `DemoSubError` | `@charmkit/demo` |');
    expect(page).toContain('**When:** The demo went wrong, see `DemoSubError`.');
    expect(page).toContain('**What to do:** Do it righter.');
    expect(page).toContain('`DemoSubError` (a `DemoError`), not exported (internal).');
    expect(page).toContain('`DemoError`, from `@charmkit/demo`.');
  });

  it.each([
    ['no remedy', goodErrors.replace(' * @remedy Do it righter.\n', ''), /DemoSubError has no @remedy tag/],
    [
      'no doc comment',
      goodErrors.replace('/**\n * A sub-case.\n *\n * @remedy Do it righter.\n */\n', ''),
      /DemoSubError has no doc comment/,
    ],
    [
      'a code outside the union',
      goodErrors.replace("'CHARMKIT_DEMO_SUB';\n}", "'CHARMKIT_DEMO_SBU';\n}"),
      /CHARMKIT_DEMO_SBU is not in DemoErrorCode/,
    ],
    [
      'a union member no class carries',
      goodErrors.replace("'CHARMKIT_DEMO_SUB';", "'CHARMKIT_DEMO_SUB' | 'CHARMKIT_DEMO_OLD';"),
      /DemoErrorCode lists CHARMKIT_DEMO_OLD, which no class carries/,
    ],
    [
      'a code typed as string',
      goodErrors.replace('code: DemoErrorCode', 'code: string'),
      /DemoError declares its code without `satisfies DemoErrorCode`/,
    ],
    [
      'a class with no code of its own',
      goodErrors.replace("  override readonly code = 'CHARMKIT_DEMO_SUB';\n", ''),
      /DemoSubError has no code of its own/,
    ],
    [
      'two classes with one code',
      goodErrors.replace("'CHARMKIT_DEMO_SUB';\n}", "'CHARMKIT_DEMO';\n}"),
      /CHARMKIT_DEMO is already the code of DemoError/,
    ],
    [
      'an error extending Error',
      `${goodErrors}\n/** x\n * @remedy y */\nexport class PlainError extends Error {}`,
      /PlainError extends Error, not CharmkitError/,
    ],
    [
      'a class nothing throws',
      `${goodErrors}\n/** x\n * @remedy y */\nexport class DeadError extends CharmkitError {\n  readonly code = 'CHARMKIT_DEMO_DEAD' satisfies DemoErrorCode;\n}`,
      /DeadError is never thrown/,
    ],
  ])('report %s', (_what, errors, message) => {
    const model = buildModel(demo({ 'errors.ts': errors, 'use.ts': thrower }), none);
    expect(model.problems).toContainEqual(expect.stringMatching(message));
  });

  it('report a missing union', () => {
    const model = buildModel(
      demo({ 'errors.ts': goodErrors.replace('DemoErrorCode =', 'OtherErrorCode ='), 'use.ts': thrower }),
      none,
    );
    expect(model.problems).toContainEqual(expect.stringMatching(/no DemoErrorCode union/));
  });

  it('report exceptions that no longer apply, so the list only shrinks', () => {
    const model = buildModel(demo({ 'errors.ts': goodErrors, 'use.ts': thrower }), {
      notCharmkitError: { GoneSignal: 'packages/demo/src/x.ts' },
      pending: { DemoSubError: ['remedy'], GoneError: ['typed'] },
    });
    expect(model.problems).toEqual([
      expect.stringMatching(/DemoSubError now meets "remedy"/),
      expect.stringMatching(/GoneSignal is no longer a plain Error/),
      expect.stringMatching(/GoneError no longer exists/),
    ]);
  });
});
