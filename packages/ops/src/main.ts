import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CharmClass } from './charm-base.js';
import { loadCharmMeta } from './charm-meta.js';
import { dispatch } from './dispatch.js';
import { HookTools } from './hook-tools/hook-tools.js';
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
  /** See {@link FrameworkOptions.deferredFailureLimit}. */
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

/** Set in the environment while a charm dispatches, so a charm that re-runs itself does nothing. */
export const DISPATCH_GUARD = 'CHARMKIT_DISPATCH';

/**
 * The entry point of a charm: `main(MyCharm)`. It reads the hook's environment, the charm's
 * metadata, opens storage, runs one dispatch and ends the process with 0, or 1 with the error
 * and its stack sent to `juju-log --log-level ERROR` and to stderr. Resolves to the exit code.
 */
export async function main(charmClass: CharmClass, options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  if (env[DISPATCH_GUARD] === '1') {
    stderr(
      `${DISPATCH_GUARD} is set: a charm dispatch is already running in a parent process; doing nothing\n`,
    );
    return finish(0, options);
  }
  if (!options.env) process.env[DISPATCH_GUARD] = '1';

  const tools = new HookTools({ env: { ...env, [DISPATCH_GUARD]: '1' } });
  const logger = new HookLogger((level, message) => tools.jujuLog(level, message), {
    echoToStderr: env.JUJU_DEBUG !== undefined,
    stderr,
    ...(options.stdout ? { stdout: options.stdout } : {}),
  });
  let storage: Storage | undefined;
  try {
    const context = parseJujuContext(env);
    const meta = loadCharmMeta(context.charmDir);
    storage =
      options.storage === 'juju'
        ? new JujuStorage(tools)
        : new SqliteStorage(join(context.charmDir, '.unit-state.db'), nativeBindingOption(options));
    await dispatch(charmClass, {
      context,
      meta,
      storage,
      backend: new HookToolsBackend(tools),
      logger,
      ...(options.deferredFailureLimit === undefined
        ? {}
        : { deferredFailureLimit: options.deferredFailureLimit }),
    });
    return finish(0, options);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    stderr(`charmkit: the hook failed: ${text}\n`);
    try {
      tools.jujuLog('ERROR', `Uncaught error in the charm: ${text}`);
    } catch (logError) {
      stderr(
        `charmkit: juju-log failed too: ${logError instanceof Error ? logError.message : String(logError)}\n`,
      );
    }
    return finish(1, options);
  } finally {
    storage?.close();
  }
}

/**
 * A built charm ships `better_sqlite3.node` beside its bundle; when it is there, use it, so the
 * bundle needs no node_modules.
 */
function nativeBindingOption(options: MainOptions): { nativeBinding?: string } {
  if (options.nativeBinding) return { nativeBinding: options.nativeBinding };
  const entry = process.argv[1];
  if (!entry) return {};
  const beside = join(dirname(resolve(entry)), 'better_sqlite3.node');
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
