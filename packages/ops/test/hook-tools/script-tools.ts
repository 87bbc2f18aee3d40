import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Hook tools written as small shell scripts, one per test, for behaviour the shared fake cannot
 * show: hanging, printing huge or non-UTF-8 output, looking at the files it is handed.
 */
export class ScriptTools {
  readonly root: string;
  readonly binDir: string;
  /** A charm directory for the runner (`JUJU_CHARM_DIR`). */
  readonly charmDir: string;
  /** Where scripts may write what they saw. */
  readonly logDir: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'charmkit-script-tools-'));
    this.binDir = join(this.root, 'bin');
    this.charmDir = join(this.root, 'charm');
    this.logDir = join(this.root, 'log');
    for (const dir of [this.binDir, this.charmDir, this.logDir]) mkdirSync(dir);
  }

  /** Installs `tool` as a `/bin/sh` script with `body`. */
  write(tool: string, body: string): void {
    const path = join(this.binDir, tool);
    writeFileSync(path, `#!/bin/sh\nset -u\n${body}\n`);
    chmodSync(path, 0o755);
  }

  /** The environment a runner needs to find the scripts. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${this.binDir}${delimiter}${process.env.PATH ?? ''}`,
      LOG_DIR: this.logDir,
      JUJU_CHARM_DIR: this.charmDir,
      ...extra,
    };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
