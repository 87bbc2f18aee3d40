import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigValue } from '@charmkit/ops';
import { type HookRecord, resolveJujuVersion, type SimSnapshot, Simulator } from '@charmkit/testing';
import pc from 'picocolors';
import { buildProject } from '../build-project.js';
import { openCharmProject } from '../charm-project.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { simulateFaultOptions } from '../simulate/fault-options.js';
import type { InterruptGuard } from '../simulate/interrupt-guard.js';
import { LiveView } from '../simulate/live-view.js';
import { maxHoldersNow } from '../simulate/lock-holders.js';
import { SCENARIOS, type ScenarioName, scenarioPhases } from '../simulate/scenarios.js';
import { defaultChange, parseConfigPairs, readSimulateSettings } from '../simulate/simulate-settings.js';
import { guardSimulation } from '../simulate/simulation-guard.js';
import type { SimulationSummary } from '../simulate/simulation-summary.js';
import { formatSummary } from '../simulate/simulation-summary.js';
import { stopProcessesUnder } from '../simulate/workload-cleanup.js';
import { readUnitState } from '../state/unit-state-report.js';

/** Options of `charmkit simulate`. */
export interface SimulateCommandOptions {
  readonly units?: string;
  readonly seed?: string;
  readonly faults?: boolean;
  readonly scenario?: string;
  readonly json?: boolean;
  /** `option=value` pairs set at deploy (on top of charmkit.yaml's `simulate.config`). */
  readonly config?: readonly string[];
  /** `option=value` pairs the config-change scenarios set (instead of `simulate.change`). */
  readonly set?: readonly string[];
  readonly maxHooks?: string;
  /** Keep the units' directories (and their .unit-state.db) for `charmkit state`. */
  readonly keep?: boolean;
  /** No progress output. */
  readonly quiet?: boolean;
  /** The Juju to simulate: `3.6` or `4` (default: charmkit.yaml's `simulate.juju`, else 4). */
  readonly juju?: string;
}

function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} ${value}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

/** How a hook and the unit's status look in the progress. */
function statusText(world: SimSnapshot, unit: string): string {
  const s = world.units[unit]?.status;
  if (!s) return '';
  return `${s.status}${s.message ? `: ${s.message}` : ''}`;
}

/**
 * `charmkit simulate [charm-dir]`: builds the charm and runs it on the simulator in process mode
 * (each hook is the built `dispatch`, as Juju runs it), through a scenario, with live progress and
 * a summary (or one JSON object with `--json`).
 */
