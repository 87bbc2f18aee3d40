import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every executable regular file under `dir` (recursively, sorted by path, dot-files and
 * dot-directories skipped), as paths relative to `charmDir` with `/` separators. A missing
 * directory has none.
 */
export function discoverExternalHandlers(charmDir: string, dir: string): string[] {
  const root = join(charmDir, dir);
  const found: string[] = [];
  const walk = (path: string): void => {
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile() && (stat.mode & 0o111) !== 0)
        found.push(relative(charmDir, full).split(sep).join('/'));
    }
  };
  walk(root);
  return found;
}
