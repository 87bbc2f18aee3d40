import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InterruptGuard, type SignalSource } from '../src/simulate/interrupt-guard.js';
import { stopProcessesUnder } from '../src/simulate/workload-cleanup.js';
import { cliDir, removeTempDirs, repoDir, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const bin = join(cliDir, 'bin', 'charmkit.js');
const rollingRestart = join(repoDir, 'examples', 'rolling-restart');
const linux = process.platform === 'linux';

/** Pids of live processes whose cwd or command line mention `dir` (read independently of the code under test). */
function processesMentioning(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cwd.startsWith(dir) || args.includes(dir)) found.push(pid);
    } catch {
      // gone, a zombie, or not ours to read
    }
  }
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `text` shows up in what the child printed so far (stdout + stderr). */
function waitForOutput(child: ChildProcessWithoutNullStreams, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes(text)) resolve(out);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited (${code}) before printing ${text}:\n${out}`)));
  });
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })));
}

function childEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, NO_COLOR: '1' };
  delete env.CI; // so that, on a pty, the live view (which hides the cursor) is used
  return env;
}

/**
 * Runs `charmkit simulate` on the rolling-restart example (real workload processes), waits until
 * a unit serves, checks a workload of the run is alive, then sends `signal`.
 */
async function interruptRun(signal: NodeJS.Signals, port: number, extra: string[] = []) {
  const tmp = tempDir('charmkit-interrupt-');
  const args = ['simulate', rollingRestart, '-n', '2', '--scenario', 'rolling-restart'];
  const child = spawn(process.execPath, [bin, ...args, '--config', `port=${port}`, ...extra], {
    cwd: repoDir,
    env: childEnv(tmp),
  });
  const done = finished(child);
  await waitForOutput(child, 'serving "hello"');
  const before = processesMentioning(tmp);
  child.kill(signal);
  const result = await done;
  // The run's processes are gone when it exits; allow the kernel a moment to reap SIGKILLed ones.
  let left = processesMentioning(tmp);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await sleep(50);
    left = processesMentioning(tmp);
  }
  for (const pid of left) process.kill(pid, 'SIGKILL'); // a failing run must not leak its workloads
  return { tmp, before, left, entries: readdirSync(tmp), ...result };
}

describe.skipIf(!linux)('charmkit simulate, interrupted', () => {
  it('on SIGINT stops the hooks and workloads, removes the work dir and exits 130', async () => {
    const run = await interruptRun('SIGINT', 23810);
    expect(run.before.length).toBeGreaterThan(0); // a workload was running: the check below means something
    expect(run.code).toBe(130);
    expect(run.signal).toBeNull();
    expect(run.left).toEqual([]);
    expect(run.entries.filter((name) => name.startsWith('charmkit-simulate-'))).toEqual([]);
    const lines = run.output.split('\n').filter((line) => line.includes('interrupted'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^interrupted \(SIGINT\): stopped [1-9]\d* process\(es\), removed .*charmkit-simulate-/,
    );
    expect(run.output).not.toContain('settled'); // no summary after an interrupt
  }, 120_000);

  it('on SIGTERM with --keep stops everything, keeps the dirs, says where, and exits 143', async () => {
    const run = await interruptRun('SIGTERM', 23820, ['--keep']);
    expect(run.before.length).toBeGreaterThan(0);
    expect(run.code).toBe(143);
    expect(run.left).toEqual([]);
    const kept = run.entries.filter((name) => name.startsWith('charmkit-simulate-'));
    expect(kept).toHaveLength(1);
    const simDir = join(run.tmp, kept[0] ?? '', 'sim');
    expect(run.output).toContain(`interrupted (SIGTERM): `);
    expect(run.output).toContain(`kept the units' directories in ${simDir}`);
    expect(readdirSync(join(simDir, 'units'))).toContain('rolling-restart-0');
  }, 120_000);

  const haveScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!haveScript)(
    'on Ctrl-C at a terminal shows the cursor again before saying so',
    async () => {
      const tmp = tempDir('charmkit-interrupt-tty-');
      const command = `exec "${process.execPath}" "${bin}" simulate "${rollingRestart}" -n 2 --scenario rolling-restart --config port=23830`;
      // `script` runs it on a pty; a ^C written to the pty makes the terminal send SIGINT, as a user's would.
      const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: repoDir, env: childEnv(tmp) });
      const done = finished(child);
      const before = await waitForOutput(child, 'serving "hello"');
      expect(before).toContain('\x1b[?25l'); // the live view hid the cursor
      child.stdin.write('\x03');
      const run = await done;
      expect(run.code).toBe(130);
      const restored = run.output.lastIndexOf('\x1b[?25h');
      expect(restored).toBeGreaterThan(run.output.lastIndexOf('\x1b[?25l'));
      expect(run.output.indexOf('interrupted (SIGINT)')).toBeGreaterThan(restored);
      expect(readdirSync(tmp).filter((name) => name.startsWith('charmkit-simulate-'))).toEqual([]);
      expect(processesMentioning(tmp)).toEqual([]);
    },
    120_000,
  );
});

