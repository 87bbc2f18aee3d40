import type { ConfigValue } from '@charmkit/ops';
import { SimulatorError } from './errors.js';
import type { SettleResult, Simulator } from './simulator.js';

/** The phases of {@link runLifecycle}, in order. */
export type LifecyclePhaseName = 'deploy' | 'leader-change' | 'config-change' | 'scale-up' | 'scale-down';

/** What one phase did. */
export interface LifecyclePhase {
  readonly name: LifecyclePhaseName;
  /** What changed, e.g. `leader redis/0 -> redis/2` or `removed redis/3`. */
  readonly change: string;
  /** Index of the first trace hook of the phase (`sim.trace.hooks.slice(firstHook)`). */
  readonly firstHook: number;
  readonly settled: SettleResult;
}

/** Options of {@link runLifecycle}. */
export interface LifecycleOptions {
  /** The config change of the `config-change` phase. */
  readonly config: Readonly<Record<string, ConfigValue | null>>;
  /** Checked after each phase settled (throw or use `expect` to fail). */
  readonly after?: (phase: LifecyclePhase, sim: Simulator) => void | Promise<void>;
  /** The hook budget of each phase's settle (default 5000). */
  readonly maxHooks?: number;
}

/**
 * Takes a freshly created simulation through what an application meets in its life: the deploy
 * settles, leadership moves to another unit, the config changes, a unit is added, and one unit —
 * the leader, so the survivors elect another — is removed. Each phase settles before the next;
 * `after` checks the charm's promises between them. The same run under `juju: '3.6'` and `'4'`
 * shows a charm works on both.
 *
 * @throws {SimulatorError} a phase did not settle (the message names the phase and why), or the
 * simulation has fewer than two units.
 */
export async function runLifecycle(sim: Simulator, options: LifecycleOptions): Promise<LifecyclePhase[]> {
  const phases: LifecyclePhase[] = [];
  const run = async (name: LifecyclePhaseName, apply: () => string | Promise<string>): Promise<void> => {
    const firstHook = sim.trace.hooks.length;
    const change = await apply();
    const settled = await sim.settle({ maxHooks: options.maxHooks ?? 5000 });
    if (!settled.settled)
      throw new SimulatorError(`lifecycle phase ${name} (${change}) did not settle: ${settled.report}`);
    const phase: LifecyclePhase = { name, change, firstHook, settled };
    phases.push(phase);
    await options.after?.(phase, sim);
  };
  if (sim.units().length < 2)
    throw new SimulatorError('runLifecycle needs at least 2 units to move leadership');
  await run('deploy', () => `${sim.units().length} units`);
  await run('leader-change', () => {
    const before = sim.leader;
    return `leader ${before} -> ${sim.changeLeader()}`;
  });
  await run('config-change', () => {
    sim.setConfig(options.config);
    return Object.entries(options.config)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
  });
  await run('scale-up', async () => `added ${await sim.addUnit()}`);
  await run('scale-down', () => `removed ${sim.removeUnit(sim.leader ?? undefined)}`);
  return phases;
}
