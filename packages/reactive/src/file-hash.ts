import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The SHA-256 of a file's content in hex, or `''` when the file does not exist: the same value
 * `sha256sum` prints, so bash handlers and TypeScript handlers agree. Relative paths are taken
 * from `baseDir` (the charm directory).
 */
export function fileHash(path: string, baseDir: string): string {
  const full = isAbsolute(path) ? path : join(baseDir, path);
  let content: Buffer;
  try {
    content = readFileSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw error;
  }
  return createHash('sha256').update(content).digest('hex');
}
