import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** A new password: 24 random bytes (192 bits) from the system's CSPRNG, base64url encoded. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The file's content, or null when it does not exist. */
export function readPassword(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes `password` to `path` with mode 0600, atomically: a temporary file in the same
 * directory, synced, then renamed over the old one, so no reader ever sees an empty or partial
 * password, whatever happens to the process.
 */
export function writePassword(path: string, password: string): void {
  if (!password) throw new Error('refusing to write an empty password');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, password);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
