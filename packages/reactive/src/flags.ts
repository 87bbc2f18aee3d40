import { HandlerDefinitionError, ReadOnlyFlagError, TriggerLoopError } from './errors.js';
import { checkFlagName } from './flag-name.js';
import type { FlagProvider, FlagProviderOptions } from './flag-provider.js';
import type { TriggerSpec } from './trigger.js';

/** @internal The stored-state shape the flags live in. */
export interface FlagRecord {
  /** Flags that are set, sorted. */
  flags: string[];
  /** Provider flags as last seen (only to detect their changes; never read as flags). */
  seen: string[];
}

interface ProviderEntry {
  readonly provider: FlagProvider;
  readonly prefix: string | null;
}

interface Trigger {
  readonly flag: string;
  readonly onSet: boolean;
  readonly set: readonly string[];
  readonly clear: readonly string[];
  readonly callback: ((flag: string) => void) | undefined;
}

// Triggers may set flags that fire other triggers; a chain this deep is a loop.
const TRIGGER_DEPTH_LIMIT = 50;

/**
 * The unit's flags. Flags set here persist across hooks until cleared, in the dispatch's storage
 * transaction (saved at commit, rolled back with a failed hook). Flags of registered
 * {@link FlagProvider}s (leadership, coordinator, config) are read live and cannot be changed
 * here. Queries see both.
 */
export class Flags {
  readonly #record: FlagRecord;
  readonly #providers: ProviderEntry[] = [];
  readonly #triggers: Trigger[] = [];
  readonly #listeners: ((flag: string) => void)[] = [];
  #depth = 0;

  /** @internal Created by `Reactive`. */
  constructor(record: FlagRecord) {
    this.#record = record;
  }

  // ---- changes ------------------------------------------------------------------------------

  /** Sets `flag` (persisted). Its `when` triggers fire if it was not set before. */
  set(flag: string): void {
    this.#writable(checkFlagName(flag));
    const flags = this.#record.flags;
    if (flags.includes(flag)) return;
    this.#record.flags = [...flags, flag].sort();
    this.#transition(flag, true);
  }

