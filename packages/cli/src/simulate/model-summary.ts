import type { SimStatusValue } from '@charmkit/testing';
import pc from 'picocolors';

/** One application in a {@link ModelSimulationSummary}. */
export interface ModelApplicationSummary {
  /** The charm's name (from its metadata). */
  readonly charm: string;
  readonly units: number;
  readonly leader: string | null;
  readonly appStatus: SimStatusValue;
  /** Each unit's status, as `juju status` shows it. */
  readonly statuses: Readonly<Record<string, SimStatusValue>>;
}

/** What `charmkit simulate --model` reports (one JSON object with `--json`). */
export interface ModelSimulationSummary {
  /** The model description file, as given. */
  readonly model: string;
  readonly juju: string;
  readonly seed: number;
  /** Whether `--faults` injected hook failures, kills, leader changes and container restarts. */
  readonly faults: boolean;
  readonly settled: boolean;
  /** `settled after N hooks`, or why it stopped. */
  readonly report: string;
  readonly hooks: {
    readonly total: number;
    readonly failed: number;
    /** Hook runs per application. */
    readonly byApplication: Readonly<Record<string, number>>;
  };
  readonly applications: Readonly<Record<string, ModelApplicationSummary>>;
  readonly relations: readonly { readonly id: number; readonly a: string; readonly b: string }[];
  readonly wallTimeMs: number;
}

function statusText(status: SimStatusValue): string {
  const text = `${status.status}${status.message ? `: ${status.message}` : ''}`;
  if (status.status === 'active') return pc.green(text);
  if (status.status === 'blocked' || status.status === 'error') return pc.red(text);
  return pc.yellow(text);
}

/** The summary as text: per application its units and statuses, then the relations and totals. */
export function formatModelSummary(summary: ModelSimulationSummary): string {
  const lines: string[] = [];
  const outcome = summary.settled ? pc.green(summary.report) : pc.red(summary.report);
  lines.push(
    `${pc.bold(summary.model)} ${pc.dim(`· Juju ${summary.juju} · seed ${summary.seed}${summary.faults ? ' · faults' : ''} · ${(summary.wallTimeMs / 1000).toFixed(1)}s`)}`,
  );
  for (const [name, app] of Object.entries(summary.applications)) {
    const count = `${app.units} unit${app.units === 1 ? '' : 's'}`;
    lines.push(
      `${pc.bold(name)} ${pc.dim(`(${app.charm}, ${count}, ${summary.hooks.byApplication[name] ?? 0} hooks)`)}`,
    );
    if (app.appStatus.status !== 'unknown') lines.push(`    app          ${statusText(app.appStatus)}`);
    for (const [unit, status] of Object.entries(app.statuses)) {
      const mark = unit === app.leader ? pc.yellow('★') : ' ';
      lines.push(`  ${mark} ${unit.padEnd(12)} ${statusText(status)}`);
    }
  }
  if (summary.relations.length > 0) {
    lines.push(pc.bold('relations'));
    for (const r of summary.relations)
      lines.push(`    ${r.a} ${pc.dim('↔')} ${r.b} ${pc.dim(`(id ${r.id})`)}`);
  }
  lines.push(`${outcome}: ${summary.hooks.total} hooks in total, ${summary.hooks.failed} failed`);
  return `${lines.join('\n')}\n`;
}
