import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where `charmkit pack` keeps what it fetched or compiled (Node runtimes, SQLite addons):
 * `$CHARMKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/charmkit`, else `~/.cache/charmkit`.
 */
export function charmkitCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHARMKIT_CACHE_DIR) return resolve(env.CHARMKIT_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'charmkit');
  return join(homedir(), '.cache', 'charmkit');
}
