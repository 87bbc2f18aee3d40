import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The app's config file (the seed's `app-config.j2`). */
export function renderAppConfig(values: { readonly dbConn: string; readonly adminPass: string }): string {
  return [
    '# Rendered by the reactive-app charm; edits are overwritten.',
    `db_conn = ${JSON.stringify(values.dbConn)}`,
    `admin_pass = ${JSON.stringify(values.adminPass)}`,
    '',
  ].join('\n');
}

/**
 * Writes `content` to `path` (mode 0600: it holds passwords) unless the file already holds it, by
 * a synced temporary file renamed over the old one, so the service never reads half a file.
 * Returns whether it wrote.
 */
export function writeIfChanged(path: string, content: string): boolean {
  try {
    if (readFileSync(path, 'utf8') === content) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  return true;
}
