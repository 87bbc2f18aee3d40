import { PlatformError, UsageError } from '../errors.js';
import { compareGlibc } from './elf.js';
import type { CharmBaseSpec } from './manifest.js';

/**
 * The Ubuntu releases a charm may name as its base, with the glibc each ships (Ubuntu's `libc6`
 * package of the release). A base not listed is refused: the charm's Node and SQLite addon are
 * checked against this glibc, and an unknown one cannot be checked.
 */
export const UBUNTU_GLIBC: Readonly<Record<string, string>> = {
  '20.04': '2.31',
  '22.04': '2.35',
  '24.04': '2.39',
  '25.04': '2.41',
  '25.10': '2.42',
  '26.04': '2.43',
};

/**
 * The glibc of `base`.
 *
 * @throws {UsageError} not an Ubuntu base listed in {@link UBUNTU_GLIBC}.
 */
export function baseGlibc(base: CharmBaseSpec): string {
  const glibc = base.name === 'ubuntu' ? UBUNTU_GLIBC[base.channel] : undefined;
  if (glibc === undefined) throw unknownBase(`${base.name}@${base.channel}`);
  return glibc;
}

/**
 * Parses `--base`: `ubuntu@<channel>` for a channel of {@link UBUNTU_GLIBC}.
 *
 * @throws {UsageError} anything else.
 */
export function parseUbuntuBase(text: string): CharmBaseSpec {
  const match = /^ubuntu@(\d+\.\d+)$/.exec(text);
  const base = match ? { name: 'ubuntu', channel: match[1] as string } : null;
  if (base === null) throw unknownBase(text);
  baseGlibc(base);
  return base;
}

function unknownBase(text: string): UsageError {
  const known = Object.keys(UBUNTU_GLIBC)
    .map((channel) => `ubuntu@${channel}`)
    .join(', ');
  return new UsageError(`--base ${text}: not a known Ubuntu base (one of ${known})`);
}

/**
 * Refuses a base whose glibc is older than what a file in the charm needs: the dynamic linker
 * would refuse to load it on every hook ("GLIBC_2.N not found"). The charm is never relabelled.
 *
 * @throws {PlatformError} the base's glibc is older than `needed`.
 */
export function checkBaseGlibc(base: CharmBaseSpec, needed: string | null, what: string): void {
  const has = baseGlibc(base);
  if (needed !== null && compareGlibc(has, needed) < 0) {
    throw new PlatformError(
      `${what} needs glibc ${needed}, but ${base.name}@${base.channel} has glibc ${has}: pick a newer base (--base), or pack on a machine with glibc ${has} or older so the addon is compiled against it`,
    );
  }
}
