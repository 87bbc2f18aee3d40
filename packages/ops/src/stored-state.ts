import { DuplicateHandleError, StoredStateError } from './errors.js';
import type { Framework } from './framework.js';
import { describeIssues, type SchemaIssue } from './internal/describe-issues.js';
import { canonicalJson, isPlainObject, type JsonObject, type JsonValue, jsonProblem } from './json.js';
import { storedStatePath } from './storage/snapshot-paths.js';

/** Anything with zod's `safeParse` (zod and zod/mini schemas both qualify). */
export interface SafeParser<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

/**
 * The type stored state has, given its defaults: literal types widened (`false` → `boolean`,
 * `''` → `string`), so `storedState('s', { ready: false })` can later hold `true`.
 */
export type StoredShape<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? StoredShape<U>[]
        : T extends object
          ? { -readonly [K in keyof T]: StoredShape<T[K]> }
          : T;

/** Options for stored state. */
export interface StoredStateOptions<T> {
  /** Checked when the state is loaded and before it is saved; errors name the field. */
  readonly schema?: SafeParser<T>;
}

/**
 * The data behind one stored-state object: loaded from storage on creation, defaults filled in
 * for missing keys, handed out as a proxy that notices every change (nested ones too), and saved
 * at commit only when something changed.
 */
export class StoredStateData {
  readonly #root: Record<string, JsonValue>;
  readonly #proxies = new WeakMap<object, unknown>();
  readonly #schema: SafeParser<unknown> | undefined;
  #dirty = false;
  #saved: string | null;
  /** The values as loaded or last saved (defaults included): what a rollback returns to. */
  #clean: string;
  /** The proxy charm code reads and writes. */
  readonly state: Record<string, JsonValue>;

  constructor(
    private readonly framework: Framework,
    /** Handle path, e.g. `MyCharm/StoredStateData[stored]`. */
    readonly path: string,
    defaults: JsonObject,
    schema?: SafeParser<unknown>,
  ) {
    this.#schema = schema;
    const problem = isPlainObject(defaults)
      ? jsonProblem(defaults, 'defaults')
      : 'defaults must be a plain object';
    if (problem) throw new StoredStateError(`stored state ${path}: ${problem}`);
    this.#saved = framework.storage.loadSnapshot(path);
    let loaded: JsonObject = {};
    if (this.#saved !== null) {
      try {
        loaded = JSON.parse(this.#saved) as JsonObject;
      } catch (cause) {
        throw new StoredStateError(
          `stored state ${path} in ${framework.storage.location} is not valid JSON`,
          { cause },
        );
      }
    }
    this.#root = clone({ ...defaults, ...loaded });
    this.#clean = JSON.stringify(this.#root);
    this.#validate('loaded from storage');
    this.state = this.#wrap(this.#root, 'stored') as Record<string, JsonValue>;
    framework.onCommitSave(() => this.save());
    framework.registerCheckpointable(this);
  }

  /** True when something changed since the state was loaded or last saved. */
  get dirty(): boolean {
    return this.#dirty;
  }

  #validate(when: string): void {
    if (!this.#schema) return;
    const result = this.#schema.safeParse(this.#root);
    if (!result.success) {
      throw new StoredStateError(
        `stored state ${this.path} (${when}) does not match its schema: ${describeIssues(result.error.issues, this.#root, { values: false })}`,
      );
    }
  }

  #wrap(target: object, where: string): unknown {
    const cached = this.#proxies.get(target);
    if (cached) return cached;
    const proxy = new Proxy(target, {
      get: (t, key, receiver) => {
        const value = Reflect.get(t, key, receiver) as unknown;
        if (typeof key === 'string' && value !== null && typeof value === 'object')
          return this.#wrap(value, `${where}.${key}`);
        return value;
      },
      set: (t, key, value: unknown) => {
        if (typeof key === 'symbol') throw new StoredStateError(`${this.path}: symbol keys cannot be stored`);
        // `length` of arrays is set by push/splice; it is JSON by construction.
        if (!(Array.isArray(t) && key === 'length')) {
          const problem = jsonProblem(value, `${where}.${key}`);
          if (problem) throw new StoredStateError(`cannot store ${problem} (in ${this.path})`);
        }
        (t as Record<string, unknown>)[key] =
          value !== null && typeof value === 'object' ? clone(value as JsonValue) : value;
        this.#dirty = true;
        return true;
      },
      deleteProperty: (t, key) => {
        delete (t as Record<string | symbol, unknown>)[key];
        this.#dirty = true;
        return true;
      },
      defineProperty: (t, key, descriptor) => {
        if (!('value' in descriptor)) throw new StoredStateError(`${this.path}: accessors cannot be stored`);
        const problem = jsonProblem(descriptor.value, `${where}.${String(key)}`);
        if (problem) throw new StoredStateError(`cannot store ${problem} (in ${this.path})`);
        this.#dirty = true;
        return Reflect.defineProperty(t, key, descriptor);
      },
    });
    this.#proxies.set(target, proxy);
    return proxy;
  }

  /** Writes the state to storage if it changed. Called at commit. */
  save(): void {
    if (!this.#dirty) return;
    this.#validate('at commit');
    const json = canonicalJson(this.#root as JsonObject);
    if (json !== this.#saved) {
      this.framework.storage.saveSnapshot(this.path, json);
      this.#saved = json;
    }
    this.#clean = JSON.stringify(this.#root);
    this.#dirty = false;
  }

  /** Captures the current values; the returned function puts them back. */
  checkpoint(): () => void {
    const dirty = this.#dirty;
    const json = dirty ? JSON.stringify(this.#root) : this.#clean;
    return () => {
      const values = JSON.parse(json) as JsonObject;
      for (const key of Object.keys(this.#root)) delete this.#root[key];
      Object.assign(this.#root, values);
      this.#dirty = dirty;
    };
  }
}

function clone<T extends JsonValue | JsonObject>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** @internal Creates the stored state `name` of the object at `ownerPath`. */
export function createStoredState<T extends JsonObject>(
  framework: Framework,
  ownerPath: string,
  name: string,
  defaults: T,
  options: StoredStateOptions<StoredShape<T>> = {},
): StoredShape<T> {
  const path = storedStatePath(ownerPath, name);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new StoredStateError(
      `stored state name ${JSON.stringify(name)} must be letters, digits, '_', '.' or '-'`,
    );
  }
  if (!framework.claimStoredState(path)) {
    throw new DuplicateHandleError(
      `stored state ${path} is declared twice; give each storedState() a distinct name`,
    );
  }
  return new StoredStateData(framework, path, defaults, options.schema).state as StoredShape<T>;
}
