import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCharmMeta } from '@charmkit/ops';
import { type BuiltCharm, Simulator } from '@charmkit/testing';
import { LocalProcessRestarter } from '../../examples/rolling-restart/src/local-process-restarter.js';
import { RollingRestartCharm } from '../../examples/rolling-restart/src/rolling-restart-charm.js';

/** CPU time of this process's waited-for children (user + system), from /proc/self/stat, in ms. */
export function childCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted from the state field (3).
    const ticks = Number(fields[16 - 3]) + Number(fields[17 - 3]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** One rolling restart of N units in the simulator's process mode. */
export interface RollResult {
  readonly units: number;
  /** `process`: every hook is the built charm's ./dispatch; `in-process`: dispatch() in this process. */
  readonly mode: 'process' | 'in-process';
  readonly settled: boolean;
  /** Hooks from the config change until every queue is empty (update-status round included). */
  readonly hooks: number;
  /** Hooks of the deploy before it (not measured). */
  readonly deployHooks: number;
  /**
   * Process mode: CPU of every process the roll's hooks started (the charm's Node, the hook-tool
   * clients). In process: CPU of this process while it ran the hooks (the simulator's own work
   * included). ms.
   */
  readonly dispatchCpuMs: number | null;
  readonly cpuPerHookMs: number | null;
  readonly wallMs: number;
  /** Hook-tool calls the roll's hooks made (each a process in process mode: a Perl client). */
  readonly toolCalls: number;
  /** Time spent answering hook tools in the simulator itself (not the charm's), ms. */
  readonly toolServeMs: number;
  readonly problems: readonly string[];
}

/**
 * Deploys examples/rolling-restart (built) with N units running the demo workload as real
 * processes, waits for it to settle, changes `greeting`, and measures the roll: hooks until every
 * queue is empty, their processes' CPU, wall time. Checks that every workload serves the new
 * greeting and that no invariant broke.
 */
export async function rollingRestart(
  built: BuiltCharm,
  units: number,
  basePort: number,
  mode: 'process' | 'in-process',
): Promise<RollResult> {
  const common = {
    units,
    seed: 11,
    config: { workload: 'local-process', port: basePort, greeting: 'hello' },
  };
  // In process, the charm starts its workload from the built bundle (it serves with --serve-workload).
  RollingRestartCharm.workloadEntry = join(built.outDir, 'dist', 'charm.mjs');
  const sim =
    mode === 'process'
      ? await Simulator.create({ mode: 'process', charmDir: built.outDir, ...common })
      : await Simulator.create({
          mode: 'in-process',
          charm: RollingRestartCharm,
          meta: loadCharmMeta(built.outDir),
          charmDir: built.outDir,
          ...common,
        });
  const cpu = (): number | null =>
    mode === 'process' ? childCpuMs() : (({ user, system }) => (user + system) / 1000)(process.cpuUsage());
  const problems: string[] = [];
  try {
    const deployed = await sim.settle({ maxHooks: 100_000 });
    if (!deployed.settled) problems.push(`deploy: ${deployed.report}`);
    const deployHooks = sim.hooksRun;
    const servedBefore = sim.stats().toolServeMs;
    const callsBefore = sim.stats().toolCalls;
    const cpuBefore = cpu();
    const started = performance.now();
    sim.setConfig({ greeting: 'bonjour' });
    const rolled = await sim.settle({ maxHooks: 100_000 });
    const wallMs = performance.now() - started;
    const cpuAfter = cpu();
    if (!rolled.settled) problems.push(`roll: ${rolled.report}`);
    for (const v of sim.violations) problems.push(`${v.unit} ${v.hook}: ${v.invariant}: ${v.message}`);
    for (const unit of sim.units()) {
      const port = basePort + Number(unit.split('/')[1]);
      try {
        const body = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { greeting?: string };
        if (body.greeting !== 'bonjour') problems.push(`${unit} serves ${JSON.stringify(body.greeting)}`);
      } catch (error) {
        problems.push(`${unit}: workload does not answer (${String(error)})`);
      }
    }
    const hooks = sim.hooksRun - deployHooks;
    const dispatchCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return {
      units,
      mode,
      settled: deployed.settled && rolled.settled,
      hooks,
      deployHooks,
      dispatchCpuMs,
      cpuPerHookMs: dispatchCpuMs === null || hooks === 0 ? null : dispatchCpuMs / hooks,
      wallMs,
      toolCalls: sim.stats().toolCalls - callsBefore,
      toolServeMs: sim.stats().toolServeMs - servedBefore,
      problems,
    };
  } finally {
    for (const unit of sim.units()) {
      const dir =
        mode === 'process'
          ? `${sim.workDir}/units/${unit.replace('/', '-')}/charm`
          : `${sim.workDir}/units/${unit.replace('/', '-')}`;
      await new LocalProcessRestarter(dir, '', 0, '').stop();
    }
    await sim.close();
  }
}
