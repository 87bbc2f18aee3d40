import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../../..');

/**
 * Juju 4 no longer writes `private-address` into relation data: code that reads it breaks there.
 * The framework, the libraries and the examples must not mention it, except where it is not
 * relation data: `unit-get private-address` is a different tool (still in Juju 4), and doc
 * comments that say which keys Juju writes or that it is gone.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'packages/ops/src/hook-tools/unit-get.ts': 'the unit-get setting, not relation data',
  'packages/ops/src/hook-tools/hook-tools.ts': "unitGet's doc comment",
  'packages/ops/src/model/relation.ts': 'a doc comment listing the keys Juju writes on 3.6',
  'packages/ops/src/hook-tools/errors.ts': "RemovedInJuju4Error's remedy, which says not to read it",
};

const SCANNED = [
  'packages/ops/src',
  'packages/leadership/src',
  'packages/coordinator/src',
  'packages/reactive/src',
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(?:[cm]?[jt]s|py|sh|ya?ml)$/.test(name)) out.push(path);
  }
  return out;
}

describe('private-address (gone from relation data in Juju 4)', () => {
  it('is read nowhere in the framework, the libraries or the examples', () => {
    const examples = readdirSync(join(root, 'examples')).flatMap((name) => {
      const dir = join(root, 'examples', name);
      return statSync(dir).isDirectory()
        ? readdirSync(dir)
            .filter((entry) => entry !== 'test' && entry !== 'node_modules' && entry !== 'dist')
            .map((entry) => join(dir, entry))
        : [];
    });
    const files = [...SCANNED.map((dir) => join(root, dir)), ...examples].flatMap((path) =>
      statSync(path).isDirectory() ? sourceFiles(path) : [path],
    );
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .map((file) => relative(root, file))
      .filter((file) => !(file in ALLOWED))
      .filter((file) => /private[-_]address|privateAddress/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
