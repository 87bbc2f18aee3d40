import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Restarter } from '@charmkit/coordinator';
import { httpHealthy } from './http-health.js';

/**
 * Runs the demo workload as a detached process of the charm: restart = stop the old process
 * (SIGTERM, then wait until it is gone) and start a new one; healthy = `/health` answers 200.
 * It is a real restart, so a test can see the service go away and come back.
 */
export class LocalProcessRestarter implements Restarter {
  readonly pidFile: string;

  constructor(
    private readonly charmDir: string,
    private readonly entry: string,
    private readonly port: number,
    private readonly configPath: string,
  ) {
    this.pidFile = join(charmDir, 'workload.pid');
  }

  async restart(): Promise<void> {
    await this.stop();
    const child = spawn(
      process.execPath,
      [this.entry, '--serve-workload', String(this.port), this.configPath],
      {
        cwd: this.charmDir,
        detached: true,
        stdio: 'ignore',
      },
    );
    child.unref();
    writeFileSync(this.pidFile, String(child.pid));
    // Wait until it answers, so "restarted" means the service is back (or the check decides).
    for (let i = 0; i < 100 && !(await this.healthy()); i++) await sleep(20);
  }

  async healthy(): Promise<boolean> {
    return httpHealthy(`http://127.0.0.1:${this.port}/health`, 500);
  }

  /** Stops the running workload, if any. */
  async stop(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    const pid = Number(readFileSync(this.pidFile, 'utf8'));
    rmSync(this.pidFile, { force: true });
    if (!Number.isInteger(pid) || pid <= 0) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 250; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(10);
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
