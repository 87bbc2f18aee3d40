import type { FlagConditions } from './conditions.js';

/** When a handler is tested: in the hook phase (`hook()` handlers) or in the flag rounds. */
export type HandlerPhase = 'hook' | 'flags';

/** What a handler is called with. */
export interface HandlerCall {
  /** The handler's name (for external handlers `reactive/file:function`). */
  readonly handler: string;
  /** The hook being run, e.g. `config-changed`, or null when the dispatch has no hook event. */
  readonly hook: string | null;
  readonly phase: HandlerPhase;
  /** The flag round, from 0 (0 in the hook phase). */
  readonly round: number;
}

/** A handler: a function (or method) called with `this` bound to its owner, the charm by default. */
export type ReactiveHandler = (call: HandlerCall) => unknown;

/**
 * The conditions of a handler; all given ones must hold. A handler with a `hook` condition runs
 * in the hook phase (once per dispatch, when the hook matches); every other handler runs in the
 * flag rounds.
 */
export interface HandlerSpec {
  /** Every condition holds: `['db.ready', '!configured']` (`!` = not set). */
  readonly when?: FlagConditions;
  /** At least one condition holds. */
  readonly whenAny?: FlagConditions;
  /** None of these flags is set. */
  readonly whenNone?: FlagConditions;
  /** At least one of these flags is not set. */
  readonly whenNotAll?: FlagConditions;
  /**
   * At least one of these files changed since this handler last ran (a SHA-256 per handler and
   * file is kept in storage, and updated only when the handler runs and succeeds). Relative paths
   * are taken from the charm directory. A file that does not exist has the empty hash.
   */
  readonly whenFileChanged?: string | readonly string[];
  /**
   * The hook being run matches one of these patterns: `config-changed`,
   * `{install,upgrade-charm}`, `{requires:pgsql}-relation-{joined,changed}`.
   */
  readonly hook?: string | readonly string[];
  /** Run at most once in the unit's life: marked in storage when the handler succeeds. */
  readonly onlyOnce?: boolean;
}

/** A handler's conditions plus how it is named and called. */
export interface HandlerOptions extends HandlerSpec {
  /**
   * A stable, unique name: it keys the stored file hashes and only-once marks, and appears in
   * logs and errors. Default: the function's name.
   */
  readonly name?: string;
  /** `this` for the call (default: the charm). */
  readonly owner?: object;
}

/** One handler run, as recorded in {@link Reactive.trace}. */
export interface ReactiveTraceEntry {
  readonly hook: string | null;
  readonly phase: HandlerPhase;
  readonly round: number;
  readonly handler: string;
}
