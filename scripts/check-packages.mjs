// `npm run check:packages`: builds and packs every @charmkit/* package as it would be published,
// then checks each tarball: it holds dist/ with .d.ts, README.md and LICENSE; publint finds nothing
// wrong with its package.json; and @arethetypeswrong/cli resolves its types (ESM only, so the
// esm-only profile: CommonJS consumers are not supported and not reported).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, repoDir } from './pack-packages.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'charmkit-check-packages-'));
const failures = [];

function run(label, command, args) {
  try {
    execFileSync(command, args, { cwd: repoDir, stdio: 'inherit' });
  } catch {
    failures.push(label);
  }
}

try {
  const packed = packAll(scratch);
  for (const pkg of packed) {
    console.log(`\n== ${pkg.name} (${pkg.files.length} files)`);
    const required = ['README.md', 'LICENSE', 'package.json'];
    const missing = required.filter((file) => !pkg.files.includes(file));
    if (!pkg.files.some((file) => file.startsWith('dist/') && file.endsWith('.js')))
      missing.push('dist/*.js');
    if (!pkg.files.some((file) => file.startsWith('dist/') && file.endsWith('.d.ts')))
      missing.push('dist/*.d.ts');
    // tsc -b never deletes output: a dist file whose source is gone would ship unnoticed.
    const sources = new Set(pkg.files.filter((file) => file.startsWith('src/')));
    const stale = pkg.files.filter(
      (file) =>
        file.startsWith('dist/') &&
        file.endsWith('.js') &&
        !sources.has(file.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')),
    );
    if (stale.length > 0) {
      console.error(
        `${pkg.name}: dist/ has output without a source (${stale.join(', ')}); rm -rf dist *.tsbuildinfo and build`,
      );
      failures.push(`${pkg.name}: stale dist`);
    }
    if (missing.length > 0) {
      console.error(`${pkg.name}: the tarball lacks ${missing.join(', ')}`);
      failures.push(`${pkg.name}: contents`);
    }
    run(`${pkg.name}: publint`, 'npx', ['publint', 'run', pkg.tarball, '--strict']);
    run(`${pkg.name}: attw`, 'npx', [
      'attw',
      pkg.tarball,
      '--profile',
      'esm-only',
      '--no-emoji',
      '--no-color',
    ]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\ncheck:packages failed:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log(
    '\ncheck:packages: every package packs with dist/, types, README and LICENSE; publint and attw pass',
  );
}
