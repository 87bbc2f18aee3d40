import type { SimSnapshot } from './snapshot.js';
import type { HookRecord } from './trace.js';

/**
 * A property that must hold after every hook: return `true` when it holds, or a message saying
 * what is wrong.
 */
export type InvariantCheck = (world: SimSnapshot, hook: HookRecord) => true | string;

/** An invariant that failed, and the hook after which it did. */
export interface InvariantViolation {
  readonly invariant: string;
  readonly message: string;
  readonly hookIndex: number;
  readonly unit: string;
  readonly hook: string;
}

/** Named invariants, checked together. */
export class InvariantSet {
  readonly #checks = new Map<string, InvariantCheck>();
  /** How many times invariants were checked (once per hook when there are any). */
  checks = 0;

  get size(): number {
    return this.#checks.size;
  }

  add(name: string, check: InvariantCheck): void {
    this.#checks.set(name, check);
  }

  /** Runs every check; a check that throws counts as violated with the error's message. */
  check(world: SimSnapshot, hook: HookRecord): InvariantViolation[] {
    this.checks++;
    const violations: InvariantViolation[] = [];
    for (const [name, check] of this.#checks) {
      let result: true | string;
      try {
        result = check(world, hook);
      } catch (error) {
        result = `the check threw: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (result !== true) {
        violations.push({
          invariant: name,
          message: result,
          hookIndex: hook.index,
          unit: hook.unit,
          hook: hook.hook,
        });
      }
    }
    return violations;
  }
}
