import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DISPATCH_MANIFEST_ENV, DISPATCH_MANIFEST_FILE, type DispatchManifest } from '@charmkit/ops/internal';

/** What {@link probeCharm} found. */
export interface ProbeResult {
  readonly manifest: DispatchManifest | null;
  readonly error: string | null;
}

/**
 * Runs the built bundle once with `CHARMKIT_DISPATCH_MANIFEST` set: `main()` constructs the charm
 * outside any hook and writes `dist/dispatch-manifest.json` (see `@charmkit/ops`'s
 * `probeDispatchManifest`). Any failure means no manifest, and so no hook is ever skipped.
 */
export function probeCharm(outDir: string, bundle: string): ProbeResult {
  const out = join(dirname(bundle), DISPATCH_MANIFEST_FILE);
  rmSync(out, { force: true });
  const result = spawnSync(process.execPath, [bundle], {
    cwd: outDir,
    // Nothing of a hook: the probe must not look like one.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [DISPATCH_MANIFEST_ENV]: out, JUJU_CHARM_DIR: outDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 30_000,
  });
  const failure =
    result.error?.message ??
    (result.status === 0
      ? null
      : `exit ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
  try {
    const manifest = JSON.parse(readFileSync(out, 'utf8')) as DispatchManifest;
    if (manifest.format === 'charmkit-dispatch/1') return { manifest, error: null };
  } catch {
    // reported below
  }
  rmSync(out, { force: true });
  return {
    manifest: null,
    error: failure ?? 'the bundle wrote no dispatch manifest (does its entry call main()?)',
  };
}
