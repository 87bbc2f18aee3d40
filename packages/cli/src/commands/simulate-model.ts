import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CharmMeta } from '@charmkit/ops';
import {
  ModelSimulator,
  type ResolvedModelRelation,
  resolveJujuVersion,
  resolveModelRelation,
} from '@charmkit/testing';
import pc from 'picocolors';
import { buildProject } from '../build-project.js';
import { type CharmProject, openCharmProject } from '../charm-project.js';
import { ModelDescriptionError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { simulateFaultOptions } from '../simulate/fault-options.js';
import { readModelDescription } from '../simulate/model-description.js';
import {
  formatModelSummary,
  type ModelApplicationSummary,
  type ModelSimulationSummary,
} from '../simulate/model-summary.js';
import { guardSimulation } from '../simulate/simulation-guard.js';
import { stopProcessesUnder } from '../simulate/workload-cleanup.js';

/** Options of `charmkit simulate --model`. */
export interface SimulateModelCommandOptions {
  /** Overrides the description's `seed` (default 1). */
  readonly seed?: string;
  /** Overrides the description's `juju` (default 4). */
  readonly juju?: string;
  readonly maxHooks?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  /** Keep the work directory (units' directories) and print where it is. */
  readonly keep?: boolean;
  /**
   * Inject random faults in every application, each on its own stream: hook failures, SIGKILLs,
   * leader changes, and container restarts for charms with containers.
   */
  readonly faults?: boolean;
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} ${value}: expected a whole number from ${min} to ${max}`);
  return n;
}

/**
 * `charmkit simulate --model model.yaml`: builds every application's charm and runs them together
 * on one simulated model in process mode, related as the description says, until it settles;
 * prints each application's units and statuses and the hook count (or JSON with `--json`).
 *
 * @throws {ModelDescriptionError} a bad description, or config a charm does not declare.
 * @throws {UnknownApplicationError} a relation names an application the model does not have.
 * @throws {UnknownEndpointError} a relation names an endpoint the charm does not declare.
 * @throws {RelationMismatchError} a relation between different interfaces or equal roles.
 */
export async function simulateModelCommand(
  modelFile: string,
  options: SimulateModelCommandOptions,
  io: CliIo,
): Promise<ModelSimulationSummary> {
  const started = performance.now();
  const description = readModelDescription(modelFile, io.cwd);
  const seed = wholeNumber('seed', options.seed, 0, 2 ** 31 - 1) ?? description.seed ?? 1;
  const maxHooks = wholeNumber('max-hooks', options.maxHooks, 1, 1_000_000) ?? 10_000;
  const jujuGiven = options.juju ?? description.juju ?? undefined;
  let juju: string;
  try {
    juju = resolveJujuVersion(jujuGiven);
  } catch (error) {
    throw new UsageError(`juju ${jujuGiven}: ${error instanceof Error ? error.message : String(error)}`);
  }

  // Everything that can be checked without building is checked first: builds take seconds.
  const projects = new Map<string, CharmProject>();
  for (const [name, app] of Object.entries(description.applications)) {
    const project = openCharmProject(app.charmDir, io.cwd);
    for (const key of Object.keys(app.config)) {
      if (!project.meta.config.has(key)) {
        const known = [...project.meta.config.keys()];
        throw new ModelDescriptionError(
          `${modelFile}: applications.${name}.config: charm ${project.meta.name} has no option ${JSON.stringify(key)} (options: ${known.length ? known.join(', ') : 'none'})`,
        );
      }
    }
    for (const container of Object.keys(app.exec)) {
      if (!project.meta.containers.has(container)) {
        const known = [...project.meta.containers.keys()];
        throw new ModelDescriptionError(
          `${modelFile}: applications.${name}.containers: charm ${project.meta.name} has no container ${JSON.stringify(container)} (containers: ${known.length ? known.join(', ') : 'none'})`,
        );
      }
    }
    projects.set(name, project);
  }
  const metas = new Map<string, CharmMeta>([...projects].map(([name, p]) => [name, p.meta]));
  const checked: ResolvedModelRelation[] = [];
  for (const relation of description.relations) checked.push(resolveModelRelation(relation, metas, checked));

  const progress = options.quiet || options.json ? null : io.stderr;
  const workDir = mkdtempSync(join(tmpdir(), 'charmkit-simulate-model-'));
  // As for one application: Ctrl-C stops the workloads every charm started and removes the dir.
  const guard = guardSimulation({ workDir, keep: options.keep, io });
  let sim: ModelSimulator | null = null;
  try {
    const built = new Map<string, string>();
    for (const [name, project] of projects) {
      progress?.(`building ${name} (${project.meta.name})…\n`);
      built.set(name, (await buildProject(project, { out: join(workDir, 'charms', name) })).outDir);
      await guard.checkpoint();
    }
    sim = await ModelSimulator.create({
      applications: Object.fromEntries(
        Object.entries(description.applications).map(([name, app], index) => [
          name,
          {
            mode: 'process' as const,
            charmDir: built.get(name) as string,
            units: app.units,
            config: app.config,
            containers: { execHandlers: app.exec },
            workDir: join(workDir, 'sim', name),
            keepWorkDir: true,
            ...(options.faults
              ? { faults: simulateFaultOptions(metas.get(name) as CharmMeta, seed, app.units, index) }
              : {}),
          },
        ]),
      ),
      relations: description.relations,
      seed,
      juju,
    });
    let hooks = 0;
    let result = { settled: false, report: '' };
    let rounds = 1;
    while (true) {
      if (hooks >= maxHooks) {
        result = { settled: false, report: `not settled after ${maxHooks} hooks (--max-hooks)` };
        break;
      }
      const record = await sim.step();
      await guard.checkpoint();
      if (record) {
        hooks++;
        if (progress) {
          const failed = record.outcome === 'ok' ? '' : ` ${pc.red(record.outcome)}`;
          progress(
            `  #${String(record.index).padEnd(4)} ${record.unit.padEnd(16)} ${record.hook}${failed}\n`,
          );
        }
        continue;
      }
      const stuck = sim.stuck;
      if (stuck) {
        result = {
          settled: false,
          report: `${stuck.hook} on ${stuck.unit} failed ${stuck.attempts} times (the retry cap); last error: ${stuck.error.split('\n')[0]}`,
        };
        break;
      }
      // Juju's update-status timer, once, as settle() does.
      if (rounds-- > 0) {
        sim.tick();
        continue;
      }
      result = { settled: true, report: `settled after ${hooks} hooks` };
      break;
    }

    const snapshot = sim.snapshot();
    const byApplication: Record<string, number> = {};
    let failed = 0;
    for (const hook of sim.trace.hooks) {
      const app = hook.unit.split('/')[0] as string;
      byApplication[app] = (byApplication[app] ?? 0) + 1;
      if (hook.outcome !== 'ok') failed++;
    }
    const applications: Record<string, ModelApplicationSummary> = {};
    for (const [name, world] of Object.entries(snapshot)) {
      applications[name] = {
        charm: projects.get(name)?.meta.name ?? name,
        units: Object.keys(world.units).length,
        leader: world.leader,
        appStatus: world.appStatus,
        statuses: Object.fromEntries(Object.entries(world.units).map(([unit, u]) => [unit, u.status])),
      };
    }
    const summary: ModelSimulationSummary = {
      model: modelFile,
      juju,
      seed,
      faults: options.faults === true,
      settled: result.settled,
      report: result.report,
      hooks: { total: sim.trace.hooks.length, failed, byApplication },
      applications,
      relations: sim.relations().map((r) => ({
        id: r.id,
        a: `${r.a.app}:${r.a.endpoint}`,
        b: `${r.b.app}:${r.b.endpoint}`,
      })),
      wallTimeMs: Math.round(performance.now() - started),
    };
    if (options.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else io.stdout(`${progress ? '\n' : ''}${formatModelSummary(summary)}`);
    if (options.keep) io.stderr(`kept the units' directories in ${join(workDir, 'sim')}\n`);
    return summary;
  } finally {
    guard.dispose();
    // Workloads the charms started outlive the simulated model: stop them before removing their dirs.
    await stopProcessesUnder(workDir);
    await sim?.close();
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
}
