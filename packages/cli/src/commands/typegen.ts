import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openCharmProject } from '../charm-project.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { generateTypes, typesName } from '../typegen/generate-types.js';

/** Options of `charmkit typegen`. */
export interface TypegenCommandOptions {
  /** Output file relative to the charm directory (default `src/charm-types.ts`). */
  readonly out?: string;
  /** Do not write: fail when the file is missing or out of date (for CI). */
  readonly check?: boolean;
}

/**
 * `charmkit typegen [charm-dir]`: writes the charm's types module (zod schemas and types for config,
 * action params, relation, container and storage names) from its metadata.
 *
 * @returns the path written (or checked).
 */
export function typegenCommand(charmDir: string, options: TypegenCommandOptions, io: CliIo): string {
  const project = openCharmProject(charmDir, io.cwd);
  const target = resolve(project.dir, options.out ?? 'src/charm-types.ts');
  const text = generateTypes(
    project.meta,
    project.sources.filter((s) => s !== 'charmcraft.yaml' || project.unified),
  );
  const shown = displayPath(io.cwd, target);
  if (options.check) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (current !== text) {
      throw new UsageError(
        `${shown} is ${current === null ? 'missing' : 'out of date'}: run \`charmkit typegen ${charmDir}\``,
      );
    }
    io.stdout(`${shown} is up to date\n`);
    return target;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  io.stdout(
    `wrote ${shown} (${typesName(project.meta)}: class ... extends CharmBase<${typesName(project.meta)}>)\n`,
  );
  return target;
}