describe('InterruptGuard', () => {
  function fakeSource(): SignalSource & EventEmitter {
    return new EventEmitter() as SignalSource & EventEmitter;
  }

  it('cleans up once, then exits 130 on SIGINT and 143 on SIGTERM', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const source = fakeSource();
      const events: string[] = [];
      const guard = InterruptGuard.install({
        source,
        cleanup: async (s) => {
          events.push(`cleanup ${s}`);
          await sleep(5);
        },
        exit: (c) => void events.push(`exit ${c}`),
      });
      expect(guard.interrupted).toBeNull();
      source.emit(signal);
      expect(guard.interrupted).toBe(signal);
      await sleep(30);
      expect(events).toEqual([`cleanup ${signal}`, `exit ${code}`]);
    }
  });

  it('exits at once on a second signal during the cleanup', async () => {
    const source = fakeSource();
    const exits: number[] = [];
    let cleanupDone = false;
    InterruptGuard.install({
      source,
      cleanup: async () => {
        await sleep(200);
        cleanupDone = true;
      },
      exit: (code) => void exits.push(code),
    });
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(exits).toEqual([143]);
    expect(cleanupDone).toBe(false);
  });

  it('exits even when the cleanup fails, and reports the failure', async () => {
    const source = fakeSource();
    const exits: number[] = [];
    const errors: unknown[] = [];
    InterruptGuard.install({
      source,
      cleanup: async () => {
        throw new Error('disk gone');
      },
      exit: (code) => void exits.push(code),
      onCleanupError: (error) => void errors.push(error),
    });
    source.emit('SIGINT');
    await sleep(10);
    expect(exits).toEqual([130]);
    expect(String(errors[0])).toContain('disk gone');
  });

  it('parks the command at a checkpoint once interrupted', async () => {
    const source = fakeSource();
    const guard = InterruptGuard.install({ source, cleanup: async () => {}, exit: () => {} });
    await expect(guard.checkpoint()).resolves.toBeUndefined();
    source.emit('SIGINT');
    const parked = await Promise.race([
      guard.checkpoint().then(() => 'passed'),
      sleep(50).then(() => 'parked'),
    ]);
    expect(parked).toBe('parked');
  });

  it('removes its handlers from the process when disposed', () => {
    const counts = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const [int, term] = counts();
    const guard = InterruptGuard.install({ cleanup: async () => {}, exit: () => {} });
    expect(counts()).toEqual([(int ?? 0) + 1, (term ?? 0) + 1]);
    guard.dispose();
    guard.dispose();
    expect(counts()).toEqual([int, term]);
  });
});

describe.skipIf(!linux)('stopProcessesUnder', () => {
  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const dir = tempDir('charmkit-stop-');
    const stubborn = spawn(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);"],
      { cwd: dir },
    );
    await new Promise<void>((resolve) => stubborn.stdout.once('data', () => resolve()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      stubborn.on('exit', (_c, s) => resolve(s)),
    );
    const stopped = await stopProcessesUnder(dir, 200);
    expect(stopped).toContain(stubborn.pid);
    expect(await exited).toBe('SIGKILL');
  }, 30_000);
});
