import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CharmClass } from './charm-base.js';
import {
  BUILT_CHARM_META_FILE,
  type CharmMeta,
  parseCharmMeta,
  readBuiltCharmFiles,
  readCharmkitFile,
  readCharmMetaSources,
} from './charm-meta.js';
import { dispatch } from './dispatch.js';
import { claimDispatch, type DispatchClaim } from './dispatch-guard.js';
import {
  COMPILE_CACHE_DIR,
  DISPATCH_MANIFEST_ENV,
  DISPATCH_MANIFEST_FILE,
  type DispatchManifest,
  manifestMismatch,
  NO_SKIP_MARKER,
} from './dispatch-manifest.js';
import { HookTools } from './hook-tools/hook-tools.js';
import { cleanPrivateTempDir } from './hook-tools/private-temp-dir.js';
import { parseJujuContext } from './juju-context.js';
import { HookLogger } from './logger.js';
import { HookToolsBackend } from './model/hook-tools-backend.js';
import { JujuStorage } from './storage/juju-storage.js';
import { SqliteStorage } from './storage/sqlite-storage.js';
import type { Storage } from './storage/storage.js';

/** Options for {@link main}. */
export interface MainOptions {
  /**
   * Where deferred events and stored state live: `sqlite` (default, `<charm dir>/.unit-state.db`)
   * or `juju` (controller-side `state-get`/`state-set`, for pods whose disk does not survive).
   */
  readonly storage?: 'sqlite' | 'juju';
  /**
   * How many dispatches in a row a deferred handler may throw before its notice is parked
   * (taken out of the queue and kept for `charmkit state`). Default 5; `Infinity` never parks.
   */
  readonly deferredFailureLimit?: number;
  /** Path of `better_sqlite3.node` for bundled charms (the build puts it beside the bundle). */
  readonly nativeBinding?: string;
  /** The environment (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where stderr lines go (default `process.stderr`). */
  readonly stderr?: (text: string) => void;
  /** Where stdout lines (DEBUG logging) go (default `process.stdout`). */
  readonly stdout?: (text: string) => void;
  /** Whether to end the process when done (default true; tests pass false). */
  readonly exit?: boolean;
}

/**
 * The entry point of a charm: `main(MyCharm)`. It reads the hook's environment, the charm's
 * metadata, opens storage, runs one dispatch and ends the process with 0, or 1 with the error
 * and its stack sent to `juju-log --log-level ERROR` and to stderr. Resolves to the exit code.
 *
 * A charm that runs itself again while it dispatches (from a handler, in this process or a child
 * process) does nothing and exits 0; see `dispatch-guard.ts`. Nothing in the environment can make a
 * hook skip, and nothing is added to the environment of processes the charm starts.
 */
export async function main(charmClass: CharmClass, options: MainOptions = {}): Promise<number> {
  if (buildingSnapshot()) {
    // `buildCharm({ startupSnapshot: true })` runs the bundle under `node --build-snapshot`: its
    // code has been evaluated, which is what the snapshot keeps; the dispatch runs when a hook
    // starts Node from the snapshot.
    process.getBuiltinModule('node:v8').startupSnapshot.setDeserializeMainFunction(() => {
      void main(charmClass, options);
    });
    return 0;
  }
  const env = options.env ?? process.env;
  // The compile cache the dispatch script turned on is for this process, not for its children.
  if (process.env.NODE_COMPILE_CACHE?.endsWith(`/${COMPILE_CACHE_DIR}`))
    delete process.env.NODE_COMPILE_CACHE;
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const tools = new HookTools({ env });
  const logger = new HookLogger((level, message) => tools.jujuLog(level, message), {
    echoToStderr: env.JUJU_DEBUG !== undefined,
    stderr,
    ...(options.stdout ? { stdout: options.stdout } : {}),
  });
  const manifestOut = env[DISPATCH_MANIFEST_ENV];
  if (manifestOut) return writeManifest(charmClass, manifestOut, env, stderr, options);

  let storage: Storage | undefined;
  let claim: DispatchClaim | undefined;
  let code: number;
  try {
    const context = parseJujuContext(env);
    const claimed = claimDispatch(context.charmDir);
    if (!('release' in claimed)) {
      const where = claimed.where === 'ancestor' ? `in parent process ${claimed.pid}` : 'in this process';
      stderr(`charmkit: a dispatch of this charm is already running ${where}; doing nothing\n`);
      return finish(0, options);
    }
    claim = claimed;
    // Only after the claim: a nested dispatch must not delete a parent's secret file mid-call.
    cleanPrivateTempDir(context.charmDir);
    const { meta, charmkit } = await loadCharmFiles(context.charmDir);
    storage =
      options.storage === 'juju'
        ? new JujuStorage(tools)
        : new SqliteStorage(join(context.charmDir, '.unit-state.db'), nativeBindingOption(options));
    const manifest = readManifest();
    await dispatch(charmClass, {
      context,
      meta,
      storage,
      backend: new HookToolsBackend(tools),
      logger,
      charmkitConfig: charmkit,
      ...(manifest?.skippable
        ? {
            onCharm: (charm, framework) => {
              const why = manifestMismatch(manifest, framework, charm);
              if (why) disableSkipping(context.charmDir, why, logger);
            },
          }
        : {}),
      ...(options.deferredFailureLimit === undefined
        ? {}
        : { deferredFailureLimit: options.deferredFailureLimit }),
    });
    code = 0;
  } catch (error) {
    flushLogs(logger, stderr);
    reportFailure(tools, stderr, 'the hook failed', 'Uncaught error in the charm', error);
    code = 1;
  }
  flushLogs(logger, stderr);
  try {
    storage?.close();
  } catch (closeError) {
    if (code === 0) {
      // The hook's changes are committed, but Juju must not record a success we cannot vouch for.
      reportFailure(
        tools,
        stderr,
        'the hook ran but closing its storage failed',
        'Closing the unit-state storage failed',
        closeError,
      );
      code = 1;
    } else {
      // Secondary to the error already reported: one line, never in its place.
      stderr(`charmkit: closing the unit-state storage failed as well: ${messageOf(closeError)}\n`);
    }
  } finally {
    claim?.release();
  }
  return finish(code, options);
}

