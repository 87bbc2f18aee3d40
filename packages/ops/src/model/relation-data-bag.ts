import type { ModelBackend } from './model-backend.js';
import { RelationDataAccessError, RelationDataTypeError } from './model-errors.js';

/** Who may do what with one databag, decided by the model when the bag is made. */
export interface BagAccess {
  /** Null when readable; otherwise why not. */
  readonly readDenied: () => string | null;
  /** Null when writable; otherwise why not. */
  readonly writeDenied: () => string | null;
}

/**
 * One unit's or application's data in one relation: a Map-like view of string keys and values.
 * Reads are lazy (one `relation-get` on first read) and cached for the hook. Writes are checked
 * at once and buffered; the model sends each changed bag in a single `relation-set` at commit,
 * which is when Juju would publish them anyway.
 */
export class RelationDataBag {
  #loaded: Record<string, string> | null = null;
  #pending = new Map<string, string>();

  constructor(
    private readonly backend: ModelBackend,
    /** The relation id. */
    readonly relationId: number,
    /** The unit or application name whose bag this is. */
    readonly member: string,
    /** True for an application bag. */
    readonly isApp: boolean,
    private readonly access: BagAccess,
  ) {}

  #data(): Record<string, string> {
    if (this.#loaded === null) {
      const denied = this.access.readDenied();
      if (denied) throw new RelationDataAccessError(denied);
      this.#loaded = this.backend.relationGet(this.relationId, this.member, this.isApp);
    }
    return this.#loaded;
  }

  #view(): Map<string, string> {
    const view = new Map(Object.entries(this.#data()));
    for (const [key, value] of this.#pending) {
      if (value === '') view.delete(key);
      else view.set(key, value);
    }
    return view;
  }

  /** The value of `key`, or undefined. */
  get(key: string): string | undefined {
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending === '' ? undefined : pending;
    return this.#data()[key];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets `key`; an empty string deletes it, as in Juju. */
  set(key: string, value: string): this {
    this.#checkWrite(key, value);
    this.#pending.set(key, value);
    return this;
  }

  /** Deletes `key`. */
  delete(key: string): boolean {
    const had = this.#loaded === null ? true : this.has(key);
    this.#checkWrite(key, '');
    this.#pending.set(key, '');
    return had;
  }

  /** Sets several keys at once; `''`, `null` and `undefined` delete. */
  update(values: Readonly<Record<string, string | null | undefined>>): this {
    const entries = Object.entries(values).map(([k, v]) => [k, v ?? ''] as const);
    for (const [key, value] of entries) this.#checkWrite(key, value);
    for (const [key, value] of entries) this.#pending.set(key, value);
    return this;
  }

  /** Deletes every key. */
  clear(): void {
    for (const key of this.keys()) this.delete(key);
  }

  get size(): number {
    return this.#view().size;
  }
  keys(): IterableIterator<string> {
    return this.#view().keys();
  }
  values(): IterableIterator<string> {
    return this.#view().values();
  }
  entries(): IterableIterator<[string, string]> {
    return this.#view().entries();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  /** A plain object copy of the bag. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#view());
  }

  #checkWrite(key: unknown, value: unknown): void {
    if (typeof key !== 'string' || key === '') {
      throw new RelationDataTypeError(
        `relation data keys must be non-empty strings, got ${JSON.stringify(key)} for ${this}`,
      );
    }
    if (typeof value !== 'string') {
      throw new RelationDataTypeError(
        `relation data values must be strings; ${this}: ${key} was given a ${value === null ? 'null' : typeof value} (serialise it, e.g. JSON.stringify)`,
      );
    }
    const denied = this.access.writeDenied();
    if (denied) throw new RelationDataAccessError(denied);
  }

  /** @internal The buffered changes that differ from what Juju has, or null when there are none. */
  pendingChanges(): Record<string, string> | null {
    if (this.#pending.size === 0) return null;
    const changes: Record<string, string> = {};
    let any = false;
    for (const [key, value] of this.#pending) {
      const current = this.#loaded?.[key];
      // Without a read we cannot know what Juju has, so the write goes out as is.
      if (this.#loaded !== null && (current ?? '') === value) continue;
      changes[key] = value;
      any = true;
    }
    return any ? changes : null;
  }

  /** @internal Marks the buffered changes as sent. */
  markFlushed(): void {
    const data = { ...(this.#loaded ?? {}) };
    for (const [key, value] of this.#pending) {
      if (value === '') delete data[key];
      else data[key] = value;
    }
    if (this.#loaded !== null) this.#loaded = data;
    this.#pending = new Map();
  }

  /** @internal Captures the buffered writes; the returned function puts them back. */
  checkpoint(): () => void {
    // The common case while re-emitting deferred events: nothing buffered, nothing to copy.
    if (this.#pending.size === 0) return () => this.#pending.clear();
    const pending = new Map(this.#pending);
    return () => {
      this.#pending = new Map(pending);
    };
  }

  toString(): string {
    return `databag of ${this.member}${this.isApp ? ' (app)' : ''} in relation ${this.relationId}`;
  }
}
