import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { CliIo } from '../src/index.js';

export const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = join(cliDir, '..', '..');

const made: string[] = [];

/**
 * A temp dir inside the repository, so charms created there resolve the workspace packages.
 * Remove them with {@link removeTempDirs} (they would otherwise be linted with the repo).
 */
export function repoTempDir(prefix: string): string {
  mkdirSync(join(cliDir, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(cliDir, '.tmp', prefix));
  made.push(dir);
  return dir;
}

/** A temp dir in the system's temp folder; {@link removeTempDirs} removes it. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every dir {@link repoTempDir} and {@link tempDir} made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * An io that records what a command writes, as plain text, and answers questions with `answer`.
 * picocolors colours output whenever `CI` is set, TTY or not, so colour codes are stripped here:
 * tests compare what a reader sees.
 */
export function captureIo(
  cwd: string,
  answer = false,
): CliIo & { out: string[]; err: string[]; asked: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  return {
    out,
    err,
    asked,
    cwd,
    interactive: false,
    stdout: (t) => void out.push(stripVTControlCharacters(t)),
    stderr: (t) => void err.push(stripVTControlCharacters(t)),
    confirm: async (q) => {
      asked.push(q);
      return answer;
    },
  };
}