/** The one clear error of a failed hook: its stack on stderr and in `juju-log --log-level ERROR`. */
function reportFailure(
  tools: HookTools,
  stderr: (text: string) => void,
  headline: string,
  logHeadline: string,
  error: unknown,
): void {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  stderr(`charmkit: ${headline}: ${text}\n`);
  try {
    tools.jujuLog('ERROR', `${logHeadline}: ${text}`);
  } catch (logError) {
    stderr(`charmkit: juju-log failed too: ${messageOf(logError)}\n`);
  }
}

/** Sends buffered log lines; a failing `juju-log` must not keep storage open or hide the hook's outcome. */
function flushLogs(logger: HookLogger, stderr: (text: string) => void): void {
  try {
    logger.flush();
  } catch (error) {
    stderr(`charmkit: could not send buffered log lines to juju-log: ${messageOf(error)}\n`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True while `node --build-snapshot` runs the bundle. */
function buildingSnapshot(): boolean {
  return (
    process.execArgv.includes('--build-snapshot') &&
    process.getBuiltinModule('node:v8').startupSnapshot.isBuildingSnapshot()
  );
}

/** The build's dispatch manifest beside the bundle, or null. */
function readManifest(): DispatchManifest | null {
  const dir = bundleDir();
  if (dir === null) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, DISPATCH_MANIFEST_FILE), 'utf8')) as DispatchManifest;
    return manifest?.format === 'charmkit-dispatch/1' ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * The charm constructed in this hook does not match the build's manifest: the `dispatch` script
 * must not skip any hook on this unit again.
 */
function disableSkipping(charmDir: string, why: string, logger: HookLogger): void {
  const marker = join(charmDir, NO_SKIP_MARKER);
  if (existsSync(marker)) return;
  writeFileSync(marker, `${why}\n`, { mode: 0o600 });
  logger.warning(
    `The charm does not match its build's dispatch manifest (${why}); hooks will no longer be skipped on this unit.`,
  );
}

/**
 * Build-time probe (`buildCharm` runs the bundle with CHARMKIT_DISPATCH_MANIFEST set): constructs
 * the charm outside any hook and writes what it observes; dispatches nothing.
 */
async function writeManifest(
  charmClass: CharmClass,
  out: string,
  env: Readonly<Record<string, string | undefined>>,
  stderr: (text: string) => void,
  options: MainOptions,
): Promise<number> {
  try {
    const charmDir = env.JUJU_CHARM_DIR ?? process.cwd();
    const { meta, charmkit } = await loadCharmFiles(charmDir);
    const { probeDispatchManifest } = await import('./dispatch-probe.js');
    writeFileSync(out, `${JSON.stringify(probeDispatchManifest(charmClass, meta, charmDir, charmkit))}\n`);
    return finish(0, options);
  } catch (error) {
    stderr(
      `charmkit: cannot probe the charm for its dispatch manifest: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return finish(1, options);
  }
}

/** The directory of the running script: a built charm's `dist/`, where the build put its files. */
function bundleDir(): string | null {
  const entry = process.argv[1];
  return entry ? dirname(resolve(entry)) : null;
}

/**
 * The charm's metadata and `charmkit.yaml`: from the JSON the build wrote beside the bundle when it
 * is still current, else from the YAML files (the parser is loaded only then).
 */
async function loadCharmFiles(charmDir: string): Promise<{ meta: CharmMeta; charmkit: unknown }> {
  const dir = bundleDir();
  const built = dir === null ? null : readBuiltCharmFiles(join(dir, BUILT_CHARM_META_FILE), charmDir);
  if (built) return built;
  const { parseYaml } = await import('./internal/yaml.js');
  return {
    meta: parseCharmMeta(readCharmMetaSources(charmDir, parseYaml)),
    charmkit: readCharmkitFile(charmDir, parseYaml),
  };
}

/**
 * A built charm ships `better_sqlite3.node` beside its bundle; when it is there, use it, so the
 * bundle needs no node_modules.
 */
function nativeBindingOption(options: MainOptions): { nativeBinding?: string } {
  if (options.nativeBinding) return { nativeBinding: options.nativeBinding };
  const dir = bundleDir();
  if (dir === null) return {};
  const beside = join(dir, 'better_sqlite3.node');
  return existsSync(beside) ? { nativeBinding: beside } : {};
}

function finish(code: number, options: MainOptions): number {
  if (options.exit !== false) {
    process.exitCode = code;
    // A handle left open by charm code (a socket, a timer) must not keep the hook running forever.
    setTimeout(() => process.exit(code), 0).unref();
  }
  return code;
}
