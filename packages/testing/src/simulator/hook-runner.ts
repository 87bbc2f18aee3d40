import type { HookSession } from './hook-session.js';

/** How a simulated hook ended. */
export type HookOutcome = 'ok' | 'failed' | 'killed';

/** One hook to run. */
export interface HookRunRequest {
  readonly session: HookSession;
  /** The hook's environment (juju-contract §3), without the runner's own parts (charm dir, PATH). */
  readonly env: Readonly<Record<string, string>>;
}

/** What running it gave. */
export interface HookRunResult {
  readonly outcome: HookOutcome;
  /** Why it failed (first line of the error), or null. */
  readonly error: string | null;
  /** The hook's stderr (process mode; tail only), or ''. */
  readonly stderr: string;
}

/** Runs hooks one at a time: in this process (`dispatch()`), or as real charm processes. */
export interface HookRunner {
  readonly mode: 'in-process' | 'process';
  /** Sets up a new unit (its storage, or its copy of the charm directory). */
  prepareUnit(unitName: string): Promise<void>;
  /** The unit's charm directory (`JUJU_CHARM_DIR`). */
  charmDirOf(unitName: string): string;
  /** Runs one hook to completion. Never throws for a failing hook: that is a result. */
  run(request: HookRunRequest): Promise<HookRunResult>;
  /** Releases what the runner holds (servers, processes). */
  close(): Promise<void>;
}
