import type { SimStatusValue } from '@charmkit/testing';
import pc from 'picocolors';

/** What `charmkit simulate` reports (and prints as one JSON object with `--json`). */
export interface SimulationSummary {
  readonly charm: string;
  readonly scenario: string;
  readonly mode: 'process';
  readonly seed: number;
  readonly faults: boolean;
  /** Units at the end of the run. */
  readonly units: number;
  readonly unitsAtStart: number;
  readonly hooks: {
    readonly total: number;
    readonly failed: number;
    /** Hook runs by hook name (`cluster-relation-changed`, …), most frequent first. */
    readonly byName: Readonly<Record<string, number>>;
  };
  /** Service restarts (a hook that set the coordinator's "restarting" status). */
  readonly restarts: number;
  /** The most units that held one coordinator lock at the same time, after any hook. */
  readonly maxConcurrentHolders: number;
  /** The limit from the charm's coordinator policy (charmkit.yaml), when it declares one. */
  readonly holderLimit: number | null;
  /** Invariant violations, with the hook after which each was seen. */
  readonly violations: readonly {
    readonly invariant: string;
    readonly hook: string;
    readonly message: string;
  }[];
  /** True when every unit's queue ran empty (and no hook exceeded the retry cap). */
  readonly settled: boolean;
  /** Why it stopped: `settled`, `max-hooks` or `retry-limit`, with details. */
  readonly report: string;
  readonly leader: string | null;
  /** Final status of each unit, as `juju status` shows it. */
  readonly statuses: Readonly<Record<string, SimStatusValue>>;
  /** The application status (set by the leader). */
  readonly appStatus: SimStatusValue;
  /** Deferred notices still queued at the end, by unit (from each unit's .unit-state.db). */
  readonly deferred: Readonly<Record<string, number>>;
  readonly wallTimeMs: number;
  /** Where the units' directories are, when kept with `--keep`. */
  readonly workDir: string | null;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function statusColour(status: string): (text: string) => string {
  if (status === 'active') return pc.green;
  if (status === 'error' || status === 'blocked') return pc.red;
  if (status === 'maintenance' || status === 'waiting') return pc.yellow;
  return (text) => text;
}

/** The summary as text for a person. */
export function formatSummary(s: SimulationSummary): string {
  const lines: string[] = [];
  const outcome = s.settled ? pc.green('settled') : pc.red(`did not settle: ${s.report}`);
  lines.push(
    pc.bold(`${s.charm}: ${s.scenario} on ${s.unitsAtStart} units`) +
      ` (process mode, seed ${s.seed}${s.faults ? ', faults' : ''}) ${outcome}`,
  );
  const byName = Object.entries(s.hooks.byName)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  lines.push(`  hooks          ${s.hooks.total} run, ${s.hooks.failed} failed`);
  lines.push(`                 ${pc.dim(byName)}`);
  lines.push(`  restarts       ${s.restarts}`);
  const limit = s.holderLimit === null ? '' : ` (policy allows ${s.holderLimit})`;
  lines.push(`  lock holders   at most ${s.maxConcurrentHolders} at once${limit}`);
  lines.push(
    `  invariants     ${s.violations.length === 0 ? pc.green('no violations') : pc.red(`${s.violations.length} violation(s)`)}`,
  );
  for (const v of s.violations.slice(0, 5))
    lines.push(`                 ${pc.red(`${v.invariant}: ${v.message} (after ${v.hook})`)}`);
  const deferred = Object.values(s.deferred).reduce((a, b) => a + b, 0);
  lines.push(`  deferred       ${deferred} event(s) still queued`);
  lines.push(`  statuses       ${s.units} unit(s), leader ${s.leader ?? 'none'}`);
  for (const [unit, status] of Object.entries(s.statuses)) {
    const text = `${status.status}${status.message ? `: ${status.message}` : ''}`;
    lines.push(`                 ${unit.padEnd(22)} ${statusColour(status.status)(text)}`);
  }
  lines.push(`  wall time      ${seconds(s.wallTimeMs)}`);
  if (s.workDir) lines.push(`  kept           ${s.workDir} (charmkit state ${s.workDir}/units/<unit>/charm)`);
  return `${lines.join('\n')}\n`;
}
