import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { buildSnapshot, dispatchScript, SNAPSHOT_BLOB } from '@charmkit/testing';
import { buildProject, formatBytes } from '../build-project.js';
import { checkCharmName } from '../charm-name.js';
import { openCharmProject } from '../charm-project.js';
import { displayPath } from '../display-path.js';
import { PackError } from '../errors.js';
import type { CliIo } from '../io.js';
import { charmkitCacheDir } from '../pack/cache-dir.js';
import { collectFiles, zipEntries } from '../pack/charm-archive.js';
import { compareGlibc, ELF_MACHINE_OF, readElf } from '../pack/elf.js';
import {
  type CharmBaseSpec,
  hostBase,
  jujuArchitecture,
  legacyHookScript,
  manifestYaml,
} from '../pack/manifest.js';
import { deflatedNode, obtainNodeRuntime } from '../pack/node-runtime.js';
import { choosePlatform, declaredPlatforms } from '../pack/platforms.js';
import { obtainSqliteAddon } from '../pack/sqlite-addon.js';
import { checkBaseGlibc, parseUbuntuBase, UBUNTU_GLIBC } from '../pack/ubuntu-bases.js';
import { CLI_VERSION } from '../version.js';

/** Options of `charmkit pack`. */
export interface PackCommandOptions {
  /** Where the `.charm` goes (default: the charm directory). */
  readonly out?: string;
  /** `ubuntu@24.04` (default: this machine's Ubuntu release when it is a known base, else 24.04). */
  readonly base?: string;
  /** The module that calls `main()`, relative to the charm directory (default `src/charm.ts`). */
  readonly entry?: string;
  /**
   * The one platform (architecture) to pack, when charmcraft.yaml declares several; it must be
   * declared and be this machine's. Default: every declared platform, which must all be this one.
   */
  readonly platform?: string;
  /**
   * Start hooks from a V8 startup snapshot built by the charm's own Node (default false; the
   * `dispatch` script falls back to the plain bundle if Node refuses it). Off by default because on
   * the bundled Node 24 the compile cache alone starts a hook sooner than the snapshot does
   * (docs/explanation/performance.md). A charm whose module-level code must run in every hook
   * must not use it: with a snapshot it runs once, at pack time.
   */
  readonly startupSnapshot?: boolean;
}

/** What `charmkit pack` produced. */
export interface PackResult {
  /** `<out>/<name>_<base>-<arch>.charm`, e.g. `hello_ubuntu@24.04-amd64.charm`. */
  readonly charmFile: string;
  /** The paths inside the `.charm`, sorted. */
  readonly files: readonly string[];
  /** Size of the `.charm`. */
  readonly bytes: number;
  /** `ubuntu@24.04`. */
  readonly base: string;
  /** Juju architecture (`amd64`). */
  readonly architecture: string;
  /** The Node version inside the charm (`bin/node`). */
  readonly nodeVersion: string;
  /** The highest glibc the charm's Node and SQLite addon need (the base has at least this). */
  readonly glibc: string | null;
  /** Whether the charm starts hooks from a startup snapshot (`dist/charm.blob`). */
  readonly snapshot: boolean;
}

/** Hooks Juju versions without dispatch support look for first (charmcraft writes the same). */
const LEGACY_HOOKS = ['install', 'start', 'upgrade-charm'];

/** The base to pack for: `--base`, else this machine's Ubuntu release when known, else 24.04. */
function chooseBase(requested: string | undefined): CharmBaseSpec {
  if (requested !== undefined) return parseUbuntuBase(requested);
  const host = hostBase();
  return host && UBUNTU_GLIBC[host.channel] !== undefined ? host : { name: 'ubuntu', channel: '24.04' };
}

/** `hello_ubuntu@24.04-amd64.charm`: charmcraft's name for a charm of one base and architecture. */
export function charmFileName(name: string, base: CharmBaseSpec, architecture: string): string {
  return `${name}_${base.name}@${base.channel}-${architecture}.charm`;
}

/**
 * `charmkit pack [charm-dir]`: builds the charm and zips it in charmcraft's layout (`dispatch`,
 * `hooks/*`, `manifest.yaml`, the metadata, `dist/`) with its own Node (`bin/node`, fetched through
 * the npm registry) and the SQLite addon compiled for that Node, as
 * `<name>_<base>-<arch>.charm`. Nothing else is needed on the unit: dispatch runs `bin/node` by
 * path. The base's glibc is checked against what Node and the addon need.
 *
 * @throws {PlatformError} a declared platform cannot be produced here, or the base's glibc is too old.
 * @throws {UsageError} `--base` is not a known Ubuntu base.
 * @throws {PackError} fetching Node, compiling the addon or writing the archive failed.
 */
