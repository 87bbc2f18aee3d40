import type { Pebble } from '../../src/pebble/pebble-api.js';

/** One call a {@link stubPebble} received. */
export interface PebbleCall {
  method: string;
  args: unknown[];
}

/**
 * A `Pebble` without a socket: methods given in `answers` run (and every call is recorded);
 * any other method throws, so a test sees exactly which calls a `Container` makes.
 */
export function stubPebble(answers: Partial<Pebble>): { pebble: Pebble; calls: PebbleCall[] } {
  const calls: PebbleCall[] = [];
  const pebble = new Proxy({} as Pebble, {
    get(_target, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push({ method: property, args });
        const answer = (answers as Record<string, ((...a: unknown[]) => unknown) | undefined>)[property];
        if (answer === undefined) throw new Error(`stub Pebble: unexpected call to ${property}`);
        return answer(...args);
      };
    },
  });
  return { pebble, calls };
}
