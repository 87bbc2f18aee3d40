import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checkCharmName } from '../charm-name.js';
import { displayPath } from '../display-path.js';
import { InitError } from '../errors.js';
import { localPackageSpecs } from '../init/local-packages.js';
import { charmTemplate } from '../init/templates.js';
import type { CliIo } from '../io.js';
import { CLI_VERSION } from '../version.js';
import { typegenCommand } from './typegen.js';

/** Options of `charmkit init`. */
export interface InitCommandOptions {
  /** The charm's name (default: the directory's name). */
  readonly name?: string;
  /**
   * Where to install the @charmkit/* packages from until they are on the registry: a directory of
   * `npm pack` tarballs, or a charmkit checkout.
   */
  readonly packages?: string;
}

/**
 * `charmkit init <dir>`: a new charm with metadata, config and an action, a typed charm class,
 * its generated types, Context and simulator tests, and scripts to build and pack it.
 *
 * @returns the files written, relative to the new directory.
 */
export function initCommand(dir: string, options: InitCommandOptions, io: CliIo): string[] {
  const target = resolve(io.cwd, dir);
  const name = options.name ?? basename(target);
  checkCharmName(
    name,
    options.name ? '--name' : "the directory's name",
    options.name ? '' : ' (or pass --name)',
  );
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new InitError(`${displayPath(io.cwd, target)} already exists and is not empty`);
  }
  const local = options.packages ? localPackageSpecs(resolve(io.cwd, options.packages), CLI_VERSION) : {};
  const files = charmTemplate(name, CLI_VERSION, local);
  for (const [path, content] of Object.entries(files)) {
    const full = join(target, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  const quiet: CliIo = { ...io, stdout: () => undefined };
  typegenCommand(target, {}, quiet);
  const shown = displayPath(io.cwd, target);
  io.stdout(
    `created ${name} in ${shown}/\n\n  cd ${shown}\n  npm install\n  npm test\n  npx charmkit simulate --units 3\n  npx charmkit pack\n`,
  );
  return [...Object.keys(files), 'src/charm-types.ts'].sort();
}
