import { basename } from 'node:path';
import { buildProject, formatBytes } from '../build-project.js';
import { openCharmProject } from '../charm-project.js';
import { displayPath } from '../display-path.js';
import type { CliIo } from '../io.js';

/** Options of `charmkit build`. */
export interface BuildCommandOptions {
  readonly out?: string;
  readonly entry?: string;
  readonly minify?: boolean;
}

/**
 * `charmkit build [charm-dir]`: the runnable charm directory (one ESM bundle, the better-sqlite3
 * addon beside it, `dispatch`, the metadata files), which Juju — or the simulator — runs as is.
 */
export async function buildCommand(charmDir: string, options: BuildCommandOptions, io: CliIo): Promise<void> {
  const project = openCharmProject(charmDir, io.cwd);
  const built = await buildProject(project, options);
  const where = displayPath(io.cwd, built.outDir);
  io.stdout(
    `built ${project.meta.name} into ${where}/ (dist/${basename(built.bundle)} ${formatBytes(built.bundleBytes)}, ${Math.round(built.durationMs)} ms)\n`,
  );
}
