import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run docs` documents every package under its package name: one typedoc entry point per
// export subpath, named by its `@module` tag. Subpaths for sibling packages only (unstable) are not
// documented for charm authors.
const UNDOCUMENTED_SUBPATHS = new Set(['./internal', './package.json']);

const root = resolve(import.meta.dirname, '../../../..');
const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[];
  out: string;
  validation: Record<string, boolean>;
  treatWarningsAsErrors: boolean;
};

/** Every documented export subpath: its module name and source file. */
function expectedEntries(): { module: string; file: string }[] {
  const entries: { module: string; file: string }[] = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, string | Record<string, string>>;
    };
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (UNDOCUMENTED_SUBPATHS.has(subpath) || typeof target === 'string') continue;
      const source = target['@charmkit/source'];
      if (!source) continue;
      entries.push({
        module: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
        file: join('packages', name, source),
      });
    }
  }
  return entries;
}

describe('the API reference (typedoc.json)', () => {
  const expected = expectedEntries();

  it('has one entry point per export subpath of every package', () => {
    expect(expected.map((e) => e.module)).toContain('@charmkit/reactive');
    expect([...typedoc.entryPoints].sort()).toEqual(expected.map((e) => e.file).sort());
  });

  it.each(expected)('names $file $module with its @module tag', ({ module, file }) => {
    const text = readFileSync(join(root, file), 'utf8');
    const header = /^\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
    // TypeDoc renames a module only when the tag holds the name alone, on its line.
    expect(header).toMatch(new RegExp(`\\n \\* @module ${module.replace(/[/.]/g, '\\$&')}\\n`));
  });

  it('validates links and fails on warnings, into a git-ignored folder', () => {
    expect(typedoc.validation.invalidLink).toBe(true);
    expect(typedoc.validation.notExported).toBe(true);
    expect(typedoc.treatWarningsAsErrors).toBe(true);
    const ignored = readFileSync(join(root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${typedoc.out}/`);
  });
});
