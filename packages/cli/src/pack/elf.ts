import { closeSync, openSync, readSync } from 'node:fs';
import { PackError } from '../errors.js';

/** What `charmkit pack` needs to know about an executable or shared library. */
export interface ElfInfo {
  /** `x86-64`, `aarch64`, or `machine <n>` for any other e_machine. */
  readonly machine: string;
  /** The highest `GLIBC_2.N` symbol version it needs (`2.34`), or null when it needs none. */
  readonly glibc: string | null;
}

const EM_NAMES: Record<number, string> = { 62: 'x86-64', 183: 'aarch64' };
/** The ELF machine each Juju architecture runs. */
export const ELF_MACHINE_OF: Readonly<Record<string, string>> = { amd64: 'x86-64', arm64: 'aarch64' };

const SHT_GNU_VERNEED = 0x6ffffffe;

/** `2.34` vs `2.28`: negative, zero or positive like a sort comparator. */
export function compareGlibc(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Reads the machine and the glibc symbol versions a 64-bit little-endian ELF file needs, from its
 * `.gnu.version_r` section (the version requirements the dynamic linker checks at load time: what
 * fails with "GLIBC_2.N not found" on an older system). Only the parts needed are read, so a
 * 100 MB Node binary costs a few reads.
 *
 * @throws {PackError} the file is not a 64-bit little-endian ELF file.
 */
export function readElf(path: string): ElfInfo {
  const fd = openSync(path, 'r');
  try {
    const read = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(length);
      const got = readSync(fd, buf, 0, length, offset);
      if (got !== length) throw new PackError(`${path}: truncated ELF file`);
      return buf;
    };
    const header = read(0, 64);
    if (header.readUInt32BE(0) !== 0x7f454c46) throw new PackError(`${path} is not an ELF file`);
    if (header[4] !== 2 || header[5] !== 1) {
      throw new PackError(`${path} is not a 64-bit little-endian ELF file`);
    }
    const eMachine = header.readUInt16LE(0x12);
    const machine = EM_NAMES[eMachine] ?? `machine ${eMachine}`;
    const shoff = Number(header.readBigUInt64LE(0x28));
    const shentsize = header.readUInt16LE(0x3a);
    const shnum = header.readUInt16LE(0x3c);
    if (shoff === 0 || shnum === 0) return { machine, glibc: null };
    const table = read(shoff, shentsize * shnum);
    const section = (index: number) => {
      const at = index * shentsize;
      return {
        type: table.readUInt32LE(at + 4),
        offset: Number(table.readBigUInt64LE(at + 0x18)),
        size: Number(table.readBigUInt64LE(at + 0x20)),
        link: table.readUInt32LE(at + 0x28),
        info: table.readUInt32LE(at + 0x2c),
      };
    };
    let glibc: string | null = null;
    for (let i = 0; i < shnum; i++) {
      const verneed = section(i);
      if (verneed.type !== SHT_GNU_VERNEED) continue;
      const strtab = section(verneed.link);
      const strings = read(strtab.offset, strtab.size);
      const name = (offset: number): string => {
        const end = strings.indexOf(0, offset);
        return strings.toString('latin1', offset, end < 0 ? undefined : end);
      };
      const data = read(verneed.offset, verneed.size);
      // Elf64_Verneed {u16 version, u16 cnt, u32 file, u32 aux, u32 next}, each followed (at aux)
      // by cnt Elf64_Vernaux {u32 hash, u16 flags, u16 other, u32 name, u32 next}.
      let need = 0;
      for (let n = 0; n < verneed.info; n++) {
        const count = data.readUInt16LE(need + 2);
        let aux = need + data.readUInt32LE(need + 8);
        for (let a = 0; a < count; a++) {
          const match = /^GLIBC_(\d+\.\d+(?:\.\d+)?)$/.exec(name(data.readUInt32LE(aux + 8)));
          if (match && (glibc === null || compareGlibc(match[1] as string, glibc) > 0))
            glibc = match[1] as string;
          aux += data.readUInt32LE(aux + 12);
        }
        const next = data.readUInt32LE(need + 12);
        if (next === 0) break;
        need += next;
      }
    }
    return { machine, glibc };
  } finally {
    closeSync(fd);
  }
}
