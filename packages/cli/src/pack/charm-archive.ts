import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { PackError } from '../errors.js';

/** An entry's content already deflated (raw deflate), with the CRC-32 of the uncompressed data. */
export interface DeflatedData {
  readonly bytes: Uint8Array;
  readonly crc32: number;
}

/** One file to put in the archive. */
export interface ArchiveEntry {
  /** Path inside the archive, with `/` separators. */
  readonly path: string;
  readonly data: Uint8Array;
  /** Unix permission bits (e.g. 0o755). */
  readonly mode: number;
  /** `data` deflated ahead of time (the bundled Node: deflating 100 MB takes seconds). */
  readonly deflated?: DeflatedData;
}

// Zip "external attributes" for a Unix creator: the st_mode in the high 16 bits. Juju unpacks
// charms with Go's archive/zip, which reads the mode from there, so `dispatch` stays executable.
const UNIX = 3;
const S_IFREG = 0o100000;
const DEFLATE = 8;
const VERSION = 20;
const UTF8_NAME = 0x800;

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

/** Deflates `data` the way {@link zipEntries} stores it. */
export function deflateEntry(data: Uint8Array): DeflatedData {
  return { bytes: deflateRawSync(data, { level: 6 }), crc32: crc32(data) };
}

// MS-DOS date and time, in local time as zip tools read them (2-second resolution).
function dosDateTime(mtime: Date): { time: number; date: number } {
  const year = Math.max(mtime.getFullYear(), 1980);
  return {
    time: (mtime.getHours() << 11) | (mtime.getMinutes() << 5) | (mtime.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((mtime.getMonth() + 1) << 5) | mtime.getDate(),
  };
}

/**
 * A deflated zip of `entries` (sorted by path, so archives are reproducible), each with its Unix
 * mode and the given modification time. No zip64: a charm over 4 GiB is refused.
 *
 * @throws {PackError} the archive would need zip64 (over 4 GiB or 65535 entries).
 */
export function zipEntries(entries: readonly ArchiveEntry[], mtime: Date): Uint8Array {
  const { time, date } = dosDateTime(mtime);
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (sorted.length > 0xffff)
    throw new PackError(`a charm of ${sorted.length} files is more than a zip holds`);
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.path, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(entry.path) ? 0 : UTF8_NAME;
    const deflated = entry.deflated ?? deflateEntry(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(deflated.crc32, 14);
    local.writeUInt32LE(deflated.bytes.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((UNIX << 8) | VERSION, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(deflated.crc32, 16);
    header.writeUInt32LE(deflated.bytes.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: 0
    header.writeUInt32LE(((S_IFREG | entry.mode) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    chunks.push(local, name, deflated.bytes);
    central.push(header, name);
    offset += local.length + name.length + deflated.bytes.length;
    if (offset > 0xffffffff)
      throw new PackError('a charm over 4 GiB is more than a zip (without zip64) holds');
  }
  const centralSize = central.reduce((sum, chunk) => sum + chunk.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}
