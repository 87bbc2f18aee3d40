// Packs every @charmkit/* package into one directory with `npm pack` (whose prepack builds the
// package), the way they would be published. Shared by check-packages.mjs and fresh-project.mjs.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('..', import.meta.url));

/** The publishable packages: packages/<dir> with their names. */
export function charmkitPackages() {
  return readdirSync(join(repoDir, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(repoDir, 'packages', entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { dir, name: manifest.name, version: manifest.version, private: manifest.private === true };
    })
    .filter((pkg) => !pkg.private);
}

/** Packs every package into `destination`; returns [{ name, tarball }] (absolute tarball paths). */
export function packAll(destination) {
  // One build first, so each prepack only confirms it is up to date.
  execFileSync('npx', ['tsc', '-b'], { cwd: repoDir, stdio: 'inherit' });
  return charmkitPackages().map((pkg) => {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: pkg.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [info] = JSON.parse(out);
    return { ...pkg, tarball: join(destination, info.filename), files: info.files.map((f) => f.path) };
  });
}
