import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PackError } from '../errors.js';

/** The full path of `name` on PATH, or null. */
export function whichTool(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const full = join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Runs a build tool to completion and returns its stdout.
 *
 * @throws {PackError} it could not start or exited non-zero (the message ends with its output).
 */
export function runTool(
  file: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly what: string; readonly env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(
          new PackError(`${options.what} failed (${file} ${args.join(' ')}):\n${tail}`, { cause: error }),
        );
      },
    );
  });
}
