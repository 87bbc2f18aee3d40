import type { HookRecord, SimTrace, TraceEntry } from './trace.js';

/**
 * Copies the applications' traces into one model trace, in the order things happened: hook
 * records renumbered model-wide (their unit names already say the application), events prefixed
 * with the application's name. Called after every change, so the order is exact.
 */
export class ModelTraceMerger {
  readonly #cursors = new Map<string, number>();
  #hooks = 0;

  constructor(
    /** The merged trace. */
    readonly target: SimTrace,
    readonly sources: ReadonlyMap<string, { readonly trace: SimTrace }>,
  ) {}

  /** Copies what is new; returns the hook records copied. */
  drain(): HookRecord[] {
    const copied: HookRecord[] = [];
    for (const [app, source] of this.sources) {
      const entries = source.trace.entries;
      const from = this.#cursors.get(app) ?? 0;
      for (const entry of entries.slice(from)) {
        const merged = this.#merge(app, entry);
        this.target.entries.push(merged);
        if (merged.type === 'hook') copied.push(merged);
      }
      this.#cursors.set(app, entries.length);
    }
    return copied;
  }

  #merge(app: string, entry: TraceEntry): TraceEntry {
    if (entry.type === 'event')
      return { ...entry, afterHooks: this.#hooks, description: `${app}: ${entry.description}` };
    return { ...entry, index: this.#hooks++ };
  }
}
