import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { entryWithoutTopLevelAwait } from './entry-without-top-level-await.js';

/** The startup snapshot in a built charm, and the script it is built from. */
export const SNAPSHOT_BLOB = 'dist/charm.blob';
const SNAPSHOT_SCRIPT = 'dist/charm.snapshot.cjs';

/** What {@link buildSnapshot} did. */
export interface SnapshotResult {
  /** The blob (`outDir/dist/charm.blob`), or null when it could not be built. */
  readonly blob: string | null;
  readonly error: string | null;
}

/**
 * Builds a V8 startup snapshot of the charm (`node --build-snapshot`): the bundle's modules are
 * evaluated once, at build time, and a hook starts from the resulting heap instead of loading and
 * evaluating the code. Valid only for the exact Node binary that built it; the `dispatch` script
 * falls back to the plain bundle (and drops the blob) when Node refuses it.
 *
 * `node` is the binary that builds it (default: this one), and the only one that can start from it.
 *
 * Module-level code of the charm runs at build time, not in the hook: what it reads then (the
 * environment, files, the clock) is frozen into the snapshot. Hence opt-in.
 */
export async function buildSnapshot(
  charmDir: string,
  entryPath: string,
  outDir: string,
  conditions: readonly string[],
  node: string = process.execPath,
): Promise<SnapshotResult> {
  const script = join(outDir, SNAPSHOT_SCRIPT);
  const blob = join(outDir, SNAPSHOT_BLOB);
  rmSync(blob, { force: true });
  try {
    await build({
      entryPoints: [entryPath],
      outfile: script,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      keepNames: true,
      conditions: [...conditions],
      absWorkingDir: charmDir,
      plugins: [entryWithoutTopLevelAwait(entryPath)],
      logLevel: 'silent',
    });
  } catch (error) {
    return { blob: null, error: `cannot bundle the snapshot script: ${messageOf(error)}` };
  }
  const result = spawnSync(node, ['--snapshot-blob', blob, '--build-snapshot', script], {
    cwd: outDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  rmSync(script, { force: true });
  if (result.status !== 0) {
    rmSync(blob, { force: true });
    const why = result.error?.message ?? (result.stderr.trim().split('\n').at(-1) || `exit ${result.status}`);
    return { blob: null, error: `node --build-snapshot failed: ${why}` };
  }
  return { blob, error: null };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
