import type { CharmMeta } from '@charmkit/ops';
import { type FlagCondition, holds, parseConditions } from '../conditions.js';
import { HandlerDefinitionError } from '../errors.js';
import type { HandlerOptions, HandlerPhase, ReactiveHandler } from '../handler-spec.js';
import { expandHookPattern } from '../hook-pattern.js';

/** What a handler's test needs from the running loop. */
export interface TestContext {
  readonly hook: string | null;
  readonly phase: HandlerPhase;
  isSet(flag: string): boolean;
  /** The stored hash of `path` for handler `name` ('' when none). */
  storedHash(name: string, path: string): string;
  currentHash(path: string): string;
  ranOnce(name: string): boolean;
}

/** A TypeScript handler with its parsed conditions. */
export class TsHandler {
  readonly phase: HandlerPhase;
  readonly all: readonly FlagCondition[];
  readonly any: readonly FlagCondition[];
  readonly none: readonly FlagCondition[];
  readonly notAll: readonly FlagCondition[];
  readonly files: readonly string[];
  readonly hooks: ReadonlySet<string> | null;
  readonly onlyOnce: boolean;
  /** The flags its conditions read: a change to one makes it be tested in the next round. */
  readonly watched: ReadonlySet<string>;

  constructor(
    readonly name: string,
    readonly fn: ReactiveHandler,
    readonly owner: object,
    options: HandlerOptions,
    meta: CharmMeta,
  ) {
    const where = `handler ${name}`;
    this.all = parseConditions(options.when, where);
    this.any = parseConditions(options.whenAny, where);
    this.none = parseConditions(options.whenNone, where);
    this.notAll = parseConditions(options.whenNotAll, where);
    for (const c of [...this.none, ...this.notAll]) {
      if (c.negated) throw new HandlerDefinitionError(`${where}: whenNone/whenNotAll take plain flag names`);
    }
    const files = options.whenFileChanged;
    this.files = files === undefined ? [] : typeof files === 'string' ? [files] : [...files];
    if (this.files.some((f) => typeof f !== 'string' || f === '')) {
      throw new HandlerDefinitionError(`${where}: whenFileChanged takes non-empty paths`);
    }
    const patterns =
      options.hook === undefined ? [] : typeof options.hook === 'string' ? [options.hook] : options.hook;
    this.hooks =
      options.hook === undefined ? null : new Set(patterns.flatMap((p) => expandHookPattern(p, meta)));
    this.phase = this.hooks === null ? 'flags' : 'hook';
    this.onlyOnce = options.onlyOnce === true;
    this.watched = new Set([...this.all, ...this.any, ...this.none, ...this.notAll].map((c) => c.flag));
    const conditions = this.watched.size + this.files.length + (this.hooks ? 1 : 0);
    if (conditions === 0 && !this.onlyOnce) {
      // It would match in every round, forever.
      throw new HandlerDefinitionError(
        `${where} has no conditions: give it flags, files, a hook or onlyOnce`,
      );
    }
  }

  /** Whether the handler's conditions hold now. */
  test(ctx: TestContext): boolean {
    if (ctx.phase !== this.phase) return false;
    if (this.hooks !== null && (ctx.hook === null || !this.hooks.has(ctx.hook))) return false;
    if (this.onlyOnce && ctx.ranOnce(this.name)) return false;
    const isSet = (flag: string): boolean => ctx.isSet(flag);
    if (!this.all.every((c) => holds(c, isSet))) return false;
    if (this.any.length > 0 && !this.any.some((c) => holds(c, isSet))) return false;
    if (this.none.some((c) => isSet(c.flag))) return false;
    if (this.notAll.length > 0 && this.notAll.every((c) => isSet(c.flag))) return false;
    if (
      this.files.length > 0 &&
      !this.files.some((f) => ctx.currentHash(f) !== ctx.storedHash(this.name, f))
    ) {
      return false;
    }
    return true;
  }
}
