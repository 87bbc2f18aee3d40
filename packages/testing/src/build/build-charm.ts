import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BUILT_CHARM_META_FILE, buildCharmMetaJson, type DispatchManifest } from '@charmkit/ops/internal';
import { type BuildOptions, build } from 'esbuild';
import { asciiBundle } from './ascii-source.js';
import { CharmBuildError } from './build-errors.js';
import { resolveBuildIncludes } from './build-includes.js';
import { dispatchScript } from './dispatch-script.js';
import { entryWithoutTopLevelAwait } from './entry-without-top-level-await.js';
import { probeCharm } from './probe-charm.js';
import { requireBuiltins } from './require-builtins.js';
import { buildSnapshot } from './snapshot.js';

/** What to build. */
export interface BuildCharmOptions {
  /** The charm project: its metadata files and its sources. */
  readonly charmDir: string;
  /** The entry, relative to `charmDir` (default `src/charm.ts`); it should call `main(MyCharm)`. */
  readonly entry?: string;
  /** Where the built charm goes (`dispatch`, `dist/`, metadata). */
  readonly outDir: string;
  /**
   * Extra export conditions for resolving packages. The default, `['@charmkit/source']`, bundles
   * charmkit packages from their TypeScript sources (they ship them), so a workspace needs no
   * `tsc` build first.
   */
  readonly conditions?: readonly string[];
  /** Minify the bundle (default false: stack traces in `juju debug-log` stay readable). */
  readonly minify?: boolean;
  /**
   * Probe the charm (run the bundle once, constructing the charm outside any hook) and let the
   * `dispatch` script skip hooks it does not observe while no deferred event is pending (default
   * true). The probe refuses when that could change behaviour; `dispatchManifest` says why.
   */
  readonly skipUnobservedHooks?: boolean;
  /**
   * Also build a V8 startup snapshot (`dist/charm.blob`) and start hooks from it (default false).
   * It saves most of the bundle's start-up, but the charm's module-level code then runs at build
   * time, and the blob only works with the Node binary that built it (the `dispatch` script falls
   * back without it otherwise). See docs/explanation/performance.md.
   */
  readonly startupSnapshot?: boolean;
  /**
   * Put what the framework imports dynamically (the YAML parser, the Pebble client's schemas…) in
   * chunks read only when used (default true). That saves compiling code a hook does not run when
   * Node has no compile cache (Node 20, which `charmkit build` charms run on). A packed charm's own
   * Node keeps a compile cache, and starts faster from one file: one read, one cache lookup,
   * nothing to link (docs/explanation/performance.md). `charmkit pack` turns splitting off.
   * A CommonJS bundle is never split.
   */
  readonly splitting?: boolean;
  /**
   * The bundle's module format (default `esm`, `dist/charm.mjs`). `cjs` writes `dist/charm.cjs`,
   * one file, which Node loads faster than an ES module: no module graph, source read straight
   * into a string (docs/explanation/performance.md); `charmkit pack` asks for it. A charm that
   * needs ES modules (`import.meta`, top-level await other than the entry's `await main(…)`) is
   * bundled as `esm` instead, and `formatNote` says why.
   */
  readonly format?: BundleFormat;
}

/** The module format of a built charm's bundle. */
export type BundleFormat = 'esm' | 'cjs';

/** What was built. */
export interface BuiltCharm {
  /** The built charm directory (deployable once packed; what the simulator's process mode runs). */
  readonly outDir: string;
  /** `outDir/dispatch`. */
  readonly dispatch: string;
  /** `outDir/dist/charm.mjs`, or `outDir/dist/charm.cjs` for a CommonJS bundle. */
  readonly bundle: string;
  /** The bundle's format: what was asked for, or `esm` when the charm cannot be CommonJS. */
  readonly format: BundleFormat;
  /** Why a `cjs` build fell back to `esm`, or null. */
  readonly formatNote: string | null;
  /** Bundle size in bytes. */
  readonly bundleBytes: number;
  /** `outDir/dist/better_sqlite3.node`. */
  readonly addon: string;
  /**
   * What the probe found (`dist/dispatch-manifest.json`): whether hooks may be skipped and which
   * kinds the charm observes; null when not probed or when the probe failed (`probeError`).
   */
  readonly dispatchManifest: DispatchManifest | null;
  /** Why the probe failed, or null. */
  readonly probeError: string | null;
  /** `outDir/dist/charm.blob` when a startup snapshot was asked for and built, else null. */
  readonly snapshot: string | null;
  /** Why the snapshot could not be built, or null. */
  readonly snapshotError: string | null;
  /** The metadata files copied (names). */
  readonly metadataFiles: readonly string[];
  /**
   * The other files and folders copied, relative to the charm directory: the defaults
   * (`charmkit.yaml`, `reactive`, `templates`, `files`) that exist and charmkit.yaml's `build.include`.
   */
  readonly includes: readonly string[];
  /** How long the build took. */
  readonly durationMs: number;
}

