/** What a grant policy sees when the leader considers one waiting request. */
export interface GrantContext {
  /** The lock asked for. */
  readonly lock: string;
  /** The unit asking. */
  readonly unit: string;
  /** Units holding `lock` now (grants already made in this round included). */
  readonly holders: readonly string[];
  /** Every unit holding any lock, with its locks. */
  readonly allHolders: ReadonlyMap<string, readonly string[]>;
  /** Units waiting for `lock`, in FIFO order; `unit` is among them. */
  readonly queue: readonly string[];
  /** `unit`'s place in `queue` (0 is the head). */
  readonly position: number;
}

/**
 * Decides whether the leader grants `lock` to `unit` now. The leader asks about every waiting
 * unit, in FIFO order; `position` counts the units still waiting ahead of it, so a policy that
 * only grants at position 0 never lets a unit overtake another.
 */
export type GrantPolicy = (context: GrantContext) => boolean;

/** One holder per lock name (charmhelpers' `Serial`): different locks may be held by different units. */
export const serial: GrantPolicy = (c) => c.holders.length === 0 && c.position === 0;

/**
 * One unit holds every lock (layer-coordinator's `SimpleCoordinator`): a unit already holding
 * a lock gets the others; otherwise the head of the queue gets it when nobody holds anything.
 */
export const simple: GrantPolicy = (c) => {
  if (c.allHolders.has(c.unit)) return true;
  return c.allHolders.size === 0 && c.position === 0;
};

/** Up to `n` holders of each lock at once, granted in FIFO order. */
export function maxConcurrent(n: number): GrantPolicy {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`maxConcurrent(n) needs a whole number >= 1, got ${n}`);
  const policy: GrantPolicy = (c) => c.holders.length < n && c.position === 0;
  Object.defineProperty(policy, 'limit', { value: n });
  return policy;
}

/** The most holders `policy` allows for one lock (1 for serial and simple), or null when unknown. */
export function policyLimit(policy: GrantPolicy): number | null {
  if (policy === serial || policy === simple) return 1;
  const limit = (policy as { limit?: unknown }).limit;
  return typeof limit === 'number' ? limit : null;
}
