import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Puts a fake `systemctl` first on PATH, for this test process and every process it starts (hooks
 * and their handlers): it appends its arguments to `systemctl.log` in its working directory, which
 * for an external handler is the charm directory. Returns the directory holding it.
 */
export function installFakeSystemctl(): string {
  const bin = mkdtempSync(join(tmpdir(), 'fake-systemctl-'));
  const path = join(bin, 'systemctl');
  writeFileSync(path, '#!/bin/sh\necho "$*" >> systemctl.log\n');
  chmodSync(path, 0o755);
  process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
  return bin;
}

/** The `systemctl` calls made in `dir`, one per line. */
export function systemctlCalls(dir: string): string[] {
  const log = join(dir, 'systemctl.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}
