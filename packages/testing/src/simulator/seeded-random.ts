/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every machine, which is what makes a simulation reproducible. Not for anything secret.
 */
export class SeededRandom {
  #state: number;

  /** @param seed any integer; only its low 32 bits matter. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next value in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n); 0 when n ≤ 0. */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p` (always consumes one value, so the sequence does not depend on `p`). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of `items`, or undefined when it is empty. */
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }

  /** A derived generator, so one stream's consumption never shifts another's. */
  fork(salt: number): SeededRandom {
    return new SeededRandom((Math.imul(this.#state ^ salt, 0x9e3779b1) + salt) >>> 0);
  }

  /** `n` hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.int(16).toString(16);
    return out;
  }
}