  /** Clears `flag`. Its `whenNot` triggers fire if it was set before. */
  clear(flag: string): void {
    this.#writable(checkFlagName(flag));
    if (!this.#record.flags.includes(flag)) return;
    this.#record.flags = this.#record.flags.filter((f) => f !== flag);
    this.#transition(flag, false);
  }

  /** Sets `flag` when `on` is true, clears it otherwise. */
  toggle(flag: string, on: boolean): void {
    if (on) this.set(flag);
    else this.clear(flag);
  }

  // ---- queries ------------------------------------------------------------------------------

  /** Whether `flag` is set (stored, or reported by a provider right now). */
  isSet(flag: string): boolean {
    if (this.#record.flags.includes(flag)) return true;
    return this.#providedNow().has(flag);
  }

  /** Whether every one of `flags` is set (true for none). */
  allSet(flags: Iterable<string>): boolean {
    for (const flag of flags) if (!this.isSet(flag)) return false;
    return true;
  }

  /** Whether at least one of `flags` is set. */
  anySet(flags: Iterable<string>): boolean {
    for (const flag of flags) if (this.isSet(flag)) return true;
    return false;
  }

  /** Every flag that is set, stored and provided, sorted. */
  all(): string[] {
    return [...new Set([...this.#record.flags, ...this.#providedNow()])].sort();
  }

  /** The stored flags only, sorted. */
  stored(): string[] {
    return [...this.#record.flags];
  }

  // ---- providers and triggers ---------------------------------------------------------------

  /**
   * Makes a provider's flags visible: `flags.addProvider(leaderSettings, { prefix: 'leadership.' })`.
   * Its flags are read at every test and never stored; changes between two reads count as flag
   * changes (they fire triggers and make handlers be tested again).
   */
  addProvider(provider: FlagProvider, options: FlagProviderOptions = {}): void {
    if (typeof provider?.flags !== 'function') {
      throw new HandlerDefinitionError('a flag provider must have a flags() method');
    }
    this.#providers.push({ provider, prefix: options.prefix ?? null });
  }

  /**
   * Registers a trigger: `trigger({ when: 'db.changed', clear: ['configured'] })` clears
   * `configured` at the moment `db.changed` becomes set. Triggers are kept in memory only:
   * register them on every dispatch (in the constructor), as charms.reactive required.
   */
  trigger(spec: TriggerSpec): void {
    const hasWhen = typeof spec.when === 'string';
    const hasWhenNot = typeof spec.whenNot === 'string';
    if (hasWhen === hasWhenNot) {
      throw new HandlerDefinitionError('a trigger needs exactly one of `when` and `whenNot`');
    }
    const set = [...(spec.set ?? [])].map(checkFlagName);
    const clear = [...(spec.clear ?? [])].map(checkFlagName);
    if (set.length === 0 && clear.length === 0 && !spec.callback) {
      throw new HandlerDefinitionError('a trigger needs at least one of `set`, `clear` and `callback`');
    }
    const flag = checkFlagName((hasWhen ? spec.when : spec.whenNot) as string);
    this.#triggers.push({ flag, onSet: hasWhen, set, clear, callback: spec.callback });
  }

  // ---- internal -----------------------------------------------------------------------------

  /** @internal Calls `listener` with every flag that changes (stored or provided). */
  onChange(listener: (flag: string) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * @internal Reads the providers and records what changed since the last read (or since the
   * previous dispatch): each change is announced and fires its triggers. Returns the flags now
   * provided.
   */
  refreshProvided(): ReadonlySet<string> {
    const now = this.#providedNow();
    const before = new Set(this.#record.seen);
    const changed: [string, boolean][] = [];
    for (const flag of now) if (!before.has(flag)) changed.push([flag, true]);
    for (const flag of before) if (!now.has(flag)) changed.push([flag, false]);
    if (changed.length > 0) {
      this.#record.seen = [...now].sort();
      for (const [flag, on] of changed.sort((a, b) => (a[0] < b[0] ? -1 : 1))) this.#transition(flag, on);
    }
    return now;
  }

  /** @internal The reserved prefixes and the flags providers report now (for external handlers). */
  providedNamespaces(): string[] {
    return this.#providers.flatMap((p) => (p.prefix === null ? [] : [p.prefix]));
  }

  #providedNow(): Set<string> {
    const flags = new Set<string>();
    for (const { provider, prefix } of this.#providers) {
      for (const flag of provider.flags()) {
        // A provider reports its own namespace only; anything else would be a silent override.
        if (prefix === null || flag.startsWith(prefix)) flags.add(flag);
      }
    }
    return flags;
  }

  #writable(flag: string): void {
    for (const { prefix } of this.#providers) {
      if (prefix !== null && flag.startsWith(prefix)) {
        throw new ReadOnlyFlagError(
          `${flag} belongs to a flag provider (namespace ${prefix}); it is derived, so it cannot be set or cleared here`,
        );
      }
    }
    if (this.#providers.some((p) => p.prefix === null) && this.#providedNow().has(flag)) {
      throw new ReadOnlyFlagError(`${flag} is reported by a flag provider; it cannot be set or cleared here`);
    }
  }

  #transition(flag: string, on: boolean): void {
    for (const listener of this.#listeners) listener(flag);
    const fired = this.#triggers.filter((t) => t.flag === flag && t.onSet === on);
    if (fired.length === 0) return;
    if (this.#depth >= TRIGGER_DEPTH_LIMIT) {
      throw new TriggerLoopError(
        `triggers are still firing after ${TRIGGER_DEPTH_LIMIT} nested changes (last: ${flag} ${on ? 'set' : 'cleared'}); two triggers undo each other`,
      );
    }
    this.#depth += 1;
    try {
      for (const trigger of fired) {
        for (const f of trigger.set) this.set(f);
        for (const f of trigger.clear) this.clear(f);
        trigger.callback?.(flag);
      }
    } finally {
      this.#depth -= 1;
    }
  }
}
