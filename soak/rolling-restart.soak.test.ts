import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runRoll } from '../packages/coordinator/test/helpers/roll-harness.js';

/** Only the figures of a run: keeping whole results (with their trace) would hold every simulator. */
interface RunFigures {
  settled: boolean;
  violations: number;
  maxHolders: number;
  maxDown: number;
  hooks: number;
  hooksUntilLastRestart: number;
  wakeups: number;
}

const SEEDS = Number(process.env.SOAK_SEEDS ?? 300);

interface Row {
  units: number;
  policy: string;
  runs: number;
  failedToSettle: number;
  violations: number;
  maxHolders: number;
  maxDown: number;
  medianHooks: number;
  medianHooksUntilLastRestart: number;
  medianWakeups: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

it('rolling restarts over many seeds, with faults', async () => {
  const rows: Row[] = [];
  const plans: [number, number][] = [
    [3, SEEDS],
    [5, SEEDS],
    [10, Math.ceil(SEEDS / 3)],
    [30, Math.ceil(SEEDS / 15)],
  ];
  const failures: string[] = [];
  for (const [units, runs] of plans) {
    for (const [policy, k] of [
      ['serial', 1],
      ['max-concurrent(2)', 2],
    ] as const) {
      const results: RunFigures[] = [];
      for (let seed = 1; seed <= runs; seed++) {
        const result = await runRoll({
          units,
          seed,
          faults: true,
          unhealthyRate: 0.2,
          k,
          ...(k === 2 ? { policy: { maxConcurrent: 2 } } : {}),
        });
        results.push({
          settled: result.settled,
          violations: result.violations.length,
          maxHolders: result.maxHolders,
          maxDown: result.maxDown,
          hooks: result.hooks,
          hooksUntilLastRestart: result.hooksUntilLastRestart,
          wakeups: result.wakeups,
        });
        if (result.violations.length || !result.settled) {
          failures.push(
            `N=${units} ${policy} seed ${seed}: ${result.reason} ${result.violations.join('; ')}`,
          );
        }
      }
      rows.push({
        units,
        policy,
        runs,
        failedToSettle: results.filter((r) => !r.settled).length,
        violations: results.reduce((n, r) => n + r.violations, 0),
        maxHolders: Math.max(...results.map((r) => r.maxHolders)),
        maxDown: Math.max(...results.map((r) => r.maxDown)),
        medianHooks: median(results.map((r) => r.hooks)),
        medianHooksUntilLastRestart: median(results.map((r) => r.hooksUntilLastRestart)),
        medianWakeups: median(results.map((r) => r.wakeups)),
      });
    }
  }
  console.table(rows);
  writeFileSync('soak/results.json', `${JSON.stringify({ seeds: SEEDS, rows, failures }, null, 2)}\n`);
  expect(failures).toEqual([]);
});
