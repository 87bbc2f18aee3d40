import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Every process whose working directory is inside `root` (hooks run in the unit's charm dir, and
 * the workloads they start inherit it). Linux only (reads /proc); elsewhere, none. Zombies have no
 * readable cwd, so they are not counted: they are already gone but for their exit status.
 */
export function processesUnder(root: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (cwd === root || cwd.startsWith(`${root}/`)) found.push(pid);
  }
  return found;
}

/**
 * Stops processes a simulated charm left running (a workload it started with `spawn(…,
 * { detached: true })`): every process whose working directory is inside `root`. The simulated
 * model is gone when this runs, so nothing will ever run their `stop` hook. Linux only (reads
 * /proc); elsewhere it does nothing. Returns the pids signalled.
 */
export function stopStrayProcesses(root: string): number[] {
  return signalAll(processesUnder(root), 'SIGTERM');
}

/**
 * {@link stopStrayProcesses}, then waits until they are gone: processes that appear meanwhile (a
 * hook forking as it dies) get SIGTERM too, and whatever still runs after `graceMs` gets SIGKILL.
 * Returns every pid signalled.
 */
export async function stopProcessesUnder(root: string, graceMs = 3000, pollMs = 25): Promise<number[]> {
  const signalled = new Set(stopStrayProcesses(root));
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = processesUnder(root);
    if (left.length === 0) break;
    if (Date.now() >= deadline) {
      for (const pid of signalAll(left, 'SIGKILL')) signalled.add(pid);
      // SIGKILL cannot be ignored; a short wait lets the kernel (and our child reaper) finish.
      for (let i = 0; i < 40 && processesUnder(root).length > 0; i++) await sleep(pollMs);
      break;
    }
    for (const pid of signalAll(
      left.filter((pid) => !signalled.has(pid)),
      'SIGTERM',
    ))
      signalled.add(pid);
    await sleep(pollMs);
  }
  return [...signalled];
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): number[] {
  const sent: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent.push(pid);
    } catch {
      // already exited
    }
  }
  return sent;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
