import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CharmMeta, StorageMeta } from '@charmkit/ops';
import { ToolFailure } from './errors.js';
import { makeHook, type QueuedHook } from './hook-queue.js';

/** One storage instance attached to a unit, as `storage-get` describes it. */
export interface SimStorageInstance {
  /** `<name>/<n>`, numbered per storage name as Juju numbers them. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'filesystem' | 'block';
  /** A real directory for filesystem storage (the charm may write there); a device path for block. */
  readonly location: string;
  /** False once its `-storage-detaching` hook has succeeded. */
  attached: boolean;
}

/** The instance counts a storage's `multiple.range` allows (`null` max: unbounded). */
export interface StorageRange {
  readonly min: number;
  readonly max: number | null;
}

/**
 * Reads metadata's `multiple.range` (`2`, `0-5`, `1-`, `3+`) as Juju does; without `multiple` a
 * storage is exactly one instance.
 */
export function storageRange(meta: StorageMeta): StorageRange {
  if (meta.multiple === null) return { min: 1, max: 1 };
  const range = meta.multiple.trim();
  const exact = /^(\d+)$/.exec(range);
  if (exact) return { min: Number(exact[1]), max: Number(exact[1]) };
  const bounded = /^(\d+)-(\d+)$/.exec(range);
  if (bounded) return { min: Number(bounded[1]), max: Number(bounded[2]) };
  const open = /^(\d+)[-+]$/.exec(range);
  if (open) return { min: Number(open[1]), max: null };
  // parseCharmMeta accepted it; read what we cannot as "at least one", never as a crash.
  return { min: 1, max: null };
}

/**
 * The storage of one simulated application: which instances each unit has, where they live, and
 * the `-storage-attached`/`-detaching` hooks that go with them. Filesystem instances are real
 * directories under `root`, so a charm that writes its data there can be checked afterwards.
 */
export class SimStorage {
  readonly #byUnit = new Map<string, SimStorageInstance[]>();
  readonly #next = new Map<string, number>();

  constructor(
    private readonly meta: CharmMeta,
    /** Where filesystem instances are made: `<root>/<name>/<n>`, as Juju lays out a unit's storage. */
    private readonly root: string,
    /** Make the directories (default); off for a world that only answers tools about them. */
    private readonly createDirs = true,
    /**
     * The next number for an instance of storage `name`. Juju numbers instances per storage name
     * across the whole model (`data/0` of one application, `data/1` of another), so a model of
     * several applications shares one sequence; alone, the application counts by itself.
     */
    private readonly nextId?: (name: string) => number,
  ) {}

