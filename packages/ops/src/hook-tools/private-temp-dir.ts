import { chmodSync, lstatSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HookToolTempDirError } from './errors.js';

// Juju's secret-add and secret-set take content from arguments (`key=value`, visible to every user
// in /proc) or from a file the unit agent reads (`--file`, `key#file=`); they never read stdin.
// So secret content goes through a file, and the file must not outlive the hook even when the hook
// is killed: it lives in a private directory of the charm (not /tmp, which nothing cleans), which
// every dispatch empties first.

/** Name of the private temp directory in the charm directory. */
export const PRIVATE_TEMP_DIR_NAME = '.charmkit-tmp';

/** The private temp directory of a charm: `<charmDir>/.charmkit-tmp`. */
export function privateTempDirOf(charmDir: string): string {
  return join(charmDir, PRIVATE_TEMP_DIR_NAME);
}

/**
 * Removes `<charmDir>/.charmkit-tmp` and everything in it: files a hook killed during `secret-add`
 * or `secret-set` left behind. `main()` calls it at the start of every dispatch, before any hook
 * tool runs. A symlink in its place is removed, never followed. Nothing to do if it is absent.
 *
 * @throws {HookToolTempDirError} it exists and cannot be removed.
 */
export function cleanPrivateTempDir(charmDir: string): void {
  const dir = privateTempDirOf(charmDir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    throw new HookToolTempDirError(
      `cannot remove ${dir}, which may hold secret content left by a killed hook: ${errorCode(error)}`,
      { tool: '', args: [], exitCode: null, stderr: '', cause: error },
    );
  }
}

/**
 * Writes `content` to a new file (mode 0600) in `dir` (created with mode 0700 if absent), calls
 * `use` with its absolute path, and removes the file, and `dir` if then empty, whatever happens.
 *
 * @throws {HookToolTempDirError} `dir` is not a directory of this user, or cannot be created.
 */
export function withPrivateFile<T>(dir: string, tool: string, content: string, use: (file: string) => T): T {
  const fail = (why: string, cause?: unknown): never => {
    throw new HookToolTempDirError(`${tool}: cannot use ${dir} for the content file: ${why}`, {
      tool,
      args: [],
      exitCode: null,
      stderr: '',
      ...(cause === undefined ? {} : { cause }),
    });
  };
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fail(errorCode(error), error);
  }
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) fail('it is a symbolic link');
  if (!stat.isDirectory()) fail('it is not a directory');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) fail(`it belongs to uid ${stat.uid}, not to this process`);
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);

  const name = `content-${process.pid}-${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}.json`;
  const file = join(dir, name);
  try {
    // `wx`: O_CREAT|O_EXCL, so an existing file or symlink of that name is never written through.
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    return use(file);
  } finally {
    rmSync(file, { force: true });
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (another file of this hook) or already gone: the next dispatch cleans it.
    }
  }
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