export async function simulateCommand(
  charmDir: string,
  options: SimulateCommandOptions,
  io: CliIo,
): Promise<SimulationSummary> {
  const started = performance.now();
  const units = intOption('units', options.units, 3, 1, 50);
  const seed = intOption('seed', options.seed, 1, 0, 2 ** 31 - 1);
  const maxHooks = intOption('max-hooks', options.maxHooks, 5000, 1, 1_000_000);
  const scenario = (options.scenario ?? 'deploy') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) {
    throw new UsageError(`--scenario ${options.scenario}: expected one of ${SCENARIOS.join(', ')}`);
  }
  const project = openCharmProject(charmDir, io.cwd);
  const settings = readSimulateSettings(project.dir);
  const jujuGiven = options.juju ?? settings.juju ?? undefined;
  let juju: string;
  try {
    juju = resolveJujuVersion(jujuGiven);
  } catch (error) {
    throw new UsageError(`--juju ${jujuGiven}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const config: Record<string, ConfigValue> = {
    ...settings.config,
    ...parseConfigPairs(options.config ?? [], project.meta, '--config'),
  };
  const setPairs = parseConfigPairs(options.set ?? [], project.meta, '--set');
  const change = Object.keys(setPairs).length
    ? setPairs
    : Object.keys(settings.change).length
      ? settings.change
      : defaultChange(project.meta, seed);
  const phases = scenarioPhases(scenario, { units, change });

  const showProgress = !options.quiet && (io.interactive || !options.json);
  // A terminal that reports no size (some ptys say 0) gets a common width.
  const columns = (process.stderr.columns ?? 0) > 20 ? process.stderr.columns : 100;
  const live = showProgress && io.interactive ? new LiveView(io.stderr, columns) : null;
  const plain = showProgress && !live ? io.stderr : null;

  const workDir = mkdtempSync(join(tmpdir(), `charmkit-simulate-${project.meta.name}-`));
  // Ctrl-C must not leave workloads running, the temp dir behind or the cursor hidden.
  const guard = guardSimulation({ workDir, keep: options.keep, io, beforeCleanup: () => live?.done() });
  let sim: Simulator | null = null;
  try {
    plain?.(`building ${project.meta.name}…\n`);
    const built = await buildProject(project, { out: join(workDir, 'charm') });
    await guard.checkpoint();
    const faults = options.faults ? simulateFaultOptions(project.meta, seed, units) : undefined;
    sim = await Simulator.create({
      mode: 'process',
      charmDir: built.outDir,
      units,
      seed,
      config,
      juju,
      workDir: join(workDir, 'sim'),
      keepWorkDir: true,
      ...(faults ? { faults } : {}),
    });
    await guard.checkpoint();
    const simulator = sim;
    let maxHolders = 0;
    let restarts = 0;
    const holderLimit = settings.maxHolders;
    sim.addInvariant('at most one leader', (world) => {
      const leaders = Object.entries(world.units)
        .filter(([, u]) => u.leader)
        .map(([name]) => name);
      return leaders.length <= 1 || `${leaders.length} leaders: ${leaders.join(', ')}`;
    });
    sim.addInvariant('lock holders within the policy', (world) => {
      const now = maxHoldersNow(world);
      maxHolders = Math.max(maxHolders, now);
      return (
        holderLimit === null ||
        now <= holderLimit ||
        `${now} units hold one lock (the policy allows ${holderLimit})`
      );
    });

    let phaseTitle = '';
    let lastHook = new Map<string, string>();
    const draw = (force = false) => {
      if (!live) return;
      const world = simulator.snapshot();
      const elapsed = ((performance.now() - started) / 1000).toFixed(1);
      const head = `${pc.bold(project.meta.name)} ${pc.dim('·')} ${scenario} ${pc.dim('·')} ${pc.cyan(phaseTitle)}  ${pc.dim(`${simulator.hooksRun} hooks, ${restarts} restarts, ${elapsed}s`)}`;
      const rows = Object.entries(world.units).map(([name, u]) => {
        const mark = u.leader ? pc.yellow('★') : ' ';
        const hook = (lastHook.get(name) ?? '').padEnd(30);
        const status = statusText(world, name);
        const pending = u.pending.length ? pc.dim(` (+${u.pending.length} queued)`) : '';
        return `  ${mark} ${name.padEnd(22)} ${pc.dim(hook)} ${status}${pending}`;
      });
      live.render([head, ...rows], force);
    };

    const onHook = (record: HookRecord) => {
      if (guard.interrupted) return; // the hook was stopped by the cleanup, not by the charm
      if (record.toolCalls.some((c) => c.tool === 'status-set' && c.args.includes('restarting'))) restarts++;
      lastHook.set(record.unit, record.hook);
      if (live) draw();
      else if (plain) {
        const outcome =
          record.outcome === 'ok'
            ? ''
            : ` ${pc.red(record.outcome)}${record.error ? `: ${record.error.split('\n')[0]}` : ''}`;
        plain(
          `  #${String(record.index).padEnd(4)} ${record.unit.padEnd(22)} ${record.hook.padEnd(30)} ${statusText(simulator.snapshot(), record.unit)}${outcome}\n`,
        );
      }
    };

    let settled = true;
    let report = 'settled';
    for (const [index, phase] of phases.entries()) {
      await guard.checkpoint();
      phaseTitle = phase.title;
      plain?.(`${pc.bold(`== ${phase.title}`)}\n`);
      phase.apply(sim);
      lastHook = new Map([...lastHook].filter(([unit]) => simulator.units().includes(unit)));
      draw(true);
      // Juju's update-status timer once, at the end: earlier rounds would only add hooks.
      const last = index === phases.length - 1;
      const result = await settleWithProgress(sim, maxHooks - sim.hooksRun, last ? 1 : 0, onHook, guard);
      if (!result.settled) {
        settled = false;
        report = result.report;
        break;
      }
    }
    draw(true);
    live?.done();

    const world = sim.snapshot();
    const byName: Record<string, number> = {};
    for (const hook of sim.trace.hooks) byName[hook.hook] = (byName[hook.hook] ?? 0) + 1;
    const deferred: Record<string, number> = {};
    for (const unit of Object.keys(world.units)) {
      const db = join(workDir, 'sim', 'units', unit.replace('/', '-'), 'charm', '.unit-state.db');
      deferred[unit] = existsSync(db) ? readUnitState(db, db).deferred.length : 0;
    }
    const stats = sim.stats();
    const summary: SimulationSummary = {
      charm: project.meta.name,
      scenario,
      mode: 'process',
      seed,
      faults: options.faults === true,
      units: Object.keys(world.units).length,
      unitsAtStart: units,
      hooks: {
        total: stats.hooks,
        failed: stats.failed + stats.killed,
        byName: Object.fromEntries(
          Object.entries(byName).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)),
        ),
      },
      restarts,
      maxConcurrentHolders: maxHolders,
      holderLimit,
      violations: sim.violations.map((v) => ({
        invariant: v.invariant,
        hook: `#${v.hookIndex} ${v.hook} on ${v.unit}`,
        message: v.message,
      })),
      settled,
      report,
      leader: world.leader,
      statuses: Object.fromEntries(Object.entries(world.units).map(([name, u]) => [name, u.status])),
      appStatus: world.appStatus,
      deferred,
      wallTimeMs: Math.round(performance.now() - started),
      workDir: options.keep ? join(workDir, 'sim') : null,
    };
    if (options.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else io.stdout(`${live || plain ? '\n' : ''}${formatSummary(summary)}`);
    return summary;
  } finally {
    // Interrupted: the guard's cleanup owns the rest (and exits); doing it here too would race it.
    await guard.checkpoint();
    live?.done();
    // Workloads the charm started outlive the simulated model: stop them before removing their dirs.
    await stopProcessesUnder(workDir);
    await sim?.close();
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
    await guard.checkpoint();
    guard.dispose();
  }
}

/** `Simulator.settle()`, one step at a time so each hook can be shown as it finishes. */
async function settleWithProgress(
  sim: Simulator,
  maxHooks: number,
  updateStatusRounds: number,
  onHook: (record: HookRecord) => void,
  guard: InterruptGuard,
): Promise<{ settled: boolean; report: string }> {
  let rounds = updateStatusRounds;
  let hooks = 0;
  while (hooks < maxHooks) {
    await guard.checkpoint(); // start no hook once interrupted
    const record = await sim.step();
    if (record) {
      hooks++;
      onHook(record);
      continue;
    }
    const stuck = sim.stuck;
    if (stuck) {
      return {
        settled: false,
        report: `${stuck.hook} on ${stuck.unit} failed ${stuck.attempts} times (the retry cap); last error: ${stuck.error.split('\n')[0]}`,
      };
    }
    // Then Juju's update-status timer, once, as settle() does.
    if (rounds > 0) {
      rounds--;
      sim.tick();
      continue;
    }
    return { settled: true, report: 'settled' };
  }
  return { settled: false, report: `not settled after ${maxHooks} hooks (--max-hooks)` };
}
