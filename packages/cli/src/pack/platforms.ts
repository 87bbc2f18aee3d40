import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PackError, PlatformError } from '../errors.js';

/** The architectures a charm declares it is built for, and where that was said. */
export interface DeclaredPlatforms {
  /** Juju architecture names (`amd64`, `arm64` …), each once, in the order declared. */
  readonly architectures: readonly string[];
  /** `platforms`, `bases` (charmcraft 2's run-on architectures), or null when nothing is declared. */
  readonly from: 'platforms' | 'bases' | null;
}

// `ubuntu@24.04:arm64` or `arm64`: the architecture is what follows the last colon.
const archOf = (text: string): string => text.slice(text.lastIndexOf(':') + 1);

/**
 * The architectures a charmcraft.yaml declares: the keys of `platforms` (`amd64:`,
 * `ubuntu@24.04:amd64:`) or their `build-for`, else the `run-on` architectures of charmcraft 2's
 * `bases`. None declared: an empty list.
 *
 * @throws {PackError} the file is not valid YAML or a platform entry has an unexpected shape.
 */
export function declaredPlatforms(path: string): DeclaredPlatforms {
  if (!existsSync(path)) return { architectures: [], from: null };
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PackError(`${path} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (doc === null || typeof doc !== 'object') return { architectures: [], from: null };
  const { platforms, bases } = doc as { platforms?: unknown; bases?: unknown };
  if (platforms !== undefined && platforms !== null) {
    if (typeof platforms !== 'object' || Array.isArray(platforms)) {
      throw new PackError(`${path}: platforms must be a mapping of platform names`);
    }
    const archs: string[] = [];
    for (const [name, value] of Object.entries(platforms)) {
      if (value === null || value === undefined) {
        archs.push(archOf(name));
        continue;
      }
      const buildFor = (value as { 'build-for'?: unknown })['build-for'];
      const list = typeof buildFor === 'string' ? [buildFor] : buildFor;
      if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string')) {
        throw new PackError(`${path}: platforms.${name} must be empty or have a build-for list`);
      }
      archs.push(...(list as string[]).map(archOf));
    }
    return { architectures: [...new Set(archs)], from: 'platforms' };
  }
  if (Array.isArray(bases)) {
    const archs = bases.flatMap((base) => {
      const runOn = (base as { 'run-on'?: unknown } | null)?.['run-on'];
      const entries = Array.isArray(runOn) ? runOn : [base];
      return entries.flatMap((entry) => {
        const list = (entry as { architectures?: unknown } | null)?.architectures;
        return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
      });
    });
    if (archs.length > 0) return { architectures: [...new Set(archs)], from: 'bases' };
  }
  return { architectures: [], from: null };
}

/**
 * The one architecture `charmkit pack` produces here. The SQLite addon inside a charm is compiled
 * for the machine that packs, so only this machine's architecture can be produced; a charm that
 * declares others is refused rather than packed for fewer platforms than it says, unless the
 * author asks for one platform explicitly (`--platform`).
 *
 * @throws {PlatformError} a declared or requested platform cannot be produced on this machine.
 */
export function choosePlatform(declared: DeclaredPlatforms, host: string, requested?: string): string {
  const listed = declared.architectures.join(', ');
  if (requested !== undefined) {
    if (declared.architectures.length > 0 && !declared.architectures.includes(requested)) {
      throw new PlatformError(
        `--platform ${requested}: charmcraft.yaml declares ${listed} only; add ${requested} to its platforms first`,
      );
    }
    if (requested !== host) {
      throw new PlatformError(
        `--platform ${requested}: this ${host} machine cannot produce it (the SQLite addon in the charm is compiled for the machine that packs); pack on a ${requested} machine`,
      );
    }
    return requested;
  }
  const others = declared.architectures.filter((arch) => arch !== host);
  if (others.length > 0) {
    const hint = declared.architectures.includes(host)
      ? `; pass --platform ${host} to pack the ${host} charm alone (charmcraft.yaml keeps every platform), and pack the others on their own machines`
      : `; pack on a ${others[0]} machine`;
    throw new PlatformError(
      `charmcraft.yaml declares ${listed}, but this ${host} machine can produce ${host} only (the SQLite addon in the charm is compiled for the machine that packs)${hint}`,
    );
  }
  return host;
}