export async function packCommand(
  charmDir: string,
  options: PackCommandOptions,
  io: CliIo,
): Promise<PackResult> {
  const project = openCharmProject(charmDir, io.cwd);
  checkCharmName(project.meta.name, 'its metadata');
  const declared = declaredPlatforms(join(project.dir, 'charmcraft.yaml'));
  const architecture = choosePlatform(declared, jujuArchitecture(), options.platform);
  const base = chooseBase(options.base);
  const startedAt = new Date();

  const cacheDir = charmkitCacheDir();
  const runtime = await obtainNodeRuntime(architecture, cacheDir, project.dir);
  const addon = await obtainSqliteAddon(runtime, project.dir, cacheDir);
  let glibc: string | null = null;
  for (const [what, path] of [
    [`Node ${runtime.version} (bin/node)`, runtime.node],
    [`the SQLite addon (better-sqlite3 ${addon.version}, compiled on this machine)`, addon.path],
  ] as const) {
    const elf = readElf(path);
    // Never ship a binary for another machine under this architecture's name.
    if (elf.machine !== ELF_MACHINE_OF[architecture]) {
      throw new PackError(`${path} is for ${elf.machine}, not ${architecture}`);
    }
    checkBaseGlibc(base, elf.glibc, what);
    if (elf.glibc !== null && (glibc === null || compareGlibc(elf.glibc, glibc) > 0)) glibc = elf.glibc;
  }

  const built = await buildProject(project, {
    ...(options.entry === undefined ? {} : { entry: options.entry }),
    // One CommonJS file where the charm allows it: with the bundled Node's compile cache that
    // starts fastest (docs/explanation/performance.md).
    splitting: false,
    format: 'cjs',
  });
  if (built.formatNote !== null)
    io.stderr(`note: the charm is bundled as an ES module, a little slower to start: ${built.formatNote}\n`);
  // Juju reads metadata.yaml & co.; charmcraft.yaml is the project file, not part of the charm. The
  // build's addon and snapshot are for the Node that built them; the charm gets its own.
  const skip = new Set([
    'charmcraft.yaml',
    '.unit-state.db',
    'dispatch',
    'dist/better_sqlite3.node',
    'dist/charm.blob',
  ]);
  const entries = collectFiles(built.outDir, skip);
  // Built by the charm's own Node: the only binary that can start from it.
  let snapshot = false;
  if (options.startupSnapshot === true) {
    const entry = options.entry ?? 'src/charm.ts';
    const made = await buildSnapshot(
      project.dir,
      isAbsolute(entry) ? entry : join(project.dir, entry),
      built.outDir,
      ['@charmkit/source'],
      runtime.node,
    );
    if (made.blob !== null) {
      entries.push({ path: SNAPSHOT_BLOB, data: readFileSync(made.blob), mode: 0o644 });
      snapshot = true;
    } else {
      io.stderr(`note: no startup snapshot (${made.error}); hooks start from the bundle\n`);
    }
  }
  const encoder = new TextEncoder();
  entries.push(
    { path: 'bin/node', data: readFileSync(runtime.node), mode: 0o755, deflated: deflatedNode(runtime) },
    { path: 'dist/better_sqlite3.node', data: readFileSync(addon.path), mode: 0o755 },
    {
      path: 'dispatch',
      data: encoder.encode(
        dispatchScript(built.dispatchManifest, {
          node: 'bundled',
          snapshot,
          bundle: `dist/${basename(built.bundle)}`,
        }),
      ),
      mode: 0o755,
    },
    {
      path: 'manifest.yaml',
      data: encoder.encode(manifestYaml(base, architecture, startedAt, CLI_VERSION)),
      mode: 0o644,
    },
  );
  for (const hook of LEGACY_HOOKS) {
    if (!entries.some((e) => e.path === `hooks/${hook}`))
      entries.push({ path: `hooks/${hook}`, data: encoder.encode(legacyHookScript(hook)), mode: 0o755 });
  }
  const outDir = resolve(io.cwd, options.out ?? project.dir);
  mkdirSync(outDir, { recursive: true });
  const charmFile = join(outDir, charmFileName(project.meta.name, base, architecture));
  const zip = zipEntries(entries, startedAt);
  writeFileSync(charmFile, zip);
  const shown = (p: string) => displayPath(io.cwd, p);
  io.stdout(
    `packed ${project.meta.name} into ${shown(charmFile)} (${entries.length} files, ${formatBytes(zip.length)}; ${base.name}@${base.channel} ${architecture}, Node ${runtime.version}${snapshot ? ' with a startup snapshot' : ''}, needs glibc ${glibc ?? 'nothing'})\n`,
  );
  return {
    charmFile,
    files: entries.map((e) => e.path).sort(),
    bytes: zip.length,
    base: `${base.name}@${base.channel}`,
    architecture,
    nodeVersion: runtime.version,
    glibc,
    snapshot,
  };
}
