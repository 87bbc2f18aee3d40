/** The hooks the simulator schedules. */
export type HookKind =
  | 'install'
  | 'start'
  | 'stop'
  | 'remove'
  | 'config-changed'
  | 'update-status'
  | 'leader-elected'
  | 'leader-settings-changed'
  | 'relation-created'
  | 'relation-joined'
  | 'relation-changed'
  | 'relation-departed'
  | 'relation-broken'
  // An action: run at once by `Simulator.runAction`, never queued.
  | 'action'
  | 'secret-changed'
  | 'secret-remove'
  | 'storage-attached'
  | 'storage-detaching'
  // Workload (Pebble) hooks of a Kubernetes sidecar container, named `<container>-<kind>`.
  | 'pebble-ready'
  | 'pebble-custom-notice'
  | 'pebble-check-failed'
  | 'pebble-check-recovered';

/** The container a `<container>-pebble-*` hook is about, with its notice or check. */
export interface WorkloadHookTarget {
  /** `JUJU_WORKLOAD_NAME`. */
  readonly container: string;
  /** `JUJU_NOTICE_ID`, `_TYPE`, `_KEY` (pebble-custom-notice only). */
  readonly notice?: { readonly id: string; readonly type: string; readonly key: string };
  /** `JUJU_PEBBLE_CHECK_NAME` (pebble-check-failed/-recovered only). */
  readonly check?: string;
}

/** The secret a `secret-*` hook is about (`JUJU_SECRET_ID`, `_LABEL`, `_REVISION`). */
export interface SecretHookTarget {
  readonly uri: string;
  readonly label: string | null;
  /** secret-remove only. */
  readonly revision: number | null;
}

/** One hook waiting to run on a unit. */
export interface QueuedHook {
  readonly kind: HookKind;
  /** The hook name Juju uses, e.g. `cluster-relation-changed`. */
  readonly name: string;
  readonly relationId: number | null;
  /** `JUJU_REMOTE_UNIT` ('' for app-data changes, created and broken). */
  readonly remoteUnit: string | null;
  /** `JUJU_REMOTE_APP`. */
  readonly remoteApp: string | null;
  /** `JUJU_DEPARTING_UNIT` (relation-departed only). */
  readonly departingUnit: string | null;
  /** How many times it has run and failed. */
  failures: number;
  /** The secret of a `secret-*` hook. */
  readonly secret?: SecretHookTarget;
  /** The storage instance (`data/0`) of a `<name>-storage-*` hook. */
  readonly storageId?: string;
  /** The container (and notice or check) of a `<container>-pebble-*` hook. */
  readonly workload?: WorkloadHookTarget;
}

/** What identifies a relation hook besides its kind. */
export interface RelationHookTarget {
  readonly endpoint: string;
  readonly relationId: number;
  readonly remoteUnit?: string;
  readonly remoteApp: string;
  readonly departingUnit?: string;
}

// Hooks Juju coalesces: a pending one already shows the latest state when it runs, so a second
// request adds nothing (juju-contract §4: "several writes produce at least one -changed").
const COALESCED: ReadonlySet<HookKind> = new Set([
  'config-changed',
  'update-status',
  'leader-elected',
  'leader-settings-changed',
  'relation-changed',
  'secret-changed',
]);

/** Builds a queued hook of `kind`; relation kinds need `target`. */
export function makeHook(kind: HookKind, target?: RelationHookTarget): QueuedHook {
  if (!kind.startsWith('relation-')) {
    return {
      kind,
      name: kind,
      relationId: null,
      remoteUnit: null,
      remoteApp: null,
      departingUnit: null,
      failures: 0,
    };
  }
  if (!target) throw new TypeError(`${kind} needs a relation`);
  return {
    kind,
    name: `${target.endpoint}-${kind}`,
    relationId: target.relationId,
    remoteUnit: target.remoteUnit ?? '',
    remoteApp: target.remoteApp,
    departingUnit: target.departingUnit ?? null,
    failures: 0,
  };
}

function sameTarget(a: QueuedHook, b: QueuedHook): boolean {
  return (
    a.kind === b.kind &&
    a.relationId === b.relationId &&
    a.remoteUnit === b.remoteUnit &&
    a.remoteApp === b.remoteApp &&
    a.secret?.uri === b.secret?.uri
  );
}

/**
 * One unit's pending hooks, run strictly in order: the head runs next and, when it fails, stays at
 * the head until it succeeds (Juju runs nothing else on a unit in error).
 */
export class HookQueue {
  readonly #items: QueuedHook[] = [];

  /** Appends `hook`, unless an equal coalescable hook is already pending. Returns whether it was added. */
  push(hook: QueuedHook): boolean {
    if (COALESCED.has(hook.kind) && this.#items.some((pending) => sameTarget(pending, hook))) return false;
    this.#items.push(hook);
    return true;
  }

  /** The hook that runs next. */
  head(): QueuedHook | undefined {
    return this.#items[0];
  }

  /** Drops the head (after it succeeded). */
  shift(): void {
    this.#items.shift();
  }

  /** Drops every pending hook matching `predicate` except a failed head, which must succeed first. */
  drop(predicate: (hook: QueuedHook) => boolean): void {
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const hook = this.#items[i] as QueuedHook;
      if (i === 0 && hook.failures > 0) continue;
      if (predicate(hook)) this.#items.splice(i, 1);
    }
  }

  /**
   * Replaces every pending hook of `kind` (except a failed head) by `replacement`, in place, or
   * drops it when an equal coalescable hook is already pending.
   */
  replace(kind: HookKind, replacement: QueuedHook): void {
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const hook = this.#items[i] as QueuedHook;
      if (hook.kind !== kind || (i === 0 && hook.failures > 0)) continue;
      const duplicate =
        COALESCED.has(replacement.kind) && this.#items.some((other) => sameTarget(other, replacement));
      if (duplicate) this.#items.splice(i, 1);
      else this.#items[i] = { ...replacement };
    }
  }

  get length(): number {
    return this.#items.length;
  }

  /** The pending hooks, head first. */
  list(): readonly QueuedHook[] {
    return [...this.#items];
  }
}
