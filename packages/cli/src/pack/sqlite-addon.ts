import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PackError } from '../errors.js';
import { withCacheLock } from './cache-lock.js';
import type { NodeRuntime } from './node-runtime.js';
import { runTool, whichTool } from './run-tool.js';

/** The better-sqlite3 addon compiled for one Node runtime. */
export interface SqliteAddon {
  /** The compiled `better_sqlite3.node` (in the cache). */
  readonly path: string;
  /** better-sqlite3's version (its sources were compiled). */
  readonly version: string;
}

/** better-sqlite3's package directory: the charm's own dependency first, else charmkit's. */
function betterSqliteDir(charmDir: string): string {
  const attempts = [
    () => createRequire(join(charmDir, 'package.json')).resolve('better-sqlite3/package.json'),
    () =>
      createRequire(createRequire(import.meta.url).resolve('@charmkit/ops/package.json')).resolve(
        'better-sqlite3/package.json',
      ),
    () => createRequire(import.meta.url).resolve('better-sqlite3/package.json'),
  ];
  for (const attempt of attempts) {
    try {
      return dirname(attempt());
    } catch {
      // try the next place
    }
  }
  throw new PackError(
    'cannot find the better-sqlite3 package (a dependency of @charmkit/ops): run npm install',
  );
}

/**
 * node-gyp's script: `$npm_config_node_gyp` (set when run by npm), a node-gyp installed beside
 * charmkit, or the copy inside the npm that is on PATH or beside this Node.
 */
function findNodeGyp(): string {
  const candidates: string[] = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed beside charmkit
  }
  const npm = whichTool('npm');
  if (npm) {
    // …/lib/node_modules/npm/bin/npm-cli.js once the bin link is resolved.
    candidates.push(join(dirname(realpathSync(npm)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new PackError(
      'cannot find node-gyp to compile the SQLite addon for the bundled Node: install npm (it ships node-gyp) or `npm install -D node-gyp`',
    );
  }
  return found;
}

/**
 * better-sqlite3 compiled against the bundled Node's headers (`node-gyp rebuild --nodedir`, from a
 * copy of the installed package's sources: nothing is downloaded), so its ABI matches the Node in
 * the charm rather than the Node running charmkit. Cached by (better-sqlite3 version, Node
 * version, architecture); compiling takes a minute or two, once. Needs python3, make and a C++
 * compiler; the addon links against this machine's glibc (the base check reads which).
 *
 * @throws {PackError} no better-sqlite3 sources, no node-gyp, or the compilation failed.
 */
export async function obtainSqliteAddon(
  runtime: NodeRuntime,
  charmDir: string,
  cacheDir: string,
): Promise<SqliteAddon> {
  const source = betterSqliteDir(charmDir);
  const version = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string })
    .version;
  const dir = join(
    cacheDir,
    'addon',
    `better-sqlite3-${version}-node-${runtime.version}-${runtime.architecture}`,
  );
  const path = join(dir, 'better_sqlite3.node');
  if (existsSync(path)) return { path, version };
  if (!existsSync(join(source, 'binding.gyp'))) {
    throw new PackError(`${source} has no binding.gyp: cannot compile better-sqlite3 from it`);
  }
  mkdirSync(join(cacheDir, 'addon'), { recursive: true });
  await withCacheLock(
    `${dir}.lock`,
    () => existsSync(path),
    () => compile(source, version, runtime, cacheDir, dir),
  );
  return { path, version };
}

async function compile(
  source: string,
  version: string,
  runtime: NodeRuntime,
  cacheDir: string,
  dir: string,
): Promise<void> {
  const work = mkdtempSync(join(cacheDir, 'addon', '.build-'));
  try {
    const copy = join(work, 'better-sqlite3');
    // The sources only: the installed build/ is for the Node that ran npm install.
    cpSync(source, copy, {
      recursive: true,
      filter: (from) => !['build', 'node_modules'].includes(basename(from)) || dirname(from) !== source,
    });
    await runTool(
      process.execPath,
      [findNodeGyp(), 'rebuild', '--release', `--nodedir=${runtime.dir}`, `--jobs=${availableParallelism()}`],
      {
        cwd: copy,
        what: `compiling better-sqlite3 ${version} for Node ${runtime.version}`,
        env: withoutNpmConfig(process.env),
      },
    );
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const strip = whichTool('strip');
    if (strip)
      await runTool(strip, ['--strip-unneeded', built], { cwd: copy, what: 'stripping the SQLite addon' });
    mkdirSync(join(work, 'out'));
    copyFileSync(built, join(work, 'out', 'better_sqlite3.node'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(work, 'out'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The environment without npm's `npm_config_*` variables. Run under `npm test` or `npx`, they carry
 * the user's npm config, and node-gyp lets them win over its own flags: an `.npmrc` with
 * `nodedir=/usr` (common where headers cannot be downloaded) compiled the addon for the Node
 * running charmkit instead of the bundled one.
 */
export function withoutNpmConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_/i.test(key)));
}
