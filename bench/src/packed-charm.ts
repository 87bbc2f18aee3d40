import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

// What Juju unpacks executable: the zip records modes, and these are a packed charm's executables.
const EXECUTABLE = /^(dispatch|bin\/node|hooks\/.+)$/;

/**
 * Packs `charmDir` with the `charmkit` command, as a charm author does (bundled Node, its addon,
 * a startup snapshot when `startupSnapshot` is true), and unzips it into `outDir` as a unit has it.
 */
export function packAndUnzip(
  repoDir: string,
  charmDir: string,
  outDir: string,
  options: { readonly startupSnapshot: boolean },
): string {
  const out = `${outDir}.charm-file`;
  const args = [join(repoDir, 'packages', 'cli', 'bin', 'charmkit.js'), 'pack', charmDir, '--out', out];
  if (options.startupSnapshot) args.push('--startup-snapshot');
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 900_000 });
  if (result.status !== 0) throw new Error(`charmkit pack failed:\n${result.stderr}`);
  const file = readdirSync(out).find((name) => name.endsWith('.charm'));
  if (!file) throw new Error(`charmkit pack wrote no .charm into ${out}`);
  const files = unzipSync(new Uint8Array(readFileSync(join(out, file))));
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith('/')) continue;
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
    chmodSync(full, EXECUTABLE.test(path) ? 0o755 : 0o644);
  }
  return outDir;
}
