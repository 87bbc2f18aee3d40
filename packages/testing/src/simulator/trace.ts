import type { HookOutcome } from './hook-runner.js';
import type { ToolCallRecord } from './hook-session.js';

/** One hook run in the trace. */
export interface HookRecord {
  readonly type: 'hook';
  /** Position among hook runs, from 0. */
  readonly index: number;
  readonly unit: string;
  /** e.g. `cluster-relation-changed`. */
  readonly hook: string;
  readonly relationId: number | null;
  /** `JUJU_REMOTE_UNIT` ('' for app-data changes), null outside relation hooks. */
  readonly remoteUnit: string | null;
  readonly remoteApp: string | null;
  /** 1 for the first run, 2 for the first retry, …. */
  readonly attempt: number;
  /** Milliseconds since the simulation started. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly outcome: HookOutcome;
  /** Why it failed, or null. */
  readonly error: string | null;
  /** The injected fault, described (and whether it fired), or null. */
  readonly fault: string | null;
}

/** A change made between hooks: leadership, units, config (injected or by the test). */
export interface EventRecord {
  readonly type: 'event';
  /** How many hooks had run when it happened. */
  readonly afterHooks: number;
  readonly description: string;
}

/** One trace entry. */
export type TraceEntry = HookRecord | EventRecord;

/** Options of {@link SimTrace.format}. */
export interface TraceFormatOptions {
  /** List each hook's tool calls (default false). */
  readonly toolCalls?: boolean;
  /** Show start times and durations (default true). */
  readonly timing?: boolean;
}

/** Everything that happened in a simulation, in order. */
export class SimTrace {
  readonly entries: TraceEntry[] = [];

  /** The hook runs only. */
  get hooks(): HookRecord[] {
    return this.entries.filter((e): e is HookRecord => e.type === 'hook');
  }

  /** The hook runs of one unit. */
  forUnit(unit: string): HookRecord[] {
    return this.hooks.filter((h) => h.unit === unit);
  }

  /** Readable text, one line per entry (plus one per tool call when asked). */
  format(options: TraceFormatOptions = {}): string {
    const timing = options.timing ?? true;
    const lines: string[] = [];
    for (const entry of this.entries) {
      if (entry.type === 'event') {
        lines.push(`      -- ${entry.description}`);
        continue;
      }
      const remote =
        entry.remoteUnit === null
          ? ''
          : entry.remoteUnit === ''
            ? ` (app ${entry.remoteApp ?? ''})`
            : ` (${entry.remoteUnit})`;
      const attempt = entry.attempt > 1 ? ` [retry ${entry.attempt - 1}]` : '';
      const time = timing
        ? ` ${entry.startMs.toFixed(1).padStart(9)}ms +${entry.durationMs.toFixed(1)}ms`
        : '';
      const tail = [
        entry.error === null ? '' : ` error: ${entry.error}`,
        entry.fault === null ? '' : ` fault: ${entry.fault}`,
      ].join('');
      lines.push(
        `${String(entry.index).padStart(5)} ${entry.unit.padEnd(10)} ${`${entry.hook}${remote}${attempt}`.padEnd(48)} ${entry.outcome.padEnd(6)}${time} ${entry.toolCalls.length} calls${tail}`,
      );
      if (options.toolCalls) {
        for (const call of entry.toolCalls) {
          lines.push(
            `        $ ${call.tool} ${call.args.join(' ')}${call.exitCode === 0 ? '' : `  -> exit ${call.exitCode}`}`,
          );
        }
      }
    }
    return lines.join('\n');
  }

  /** The entries as plain data. */
  toJSON(): TraceEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** The trace without timings, as JSON: equal for two runs with the same seed. */
  signature(): string {
    return JSON.stringify(
      this.entries.map((e) => {
        if (e.type === 'event') return e;
        const { startMs: _start, durationMs: _duration, ...rest } = e;
        return rest;
      }),
    );
  }
}
