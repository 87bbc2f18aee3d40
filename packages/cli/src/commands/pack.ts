import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildProject, formatBytes } from '../build-project.js';
import { checkCharmName } from '../charm-name.js';
import { openCharmProject } from '../charm-project.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { collectFiles, zipEntries } from '../pack/charm-archive.js';
import { charmcraftYaml } from '../pack/charmcraft-yaml.js';
import {
  type CharmBaseSpec,
  hostBase,
  jujuArchitecture,
  legacyHookScript,
  manifestYaml,
  parseBase,
} from '../pack/manifest.js';
import { choosePlatform, declaredPlatforms } from '../pack/platforms.js';
import { CLI_VERSION } from '../version.js';

/** Options of `charmkit pack`. */
export interface PackCommandOptions {
  /** Where `<name>.charm` goes (default: the charm directory). */
  readonly out?: string;
  /** `ubuntu@24.04` (default: this machine's Ubuntu release, else 24.04). */
  readonly base?: string;
  readonly entry?: string;
  /** Do not write charmcraft.yaml. */
  readonly charmcraft?: boolean;
  /**
   * The one platform (architecture) to pack, when charmcraft.yaml declares several; it must be
   * declared and be this machine's. Default: every declared platform, which must all be this one.
   */
  readonly platform?: string;
}

/** What `charmkit pack` produced. */
export interface PackResult {
  readonly charmFile: string;
  readonly charmcraftFile: string | null;
  readonly files: readonly string[];
  readonly bytes: number;
}

/** Hooks Juju versions without dispatch support look for first (charmcraft writes the same). */
const LEGACY_HOOKS = ['install', 'start', 'upgrade-charm'];

/**
 * `charmkit pack [charm-dir]`: builds the charm and zips it in charmcraft's layout (`dispatch`,
 * `hooks/*`, `manifest.yaml`, the metadata, `dist/`) as `<name>.charm`, and writes the
 * `charmcraft.yaml` that builds the same charm with charmcraft.
 */
export async function packCommand(
  charmDir: string,
  options: PackCommandOptions,
  io: CliIo,
): Promise<PackResult> {
  const project = openCharmProject(charmDir, io.cwd);
  checkCharmName(project.meta.name, 'its metadata');
  const charmcraftPath = join(project.dir, 'charmcraft.yaml');
  const declared = declaredPlatforms(charmcraftPath);
  const architecture = choosePlatform(declared, jujuArchitecture(), options.platform);
  let base: CharmBaseSpec;
  if (options.base !== undefined) {
    const parsed = parseBase(options.base);
    if (!parsed) throw new UsageError(`--base ${options.base}: expected <name>@<channel>, e.g. ubuntu@24.04`);
    base = parsed;
  } else {
    const host = hostBase();
    base = host ?? { name: 'ubuntu', channel: '24.04' };
    if (!host) {
      io.stderr(
        'note: this machine is not Ubuntu; the charm says ubuntu@24.04, but its SQLite addon was compiled here (pass --base, or pack on the target base)\n',
      );
    }
  }
  const startedAt = new Date();
  let charmcraftFile: string | null = null;
  if (options.charmcraft !== false) {
    charmcraftFile = charmcraftPath;
    const archs = declared.architectures.length > 0 ? declared.architectures : [architecture];
    const text = charmcraftYaml(charmcraftFile, base, archs, process.versions.node);
    writeFileSync(charmcraftFile, text);
  }
  const built = await buildProject(project, {
    ...(options.entry === undefined ? {} : { entry: options.entry }),
  });
  // Juju reads metadata.yaml & co.; the unified file is the build recipe, not part of the charm.
  const entries = collectFiles(built.outDir, new Set(['charmcraft.yaml', '.unit-state.db']));
  const encoder = new TextEncoder();
  entries.push({
    path: 'manifest.yaml',
    data: encoder.encode(manifestYaml(base, architecture, startedAt, CLI_VERSION)),
    mode: 0o644,
  });
  for (const hook of LEGACY_HOOKS) {
    if (!entries.some((e) => e.path === `hooks/${hook}`))
      entries.push({ path: `hooks/${hook}`, data: encoder.encode(legacyHookScript(hook)), mode: 0o755 });
  }
  const outDir = resolve(io.cwd, options.out ?? project.dir);
  mkdirSync(outDir, { recursive: true });
  const charmFile = join(outDir, `${project.meta.name}.charm`);
  const zip = zipEntries(entries, startedAt);
  writeFileSync(charmFile, zip);
  const shown = (p: string) => displayPath(io.cwd, p);
  io.stdout(
    `packed ${project.meta.name} into ${shown(charmFile)} (${entries.length} files, ${formatBytes(zip.length)}; ${base.name}@${base.channel} ${architecture})\n`,
  );
  if (charmcraftFile) io.stdout(`wrote ${shown(charmcraftFile)} (charmcraft pack builds the same charm)\n`);
  return { charmFile, charmcraftFile, files: entries.map((e) => e.path).sort(), bytes: zip.length };
}