  /** The instances a new unit starts with (each storage's minimum), with their attached hooks. */
  provision(unit: string): QueuedHook[] {
    const hooks: QueuedHook[] = [];
    for (const storage of [...this.meta.storages.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      for (let i = 0; i < storageRange(storage).min; i++) hooks.push(this.#attach(unit, storage));
    }
    return hooks;
  }

  /** `storage-list [name]`: ids of `unit`'s attached instances. */
  list(unit: string, name?: string): string[] {
    return (this.#byUnit.get(unit) ?? [])
      .filter((s) => s.attached && (name === undefined || name === '' || s.name === name))
      .map((s) => s.id)
      .sort(compareStorageIds);
  }

  /** `storage-get -s id`: the instance, if `unit` has it attached. */
  get(unit: string, id: string): SimStorageInstance | undefined {
    return this.#byUnit.get(unit)?.find((s) => s.id === id && s.attached);
  }

  /** Every unit's instances, for snapshots. */
  instances(unit: string): readonly SimStorageInstance[] {
    return (this.#byUnit.get(unit) ?? []).filter((s) => s.attached);
  }

  /**
   * Checks a `storage-add` request against metadata before the hook ends (Juju refuses an unknown
   * storage or a count beyond the range as the tool runs).
   * @throws {ToolFailure} unknown storage, a count below 1 or above the range.
   */
  checkAdd(unit: string, name: string, count: number): void {
    const storage = this.meta.storages.get(name);
    if (!storage) throw new ToolFailure(1, `storage "${name}" not found`);
    if (!Number.isInteger(count) || count < 1)
      throw new ToolFailure(2, `count must be greater than zero, got "${count}"`);
    const { max } = storageRange(storage);
    const have = this.list(unit, name).length;
    if (max !== null && have + count > max) {
      throw new ToolFailure(
        1,
        `cannot add storage "${name}": ${have + count} instances would exceed the charm's maximum of ${max}`,
      );
    }
  }

  /** Adds `count` instances of `name` to `unit` (the hook that asked succeeded); their attached hooks. */
  add(unit: string, name: string, count: number): QueuedHook[] {
    const storage = this.meta.storages.get(name);
    if (!storage) return [];
    return Array.from({ length: count }, () => this.#attach(unit, storage));
  }

  /** The `-storage-detaching` hooks of every attached instance of `unit` (it is being removed). */
  detachAll(unit: string): QueuedHook[] {
    return (this.#byUnit.get(unit) ?? [])
      .filter((s) => s.attached)
      .map((s) => storageHook('storage-detaching', s));
  }

  /**
   * Releases every instance of `unit` without hooks: it was removed before it ran one, so the
   * charm never saw them attached. `detachStorage` and `storage-list` no longer find them.
   */
  release(unit: string): void {
    for (const instance of this.#byUnit.get(unit) ?? []) instance.attached = false;
  }

  /** The unit that has instance `id` attached, or null. */
  ownerOf(id: string): string | null {
    for (const [unit, list] of this.#byUnit) if (list.some((s) => s.id === id && s.attached)) return unit;
    return null;
  }

  /** Marks `id` detached once its `-storage-detaching` hook succeeded: storage-list no longer shows it. */
  detached(unit: string, id: string): void {
    const instance = this.#byUnit.get(unit)?.find((s) => s.id === id);
    if (instance) instance.attached = false;
  }

  #attach(unit: string, storage: StorageMeta): QueuedHook {
    let n: number;
    if (this.nextId) n = this.nextId(storage.name);
    else {
      n = this.#next.get(storage.name) ?? 0;
      this.#next.set(storage.name, n + 1);
    }
    const id = `${storage.name}/${n}`;
    let location: string;
    if (storage.type === 'filesystem') {
      location = join(this.root, storage.name, String(n));
      if (this.createDirs) mkdirSync(location, { recursive: true });
    } else {
      // No block device to give: the path a machine would show, never created.
      location = `/dev/sim-${storage.name}-${n}`;
    }
    const instance: SimStorageInstance = {
      id,
      name: storage.name,
      kind: storage.type,
      location,
      attached: true,
    };
    const list = this.#byUnit.get(unit) ?? [];
    list.push(instance);
    this.#byUnit.set(unit, list);
    return storageHook('storage-attached', instance);
  }
}

/** `cache/2` before `data/0`, `data/2` before `data/10`: stable output for a set Juju keeps unordered. */
function compareStorageIds(a: string, b: string): number {
  const [an = '', ai = '0'] = a.split('/');
  const [bn = '', bi = '0'] = b.split('/');
  return an === bn ? Number(ai) - Number(bi) : an.localeCompare(bn);
}

function storageHook(
  kind: 'storage-attached' | 'storage-detaching',
  instance: SimStorageInstance,
): QueuedHook {
  return { ...makeHook(kind), name: `${instance.name}-${kind}`, storageId: instance.id };
}

/** `JUJU_STORAGE_ID`, `_LOCATION` and `_KIND` of a `-storage-*` hook (juju-contract §3). */
export function storageHookEnv(hook: QueuedHook, storage: SimStorage, unit: string): Record<string, string> {
  if (!hook.storageId) return {};
  const instance = storage.instances(unit).find((s) => s.id === hook.storageId);
  if (!instance) return { JUJU_STORAGE_ID: hook.storageId };
  return {
    JUJU_STORAGE_ID: instance.id,
    JUJU_STORAGE_LOCATION: instance.location,
    JUJU_STORAGE_KIND: instance.kind,
  };
}
