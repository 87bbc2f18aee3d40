import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HookRunner, HookRunRequest, HookRunResult } from './hook-runner.js';
import type { ToolServer } from './tool-server.js';

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Runs each hook as the built charm's `./dispatch`, a real child process (spawned asynchronously so
 * the tool server keeps answering), in the unit's own copy of the charm directory (so each unit has
 * its own `.unit-state.db`), with a PATH whose first entry holds the hook-tool clients.
 */
export class ProcessRunner implements HookRunner {
  readonly mode = 'process' as const;
  /** Hook processes started. */
  spawned = 0;

  constructor(
    private readonly charmDir: string,
    private readonly unitsDir: string,
    private readonly server: ToolServer,
    private readonly toolsDir: string,
    private readonly hookTimeoutMs: number,
  ) {}

  charmDirOf(unitName: string): string {
    return join(this.unitsDir, unitName.replace('/', '-'), 'charm');
  }

  async prepareUnit(unitName: string): Promise<void> {
    const dir = this.charmDirOf(unitName);
    mkdirSync(dir, { recursive: true });
    cpSync(this.charmDir, dir, {
      recursive: true,
      // A unit starts with no state of its own.
      filter: (source) => !basename(source).startsWith('.unit-state.db'),
    });
  }

  async run({ session, env }: HookRunRequest): Promise<HookRunResult> {
    const fault = session.fault;
    if (fault?.atCall === 0 && fault.kind === 'fail') {
      session.faultFired = true;
      return {
        outcome: 'failed',
        error: `injected fault (${fault.origin}): the hook failed before it started`,
        stderr: '',
      };
    }
    const dir = this.charmDirOf(session.unit.name);
    this.server.open(session);
    try {
      return await new Promise<HookRunResult>((resolve) => {
        this.spawned++;
        // Own process group, so a kill takes the hook and any tool client it is waiting on.
        const child = spawn(join(dir, 'dispatch'), [], {
          cwd: dir,
          env: {
            ...env,
            JUJU_CHARM_DIR: dir,
            CHARM_DIR: dir,
            PATH: `${this.toolsDir}:${process.env.PATH ?? ''}`,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let killedBy: string | null = null;
        const kill = (why: string): void => {
          if (killedBy !== null || child.pid === undefined) return;
          killedBy = why;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        };
        session.onKill = () =>
          kill(`injected SIGKILL (${fault?.origin ?? 'fault'}) at tool call ${session.calls.length}`);
        let stderr = '';
        // Juju logs a hook's stdout at DEBUG; nothing here needs it, but the pipe must be drained.
        child.stdout.resume();
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
          stderr = (stderr + text).slice(-OUTPUT_LIMIT);
        });
        const timer = setTimeout(() => kill(`timed out after ${this.hookTimeoutMs} ms`), this.hookTimeoutMs);
        if (fault?.atCall === 0 && fault.kind === 'kill') {
          session.faultFired = true;
          kill(`injected SIGKILL (${fault.origin}) as the hook started`);
        }
        child.on('error', (error) => {
          clearTimeout(timer);
          resolve({
            outcome: 'failed',
            error: `cannot run ${join(dir, 'dispatch')}: ${error.message}`,
            stderr,
          });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (killedBy !== null || signal !== null) {
            resolve({ outcome: 'killed', error: killedBy ?? `killed by ${signal}`, stderr });
          } else if (code === 0) {
            resolve({ outcome: 'ok', error: null, stderr });
          } else {
            resolve({ outcome: 'failed', error: failureLine(stderr, code), stderr });
          }
        });
      });
    } finally {
      session.onKill = null;
      this.server.close(session);
    }
  }

  async close(): Promise<void> {
    await this.server.shutdown();
  }
}

/** The interesting line of a failed hook's stderr: what main() reported, else the last line. */
function failureLine(stderr: string, code: number | null): string {
  const marker = 'charmkit: the hook failed: ';
  const at = stderr.indexOf(marker);
  if (at >= 0) return (stderr.slice(at + marker.length).split('\n')[0] ?? '').trim();
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1)?.trim() ?? `exit code ${code}`;
}
