import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Stops processes a simulated charm left running (a workload it started with `spawn(…,
 * { detached: true })`): every process whose working directory is inside `root`. The simulated
 * model is gone when this runs, so nothing will ever run their `stop` hook. Linux only (reads
 * /proc); elsewhere it does nothing. Returns the pids signalled.
 */
export function stopStrayProcesses(root: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const stopped: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (cwd !== root && !cwd.startsWith(`${root}/`)) continue;
    try {
      process.kill(pid, 'SIGTERM');
      stopped.push(pid);
    } catch {
      // already exited
    }
  }
  return stopped;
}
