import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  type BuiltCharmMeta,
  CHARM_META_FILES,
  CHARMKIT_FILE,
  type CharmMeta,
  parseCharmMeta,
  readCharmkitFile,
  readCharmMetaSources,
} from './charm-meta.js';

// Reading metadata from YAML. Kept apart from charm-meta.ts so that a built charm, which reads its
// metadata from JSON, never loads the YAML parser (see docs/explanation/performance.md).

/**
 * Reads a charm's metadata from its directory: a unified `charmcraft.yaml` that has a `name`,
 * or else `metadata.yaml` with optional `config.yaml` and `actions.yaml` (what Juju unpacks).
 */
export function loadCharmMeta(charmDir: string): CharmMeta {
  return parseCharmMeta(readCharmMetaSources(charmDir, parseYaml));
}

/**
 * What a build writes to `dist/charm-meta.json`: the metadata of `charmDir` out of YAML, checked
 * (so a build fails on metadata a hook would fail on), and `charmkit.yaml` parsed, with the sizes
 * of those files.
 * File names in messages are made relative to the charm directory.
 *
 * @throws {CharmMetaError} the metadata is missing or invalid.
 */
export function buildCharmMetaJson(charmDir: string): BuiltCharmMeta {
  const sources = readCharmMetaSources(charmDir, parseYaml);
  parseCharmMeta(sources);
  const relative = (name: string | undefined): string | undefined =>
    name?.startsWith(`${charmDir}/`) ? name.slice(charmDir.length + 1) : name;
  const names = sources.names ?? {};
  const files: Record<string, number | null> = {};
  for (const name of [...CHARM_META_FILES, CHARMKIT_FILE]) {
    files[name] = statSync(join(charmDir, name), { throwIfNoEntry: false })?.size ?? null;
  }
  return {
    format: 'charmkit-meta/1',
    sources: {
      ...sources,
      names: Object.fromEntries(
        (['metadata', 'config', 'actions'] as const).flatMap((key) => {
          const name = relative(names[key]);
          return name === undefined ? [] : [[key, name]];
        }),
      ),
    },
    charmkit: readCharmkitFile(charmDir, parseYaml),
    files,
  };
}
