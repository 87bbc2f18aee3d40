import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import type { CliIo } from '../io.js';
import { InterruptGuard, type InterruptSignal } from './interrupt-guard.js';
import { stopProcessesUnder } from './workload-cleanup.js';

/** Options of {@link guardSimulation}. */
export interface SimulationGuardOptions {
  /** The run's work directory: its hooks' and workloads' processes are found by it. */
  readonly workDir: string;
  /** Keep the units' directories (`--keep`) instead of removing `workDir`. */
  readonly keep: boolean | undefined;
  readonly io: CliIo;
  /** Runs first, e.g. to take down a live view. */
  readonly beforeCleanup?: () => void;
}

/**
 * What Ctrl-C (or SIGTERM) does to a `charmkit simulate` run: hooks and workloads run in their
 * own process groups, so the terminal's SIGINT never reaches them. Stop every process of the run,
 * remove the work dir unless kept, say so, then exit 130/143.
 */
export function guardSimulation(options: SimulationGuardOptions): InterruptGuard {
  const { workDir, keep, io } = options;
  return InterruptGuard.install({
    cleanup: async (signal: InterruptSignal) => {
      options.beforeCleanup?.();
      const stopped = await stopProcessesUnder(workDir);
      if (!keep) rmSync(workDir, { recursive: true, force: true });
      const where = keep ? `kept the units' directories in ${join(workDir, 'sim')}` : `removed ${workDir}`;
      // On a terminal, overwrite the "^C" it echoed.
      io.stderr(
        `${io.interactive ? '\r\x1b[2K' : ''}${pc.yellow(`interrupted (${signal})`)}: stopped ${stopped.length} process(es), ${where}\n`,
      );
    },
    onCleanupError: (error) => io.stderr(`cleanup after the interrupt failed: ${String(error)}\n`),
  });
}
