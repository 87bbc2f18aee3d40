import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// A fetch or compile that takes longer than this is assumed dead (its process was killed).
const STALE_MS = 20 * 60 * 1000;

/**
 * Runs `fill` while holding `lockDir` (created with mkdir, which is atomic), so two packs at once
 * (two terminals, parallel test workers) do not fetch or compile the same thing twice; `ready`
 * says whether the cache entry exists already, before and after waiting.
 */
export async function withCacheLock(
  lockDir: string,
  ready: () => boolean,
  fill: () => Promise<void>,
): Promise<void> {
  for (;;) {
    if (ready()) return;
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > STALE_MS)
          rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await sleep(500);
    }
  }
  try {
    if (!ready()) await fill();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
