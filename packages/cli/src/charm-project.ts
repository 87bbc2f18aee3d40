import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CharmMeta, CharmMetaError, loadCharmMeta } from '@charmkit/ops';
import { parse as parseYaml } from 'yaml';
import { CharmDirError } from './errors.js';

/** A charm project on disk: its directory, parsed metadata and the files it came from. */
export interface CharmProject {
  /** Absolute path of the charm directory. */
  readonly dir: string;
  readonly meta: CharmMeta;
  /** The metadata files present (`metadata.yaml`, `config.yaml`, `actions.yaml` or `charmcraft.yaml`). */
  readonly sources: readonly string[];
  /** True when the metadata comes from a unified charmcraft.yaml (no metadata.yaml). */
  readonly unified: boolean;
}

const SOURCE_FILES = ['metadata.yaml', 'config.yaml', 'actions.yaml', 'charmcraft.yaml'];

/**
 * Opens the charm in `dir` (relative to `cwd`), reading its metadata the way a unit does.
 *
 * @throws {CharmDirError} the directory is missing, or has no or invalid metadata.
 */
export function openCharmProject(dir: string, cwd: string): CharmProject {
  const abs = resolve(cwd, dir);
  if (!existsSync(abs)) throw new CharmDirError(`${dir}: no such directory`);
  if (!statSync(abs).isDirectory()) throw new CharmDirError(`${dir} is not a directory`);
  const hasMetadata = existsSync(join(abs, 'metadata.yaml'));
  const hasCharmcraft = existsSync(join(abs, 'charmcraft.yaml'));
  if (!hasMetadata && !(hasCharmcraft && hasName(join(abs, 'charmcraft.yaml')))) {
    throw new CharmDirError(
      `${dir} is not a charm: it has no metadata.yaml, nor a charmcraft.yaml with a name (run \`charmkit init\` to start one)`,
    );
  }
  let meta: CharmMeta;
  try {
    meta = loadCharmMeta(abs);
  } catch (error) {
    if (error instanceof CharmMetaError) throw new CharmDirError(error.message, { cause: error });
    throw error;
  }
  return {
    dir: abs,
    meta,
    sources: SOURCE_FILES.filter((f) => existsSync(join(abs, f))),
    unified: !hasMetadata,
  };
}

function hasName(path: string): boolean {
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as { name?: unknown } | null;
    return typeof doc?.name === 'string';
  } catch {
    // An unreadable file is reported by loadCharmMeta with its own message.
    return true;
  }
}

/** Keys of a unified charmcraft.yaml that say how to build, not what the charm is. */
const BUILD_KEYS = new Set([
  'type',
  'base',
  'bases',
  'build-base',
  'platforms',
  'parts',
  'config',
  'actions',
  'charm-libs',
  'charmhub',
]);

/**
 * The YAML documents Juju reads, split out of a unified charmcraft.yaml the way charmcraft does
 * when it packs: metadata.yaml (everything that describes the charm), config.yaml, actions.yaml.
 */
export function splitUnifiedMetadata(charmcraft: Readonly<Record<string, unknown>>): {
  metadata: Record<string, unknown>;
  config: unknown;
  actions: unknown;
} {
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(charmcraft)) {
    if (!BUILD_KEYS.has(key)) metadata[key] = value;
  }
  return { metadata, config: charmcraft.config, actions: charmcraft.actions };
}
