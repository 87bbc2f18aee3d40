import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCharmMetaJson } from '@charmkit/ops/internal';
import { type BuiltCharm, type BundleFormat, buildCharm } from '@charmkit/testing';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { checkCharmName } from './charm-name.js';
import { type CharmProject, splitUnifiedMetadata } from './charm-project.js';

/** Options of {@link buildProject}. */
export interface BuildProjectOptions {
  /** Output directory (default `<charm dir>/build`). */
  readonly out?: string;
  /** Entry relative to the charm directory (default `src/charm.ts`). */
  readonly entry?: string;
  /** Minify the bundle. */
  readonly minify?: boolean;
  /** Split lazily imported code into chunks (default true; see `BuildCharmOptions.splitting`). */
  readonly splitting?: boolean;
  /** The bundle's module format (default `esm`; see `BuildCharmOptions.format`). */
  readonly format?: BundleFormat;
}

/**
 * Builds the runnable charm directory: `buildCharm()` (bundle, SQLite addon, `dispatch`, metadata,
 * `charmkit.yaml` and the other includes), and, for a unified charmcraft.yaml, the metadata.yaml /
 * config.yaml / actions.yaml Juju reads.
 *
 * @throws {CharmNameError} the charm's name is one Juju refuses.
 */
export async function buildProject(
  project: CharmProject,
  options: BuildProjectOptions = {},
): Promise<BuiltCharm> {
  checkCharmName(project.meta.name, 'its metadata');
  const outDir = resolve(project.dir, options.out ?? 'build');
  const built = await buildCharm({
    charmDir: project.dir,
    outDir,
    ...(options.entry === undefined ? {} : { entry: options.entry }),
    ...(options.minify === undefined ? {} : { minify: options.minify }),
    ...(options.splitting === undefined ? {} : { splitting: options.splitting }),
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  if (project.unified) {
    const doc = parseYaml(readFileSync(join(project.dir, 'charmcraft.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const { metadata, config, actions } = splitUnifiedMetadata(doc);
    writeFileSync(join(outDir, 'metadata.yaml'), stringifyYaml(metadata));
    if (config !== undefined && config !== null)
      writeFileSync(join(outDir, 'config.yaml'), stringifyYaml(config));
    if (actions !== undefined && actions !== null)
      writeFileSync(join(outDir, 'actions.yaml'), stringifyYaml(actions));
    // The build turned the metadata into JSON before these files existed: make it current again,
    // or every hook would fall back to parsing YAML.
    buildCharmMetaJson(outDir);
  }
  return built;
}

/** `12.3 kB`, `1.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