/** Metadata files Juju and charmkit read from the charm directory. */
const METADATA_FILES = ['metadata.yaml', 'config.yaml', 'actions.yaml', 'charmcraft.yaml'];

// esbuild writes ESM, and bundled CommonJS dependencies call require(): give them one.
const BANNER =
  "import { createRequire as __charmkitCreateRequire } from 'node:module'; const require = __charmkitCreateRequire(import.meta.url);";

/**
 * Builds a charm: one esbuild bundle of the entry with every dependency inside
 * (`dist/charm.mjs`: ESM, Node 20, names kept for handle kinds and stack traces), the
 * better-sqlite3 addon beside it (`main()` finds it there), a `dispatch` script, and the metadata
 * files. The result runs with nothing but Node on the machine.
 *
 * @throws {CharmBuildError} no metadata, no entry, a bundling error, or no better-sqlite3 addon.
 * @throws {BuildIncludeError} an entry of charmkit.yaml's `build.include` is wrong.
 */
export async function buildCharm(options: BuildCharmOptions): Promise<BuiltCharm> {
  const started = performance.now();
  const charmDir = resolve(options.charmDir);
  const outDir = resolve(options.outDir);
  const entry = options.entry ?? 'src/charm.ts';
  const entryPath = isAbsolute(entry) ? entry : join(charmDir, entry);
  if (!existsSync(entryPath)) throw new CharmBuildError(`the charm entry ${entryPath} does not exist`);
  const metadataFiles = METADATA_FILES.filter((name) => existsSync(join(charmDir, name)));
  if (!metadataFiles.includes('metadata.yaml') && !metadataFiles.includes('charmcraft.yaml')) {
    throw new CharmBuildError(`${charmDir} has neither metadata.yaml nor charmcraft.yaml`);
  }
  // Checked before bundling: a wrong entry should not cost a build.
  const includes = resolveBuildIncludes(charmDir, outDir).paths;

  const distDir = join(outDir, 'dist');
  mkdirSync(distDir, { recursive: true });
  // Chunks and the other format's bundle from an earlier build would linger unreferenced.
  rmSync(join(distDir, 'chunks'), { recursive: true, force: true });
  for (const name of ['charm.mjs', 'charm.cjs']) rmSync(join(distDir, name), { force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    // No keepNames: its `__name()` call for each of ~400 functions costs about 2 ms of every hook.
    // esbuild keeps names anyway unless two clash; test/build checks no error class was renamed.
    keepNames: false,
    minify: options.minify ?? false,
    conditions: [...(options.conditions ?? ['@charmkit/source'])],
    absWorkingDir: charmDir,
    logLevel: 'silent',
  } satisfies BuildOptions;
  let format: BundleFormat = options.format ?? 'esm';
  let formatNote: string | null = null;
  if (format === 'cjs') {
    formatNote = await bundleCommonJs(entryPath, join(distDir, 'charm.cjs'), common);
    if (formatNote !== null) format = 'esm';
  }
  const bundle = join(distDir, format === 'cjs' ? 'charm.cjs' : 'charm.mjs');
  if (format === 'esm') {
    try {
      await build({
        ...common,
        entryPoints: { charm: entryPath },
        outdir: distDir,
        splitting: options.splitting ?? true,
        chunkNames: 'chunks/[name]-[hash]',
        outExtension: { '.js': '.mjs' },
        format: 'esm',
        banner: { js: BANNER },
        plugins: [requireBuiltins],
      });
    } catch (error) {
      throw new CharmBuildError(
        `esbuild could not bundle ${entryPath}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  asciiBundle(distDir);

  // The metadata as JSON, so a hook does not parse YAML (main() checks it is still current).
  let metaJson: string;
  try {
    metaJson = JSON.stringify(buildCharmMetaJson(charmDir));
  } catch (error) {
    throw new CharmBuildError(
      `invalid metadata in ${charmDir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  writeFileSync(join(distDir, BUILT_CHARM_META_FILE), `${metaJson}\n`);

  const addon = join(distDir, 'better_sqlite3.node');
  copyFileSync(findAddon(charmDir), addon);

  for (const name of metadataFiles) copyFileSync(join(charmDir, name), join(outDir, name));
  // Files the charm reads at run time: charmkit's own options, reactive handlers in any language,
  // templates, and what charmkit.yaml's build.include adds. Modes are kept, so executable handlers
  // stay executable.
  for (const name of includes) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    cpSync(join(charmDir, name), join(outDir, name), { recursive: true });
  }

  const probe =
    options.skipUnobservedHooks === false ? { manifest: null, error: null } : probeCharm(outDir, bundle);
  const snapshot = options.startupSnapshot
    ? await buildSnapshot(charmDir, entryPath, outDir, options.conditions ?? ['@charmkit/source'])
    : { blob: null, error: null };
  const dispatch = join(outDir, 'dispatch');
  writeFileSync(
    dispatch,
    dispatchScript(probe.manifest, { snapshot: snapshot.blob !== null, bundle: `dist/${basename(bundle)}` }),
  );
  chmodSync(dispatch, 0o755);

  return {
    outDir,
    dispatch,
    bundle,
    format,
    formatNote,
    bundleBytes: statSync(bundle).size,
    addon,
    dispatchManifest: probe.manifest,
    probeError: probe.error,
    snapshot: snapshot.blob,
    snapshotError: snapshot.error,
    metadataFiles,
    includes,
    durationMs: performance.now() - started,
  };
}

/**
 * The better-sqlite3 addon the charm will load: the charm's own dependency when it has one, else the
 * one `@charmkit/ops` depends on.
 */
function findAddon(charmDir: string): string {
  const target = 'better-sqlite3/build/Release/better_sqlite3.node';
  const attempts = [
    () => createRequire(join(charmDir, 'package.json')).resolve(target),
    () => createRequire(createRequire(import.meta.url).resolve('@charmkit/ops/package.json')).resolve(target),
    () => createRequire(import.meta.url).resolve(target),
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next place
    }
  }
  throw new CharmBuildError(
    'cannot find better-sqlite3/build/Release/better_sqlite3.node: install better-sqlite3 (a dependency of @charmkit/ops) and let its install script build the addon',
  );
}

/**
 * Bundles the charm as one CommonJS file at `outFile`. Returns null, or why the charm needs ES
 * modules (then nothing is left at `outFile`): esbuild refuses top-level await in CommonJS, and
 * leaves `import.meta` empty there (but for `url`, `dirname` and `filename`, defined here), which
 * would break the charm at run time.
 */
async function bundleCommonJs(
  entryPath: string,
  outFile: string,
  common: BuildOptions,
): Promise<string | null> {
  try {
    const result = await build({
      ...common,
      entryPoints: [entryPath],
      outfile: outFile,
      format: 'cjs',
      // As in the ES module bundle, import.meta.url is the bundle's own URL: code that resolves
      // from it (createRequire(import.meta.url)) behaves the same in both.
      // Computed on first use: loading node:url at start-up would cost every hook.
      define: {
        'import.meta.url': '__charmkitImportMeta.url',
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
      },
      banner: {
        js: "const __charmkitImportMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };",
      },
      plugins: [requireBuiltins, entryWithoutTopLevelAwait(entryPath)],
    });
    const importMeta = result.warnings.find((w) => w.id === 'empty-import-meta');
    if (importMeta === undefined) return null;
    rmSync(outFile, { force: true });
    const where = importMeta.location ? ` (${importMeta.location.file}:${importMeta.location.line})` : '';
    return `it uses import.meta${where}, which a CommonJS bundle does not have`;
  } catch (error) {
    rmSync(outFile, { force: true });
    const first = (error as { errors?: { text: string }[] }).errors?.[0]?.text;
    return `esbuild cannot bundle it as CommonJS: ${first ?? (error instanceof Error ? error.message : String(error))}`;
  }
}
