import type { Model } from '@charmkit/ops';

/** Where leader settings live. */
export interface SettingsStore {
  /** Why the settings cannot be used yet, or null when they can. */
  unavailable(): string | null;
  /** Every setting, as strings. */
  read(): Record<string, string>;
  /** Writes changes; `null` deletes. Only the leader calls it. */
  write(changes: Readonly<Record<string, string | null>>): void;
}

/**
 * The default store: the peer relation's application databag. Writes go out with the hook's
 * other relation writes (so a failed hook discards them, like everything else it did), and
 * reach every other unit as `relation-changed`.
 */
export class PeerAppDataStore implements SettingsStore {
  constructor(
    private readonly model: Model,
    private readonly endpoint: string,
  ) {}

  unavailable(): string | null {
    return this.model.getRelation(this.endpoint)
      ? null
      : `the peer relation ${JSON.stringify(this.endpoint)} does not exist yet (install and storage hooks run before relation-created)`;
  }

  read(): Record<string, string> {
    return this.model.getRelation(this.endpoint)?.appData.toObject() ?? {};
  }

  write(changes: Readonly<Record<string, string | null>>): void {
    const relation = this.model.getRelation(this.endpoint);
    if (!relation) throw new Error(this.unavailable() ?? 'no peer relation');
    relation.appData.update(changes);
  }
}

/** The two leader-settings hook tools, as `HookTools` has them. */
export interface LeaderSetTools {
  leaderGet(): Record<string, string>;
  leaderSet(values: Readonly<Record<string, string | null>>): void;
}

/**
 * The legacy store: `leader-get` / `leader-set`. Always available, but a `leader-set` is
 * immediate: it survives a failure of the hook that made it, unlike every other write.
 */
export class LeaderSetStore implements SettingsStore {
  #cache: Record<string, string> | null = null;

  constructor(private readonly tools: LeaderSetTools) {}

  unavailable(): string | null {
    return null;
  }

  read(): Record<string, string> {
    this.#cache ??= this.tools.leaderGet();
    return { ...this.#cache };
  }

  write(changes: Readonly<Record<string, string | null>>): void {
    this.tools.leaderSet(changes);
    const next = this.read();
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') delete next[key];
      else next[key] = value;
    }
    this.#cache = next;
  }
}
