import { describe, expect, it } from 'vitest';
import { runRoll } from './helpers/roll-harness.js';

// The proofs of docs/explanation/coordination.md, on the simulator. `npm run soak` runs the same
// scenarios over thousands of seeds; these keep a spread of them in every test run.
describe('rolling restart under faults', () => {
  const cases: [units: number, seeds: number[]][] = [
    [3, [1, 2, 3, 4, 5, 6, 7, 8]],
    [5, [1, 2, 3, 4, 5]],
    [10, [1, 2, 3]],
    [30, [1]],
  ];
  for (const [units, seeds] of cases) {
    it(`${units} units, serial: never two holders, every unit restarts, the roll finishes`, async () => {
      for (const seed of seeds) {
        const result = await runRoll({ units, seed, faults: true, unhealthyRate: 0.2 });
        expect(result.violations, `seed ${seed}\n${result.trace()}`).toEqual([]);
        expect(result.settled, `seed ${seed}: ${result.reason}`).toBe(true);
        expect(result.maxHolders).toBeLessThanOrEqual(1);
        expect(result.maxDown).toBeLessThanOrEqual(1);
      }
    }, 120_000);
  }

  it('maxConcurrent(2): at most two holders and two workloads down, and more than one at a time happens', async () => {
    let sawTwo = false;
    for (const seed of [1, 2, 3, 4]) {
      const result = await runRoll({
        units: 6,
        seed,
        policy: { maxConcurrent: 2 },
        k: 2,
        faults: true,
        unhealthyRate: 0.3,
      });
      expect(result.violations, `seed ${seed}\n${result.trace()}`).toEqual([]);
      expect(result.settled).toBe(true);
      expect(result.maxHolders).toBeLessThanOrEqual(2);
      if (result.maxHolders === 2) sawTwo = true;
    }
    expect(sawTwo).toBe(true);
  }, 120_000);

  it('without faults the roll finishes with no timer hook (update-status) at all, one restart per unit', async () => {
    for (const units of [3, 10]) {
      const result = await runRoll({ units, seed: 1, updateStatusRounds: 0 });
      expect(result.settled).toBe(true);
      expect(result.violations).toEqual([]);
      // Exactly one restart per unit, and the handoffs need no unrelated hook.
      expect(result.restarts).toBe(units);
      expect(result.maxHolders).toBe(1);
    }
  }, 60_000);
});
