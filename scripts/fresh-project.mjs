// `npm run test:fresh`: what a new user does, outside this repository. Packs every @charmkit/*
// package as it would be published, installs the tarballs into an empty project in a temp dir
// (offline where the npm cache has it, which the repository's `npm ci` filled), runs
// `charmkit init --packages <tarballs>`, then in the new charm `npm install`, `tsc`, its tests and
// `charmkit pack`. Too slow for `npm test`; CI runs it. `--keep` leaves the temp dir for a look.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packAll, repoDir } from './pack-packages.mjs';

const keep = process.argv.includes('--keep');
const scratch = mkdtempSync(join(tmpdir(), 'charmkit-fresh-'));
if (!relative(repoDir, scratch).startsWith('..')) throw new Error(`${scratch} is inside the repository`);
const tarballs = join(scratch, 'tarballs');
const project = join(scratch, 'project');
const charm = join(project, 'my-charm');

// npm run exports its own settings (prefix, package fields) to scripts; a nested npm must not see them.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      !/^npm_(package|lifecycle)_/.test(key) && key !== 'npm_config_local_prefix' && key !== 'INIT_CWD',
  ),
);
const offline = ['--prefer-offline', '--no-audit', '--no-fund'];
const started = Date.now();
let step = 0;

function run(title, cwd, command, args) {
  step += 1;
  const t0 = Date.now();
  console.log(`\n[${step}] ${title}\n    $ ${[command, ...args].join(' ')}   (in ${cwd})`);
  execFileSync(command, args, { cwd, env, stdio: 'inherit' });
  console.log(`    ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

try {
  step += 1;
  console.log(`[${step}] pack every package into ${tarballs}`);
  mkdirSync(tarballs);
  const packed = packAll(tarballs);
  for (const pkg of packed) console.log(`    ${pkg.name}: ${relative(scratch, pkg.tarball)}`);

  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'fresh', private: true, type: 'module', allowScripts: { 'better-sqlite3': true, esbuild: true } }, null, 2)}\n`,
  );
  run('install the tarballs into an empty project', project, 'npm', [
    'install',
    ...offline,
    ...packed.map((pkg) => pkg.tarball),
  ]);
  run('charmkit --version (the installed, built CLI)', project, 'npx', ['charmkit', '--version']);
  // Informational (never a failure): the installed bin starts dist/, not the sources.
  const bin = join(project, 'node_modules', '@charmkit', 'cli', 'bin', 'charmkit.js');
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [bin, '--version'], { env, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `    node bin/charmkit.js --version: median ${times[2].toFixed(0)} ms of 5 (without npx's own start)`,
  );
  run('charmkit init, pointed at the tarballs', project, 'npx', [
    'charmkit',
    'init',
    'my-charm',
    '--packages',
    tarballs,
  ]);
  run("the new charm's npm install", charm, 'npm', ['install', ...offline]);
  run('the new charm type-checks', charm, 'npx', ['tsc', '--noEmit']);
  run("the new charm's tests", charm, 'npm', ['test']);
  run('charmkit pack', charm, 'npx', ['charmkit', 'pack']);
  const charms = readdirSync(charm).filter((file) => file.endsWith('.charm'));
  if (charms.length === 0) throw new Error('charmkit pack wrote no .charm');
  console.log(
    `\nfresh project: ok in ${((Date.now() - started) / 1000).toFixed(0)} s (${charms.join(', ')})`,
  );
} catch (error) {
  console.error(
    `\nfresh project: step ${step} failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
  );
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${scratch}`);
  else if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}
