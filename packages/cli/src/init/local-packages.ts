import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InitError } from '../errors.js';

/** A @charmkit/* package found on disk: its name, version, npm spec and @charmkit/* dependencies. */
interface LocalPackage {
  readonly name: string;
  readonly version: string;
  readonly spec: string;
  readonly needs: readonly string[];
}

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** What a new charm installs directly; the rest of the closure comes in as devDependencies. */
const ROOTS = ['@charmkit/ops', '@charmkit/testing', '@charmkit/cli'];

/**
 * Resolves `charmkit init --packages <dir>`: `dir` holds `npm pack` tarballs of the @charmkit/*
 * packages, or is a charmkit checkout (its `packages/*`). Returns package name → npm spec
 * (`file:` + absolute path) for every @charmkit/* package the new charm needs, directly or not:
 * until the packages are on the registry, npm must find each of them locally, or it asks the
 * registry for them and fails.
 */
export function localPackageSpecs(dir: string, cliVersion: string): Record<string, string> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InitError(`--packages ${dir}: no such directory`);
  }
  const found = new Map<string, LocalPackage>();
  for (const pkg of [...tarballs(root), ...checkoutPackages(root)]) {
    const seen = found.get(pkg.name);
    // Several versions of one package: the CLI's own version wins.
    if (!seen || (seen.version !== cliVersion && pkg.version === cliVersion)) found.set(pkg.name, pkg);
  }
  const specs: Record<string, string> = {};
  const missing: string[] = [];
  const queue = [...ROOTS];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (name in specs || missing.includes(name)) continue;
    const pkg = found.get(name);
    if (!pkg) {
      missing.push(name);
      continue;
    }
    specs[name] = pkg.spec;
    queue.push(...pkg.needs);
  }
  if (missing.length > 0) {
    throw new InitError(
      `--packages ${dir}: no ${missing.join(', ')} there (expected npm pack tarballs, or a charmkit checkout)`,
    );
  }
  return specs;
}

function describe(manifest: Manifest, spec: string): LocalPackage | undefined {
  if (typeof manifest.name !== 'string' || !manifest.name.startsWith('@charmkit/')) return undefined;
  const optional = manifest.peerDependenciesMeta ?? {};
  const needs = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => optional[name]?.optional !== true),
  ].filter((name) => name.startsWith('@charmkit/'));
  return { name: manifest.name, version: String(manifest.version), spec, needs };
}

function tarballs(root: string): LocalPackage[] {
  return readdirSync(root)
    .filter((file) => file.endsWith('.tgz'))
    .sort()
    .flatMap((file) => {
      const path = join(root, file);
      const manifest = manifestInTarball(path);
      const pkg = manifest && describe(manifest, `file:${path}`);
      return pkg ? [pkg] : [];
    });
}

function checkoutPackages(root: string): LocalPackage[] {
  const packages = join(root, 'packages');
  if (!existsSync(packages)) return [];
  return readdirSync(packages)
    .sort()
    .flatMap((entry) => {
      const path = join(packages, entry, 'package.json');
      if (!existsSync(path)) return [];
      const pkg = describe(
        JSON.parse(readFileSync(path, 'utf8')) as Manifest,
        `file:${join(packages, entry)}`,
      );
      return pkg ? [pkg] : [];
    });
}

/** `package/package.json` of an npm tarball: a gzipped tar of 512-byte headers and blocks. */
function manifestInTarball(path: string): Manifest | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(readFileSync(path));
  } catch {
    return undefined;
  }
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (name === '') return undefined;
    const size = Number.parseInt(header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim(), 8) || 0;
    const body = offset + 512;
    if (name === 'package/package.json') {
      return JSON.parse(tar.toString('utf8', body, body + size)) as Manifest;
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
