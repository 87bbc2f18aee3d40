import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildIncludeError, DEFAULT_BUILD_INCLUDES, resolveBuildIncludes } from '../../src/build/index.js';

const root = mkdtempSync(join(tmpdir(), 'charmkit-includes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A charm directory with `files` in it and charmkit.yaml's text `yaml` (none when null). */
function charm(yaml: string | null, files: Record<string, string> = {}): string {
  const dir = join(root, `charm-${n++}`);
  mkdirSync(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (yaml !== null) writeFileSync(join(dir, 'charmkit.yaml'), yaml);
  return dir;
}

const includes = (dir: string) => resolveBuildIncludes(dir, join(dir, 'build'));

describe('what a build copies besides the bundle and metadata', () => {
  it('copies the default folders that exist, nothing else, without charmkit.yaml', () => {
    expect(DEFAULT_BUILD_INCLUDES).toEqual(['charmkit.yaml', 'reactive', 'templates', 'files']);
    const dir = charm(null, { 'templates/a.conf': 'x', 'scripts/b.sh': 'y' });
    expect(includes(dir)).toEqual({ paths: ['templates'], declared: [] });
  });

  it('adds what build.include lists, after the defaults and each once', () => {
    const dir = charm('build:\n  include: [scripts, docs/NOTICE, ./templates]\n', {
      'templates/a.conf': 'x',
      'scripts/b.sh': 'y',
      'docs/NOTICE': 'z',
    });
    expect(includes(dir).paths).toEqual(['charmkit.yaml', 'templates', 'scripts', 'docs/NOTICE']);
  });

  it.each([
    ['build: [scripts]\n', 'build must be a mapping'],
    ['build:\n  includes: [scripts]\n', 'unknown key "includes"'],
    ['build:\n  include: scripts\n', 'build.include must be a list'],
    ['build:\n  include: [""]\n', 'build.include[0] must be a non-empty path'],
    ['build:\n  include: [/etc/passwd]\n', 'is absolute'],
    ['build:\n  include: [../elsewhere]\n', 'is not inside the charm directory'],
    ['build:\n  include: ["."]\n', 'is not inside the charm directory'],
    ['build:\n  include: [missing]\n', 'does not exist'],
    ['build:\n  include: [dist]\n', 'would replace dist'],
    ['build:\n  include: [out]\n', 'contains the output directory'],
  ])('refuses %j with a typed error naming the entry', (yaml, message) => {
    const dir = charm(yaml, { 'dist/x.js': '', 'out/build/y': '' });
    const resolve = () => resolveBuildIncludes(dir, join(dir, 'out', 'build'));
    expect(resolve).toThrow(BuildIncludeError);
    expect(resolve).toThrow(message);
    try {
      resolve();
    } catch (error) {
      expect((error as BuildIncludeError).code).toBe('CHARMKIT_BUILD_INCLUDE');
    }
  });

  it('refuses a symlink that leads out of the charm directory', () => {
    const dir = charm('build:\n  include: [secrets]\n');
    symlinkSync(root, join(dir, 'secrets'));
    expect(() => includes(dir)).toThrow(/leads outside the charm directory/);
  });
});
