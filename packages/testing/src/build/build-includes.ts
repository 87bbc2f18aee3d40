import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BuildIncludeError } from './build-errors.js';

/** Files and folders a built charm carries whenever the charm has them. */
export const DEFAULT_BUILD_INCLUDES: readonly string[] = ['charmkit.yaml', 'reactive', 'templates', 'files'];

/** Names the build (or pack) writes itself: an include may not replace them. */
const RESERVED = new Set(['dispatch', 'dist', 'manifest.yaml', '.unit-state.db', '.charmkit-tmp']);

/** What a build copies besides the bundle and the metadata, relative to the charm directory. */
export interface BuildIncludes {
  /** The entries to copy, in order: defaults that exist, then `build.include`. */
  readonly paths: readonly string[];
  /** The entries charmkit.yaml declared (already checked). */
  readonly declared: readonly string[];
}

/**
 * What `charmkit build` copies into the built charm: the default folders and files
 * ({@link DEFAULT_BUILD_INCLUDES}) when present, plus the paths `charmkit.yaml` lists under
 * `build.include` — e.g. `build: { include: [scripts, LICENSE] }`. A declared entry must be a
 * relative path inside the charm directory (no `..`, no symlink out of it), must exist, and may
 * not replace what the build writes itself or contain the output directory.
 *
 * @throws {BuildIncludeError} naming the entry and what was expected.
 */
export function resolveBuildIncludes(charmDir: string, outDir: string): BuildIncludes {
  const declared = declaredIncludes(charmDir);
  const realCharmDir = realpathSync(charmDir);
  for (const entry of declared) checkInclude(charmDir, realCharmDir, outDir, entry);
  const defaults = DEFAULT_BUILD_INCLUDES.filter((name) => existsSync(join(charmDir, name)));
  const paths = [...new Set([...defaults, ...declared.map((entry) => normalize(entry))])];
  return { paths, declared };
}

function declaredIncludes(charmDir: string): string[] {
  const file = join(charmDir, 'charmkit.yaml');
  if (!existsSync(file)) return [];
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BuildIncludeError(`${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (doc === null || typeof doc !== 'object' || !('build' in doc)) return [];
  const build = (doc as { build: unknown }).build;
  if (build === null || build === undefined) return [];
  if (typeof build !== 'object' || Array.isArray(build)) {
    throw new BuildIncludeError(`${file}: build must be a mapping (e.g. build: { include: [scripts] })`);
  }
  const unknown = Object.keys(build).filter((key) => key !== 'include');
  if (unknown.length > 0) {
    throw new BuildIncludeError(
      `${file}: build has unknown key ${JSON.stringify(unknown[0])}; expected include`,
    );
  }
  const include = (build as { include?: unknown }).include;
  if (include === undefined || include === null) return [];
  if (!Array.isArray(include)) {
    throw new BuildIncludeError(
      `${file}: build.include must be a list of paths relative to the charm directory`,
    );
  }
  return include.map((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '') {
      throw new BuildIncludeError(`${file}: build.include[${index}] must be a non-empty path`);
    }
    return entry;
  });
}

function checkInclude(charmDir: string, realCharmDir: string, outDir: string, entry: string): void {
  const where = `build.include entry ${JSON.stringify(entry)}`;
  if (isAbsolute(entry)) {
    throw new BuildIncludeError(`${where} is absolute; expected a path relative to the charm directory`);
  }
  const path = resolve(charmDir, entry);
  const rel = relative(charmDir, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new BuildIncludeError(
      `${where} is not inside the charm directory; expected a file or folder in it`,
    );
  }
  if (!existsSync(path)) throw new BuildIncludeError(`${where} does not exist in ${charmDir}`);
  // A symlink may point anywhere; what gets copied must still come from the charm.
  const real = realpathSync(path);
  const realRel = relative(realCharmDir, real);
  if (realRel === '' || realRel === '..' || realRel.startsWith(`..${sep}`) || isAbsolute(realRel)) {
    throw new BuildIncludeError(`${where} leads outside the charm directory (through a symlink)`);
  }
  const top = rel.split(sep)[0] as string;
  if (RESERVED.has(top)) {
    throw new BuildIncludeError(`${where} would replace ${top}, which the build writes itself`);
  }
  const outRel = relative(path, resolve(outDir));
  if (outRel === '' || !(outRel === '..' || outRel.startsWith(`..${sep}`) || isAbsolute(outRel))) {
    throw new BuildIncludeError(`${where} contains the output directory; the build would copy into itself`);
  }
}
