import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/** One file to put in the archive. */
export interface ArchiveEntry {
  /** Path inside the archive, with `/` separators. */
  readonly path: string;
  readonly data: Uint8Array;
  /** Unix permission bits (e.g. 0o755). */
  readonly mode: number;
}

// Zip "external attributes" for a Unix creator: the st_mode in the high 16 bits. Juju unpacks
// charms with Go's archive/zip, which reads the mode from there, so `dispatch` stays executable.
const UNIX = 3;
const S_IFREG = 0o100000;

/** Every file under `dir` (sorted, so archives are reproducible), except the names in `skip`. */
export function collectFiles(dir: string, skip: ReadonlySet<string> = new Set()): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      const path = relative(dir, full).split(sep).join('/');
      if (skip.has(path)) continue;
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) entries.push({ path, data: readFileSync(full), mode: stat.mode & 0o777 });
    }
  };
  walk(dir);
  return entries;
}

/** A deflated zip of `entries`, each with its Unix mode and the given modification time. */
export function zipEntries(entries: readonly ArchiveEntry[], mtime: Date): Uint8Array {
  const files: Zippable = {};
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    // Multiplying keeps the value positive (a shift by 16 would overflow into the sign bit).
    files[entry.path] = [entry.data, { os: UNIX, attrs: (S_IFREG | entry.mode) * 0x10000, mtime, level: 6 }];
  }
  return zipSync(files);
}
