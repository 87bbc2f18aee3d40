import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `/usr/bin/time` reports the peak RSS of the process it runs (GNU time `%M`, KiB). */
export const TIME_BIN = ['/usr/bin/time', '/bin/time'].find((path) => existsSync(path)) ?? null;

/** What one whole-process run measured. */
export interface ProcessRun {
  readonly wallMs: number;
  /** Peak RSS in MiB (from GNU time), or null when `/usr/bin/time` is not installed. */
  readonly rssMiB: number | null;
  /** Hook-tool processes the run started (counted by the fake tools themselves). */
  readonly tools: number;
  readonly toolNames: readonly string[];
  readonly status: number | null;
  readonly stderr: string;
  readonly stdoutBytes: number;
}

/** How to run a hook the way Juju does. */
export interface HookSpec {
  /** `hooks/update-status` or `actions/seed-deferred`. */
  readonly dispatchPath: string;
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** Where runs happen: the charm directory, the fake tools and the scratch files. */
export interface Bench {
  readonly toolsDir: string;
  readonly scratchDir: string;
}

let contextCounter = 0;

/** The environment Juju builds for a hook (juju-contract §3): built, not inherited. */
export function jujuEnv(bench: Bench, charmDir: string, spec: HookSpec): Record<string, string> {
  const isAction = spec.dispatchPath.startsWith('actions/');
  const name = spec.dispatchPath.slice(spec.dispatchPath.indexOf('/') + 1);
  contextCounter += 1;
  return {
    CHARM_DIR: charmDir,
    JUJU_CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: `bench-redis/0-${name}-${contextCounter}`,
    JUJU_HOOK_NAME: isAction ? '' : name,
    JUJU_AGENT_SOCKET_ADDRESS: '@/var/lib/juju/agents/unit-bench-redis-0/agent.socket',
    JUJU_AGENT_SOCKET_NETWORK: 'unix',
    JUJU_UNIT_NAME: 'bench-redis/0',
    JUJU_MODEL_UUID: '8b0f7a6e-8a4c-4a0b-9d2e-3c1f5e6d7a8b',
    JUJU_MODEL_NAME: 'bench',
    JUJU_API_ADDRESSES: '10.0.0.1:17070',
    JUJU_MACHINE_ID: '0',
    JUJU_PRINCIPAL_UNIT: '',
    JUJU_AVAILABILITY_ZONE: '',
    JUJU_VERSION: '3.6.4',
    CLOUD_API_VERSION: '',
    JUJU_CHARM_HTTP_PROXY: '',
    JUJU_CHARM_HTTPS_PROXY: '',
    JUJU_CHARM_FTP_PROXY: '',
    JUJU_CHARM_NO_PROXY: '',
    ...(isAction
      ? {
          JUJU_ACTION_NAME: name,
          JUJU_ACTION_UUID: String(contextCounter),
          JUJU_ACTION_TAG: `action-${contextCounter}`,
        }
      : {}),
    APT_LISTCHANGES_FRONTEND: 'none',
    DEBIAN_FRONTEND: 'noninteractive',
    LANG: 'C.UTF-8',
    TERM: 'tmux-256color',
    PATH: `${bench.toolsDir}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    JUJU_DISPATCH_PATH: spec.dispatchPath,
    BENCH_TOOL_LOG: join(bench.scratchDir, 'tools.log'),
    ...spec.extraEnv,
  };
}

/**
 * Runs `command` (in `cwd`, with exactly `env`) under `/usr/bin/time` when it is there, capturing
 * stdout and stderr through pipes as the unit agent does. Wall time is measured here, around the
 * whole spawn; the same wrapper is used for the floor, so its own cost (about 1 ms) cancels out.
 */
export function runProcess(
  bench: Bench,
  cwd: string,
  command: readonly string[],
  env: Readonly<Record<string, string>>,
): ProcessRun {
  const toolLog = join(bench.scratchDir, 'tools.log');
  const timeOut = join(bench.scratchDir, 'time.out');
  writeFileSync(toolLog, '');
  rmSync(timeOut, { force: true });
  const [file, ...args] = TIME_BIN ? [TIME_BIN, '-o', timeOut, '-f', '%M', ...command] : command;
  const started = performance.now();
  const result = spawnSync(file as string, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
  const wallMs = performance.now() - started;
  const toolNames = readFileSync(toolLog, 'utf8').split('\n').filter(Boolean);
  let rssMiB: number | null = null;
  if (TIME_BIN && existsSync(timeOut)) {
    const kib = Number(readFileSync(timeOut, 'utf8').trim().split('\n').at(-1));
    if (Number.isFinite(kib)) rssMiB = kib / 1024;
  }
  return {
    wallMs,
    rssMiB,
    tools: toolNames.length,
    toolNames,
    status: result.status,
    stderr: result.stderr?.toString('utf8') ?? String(result.error ?? ''),
    stdoutBytes: result.stdout?.length ?? 0,
  };
}

/** Runs the built charm's `./dispatch` for one hook or action. */
export function runHook(bench: Bench, charmDir: string, spec: HookSpec): ProcessRun {
  const run = runProcess(bench, charmDir, ['./dispatch'], jujuEnv(bench, charmDir, spec));
  if (run.status !== 0) {
    throw new Error(`${spec.dispatchPath} in ${charmDir} exited with ${run.status}:\n${run.stderr}`);
  }
  return run;
}
