import { it } from 'vitest';
import { runRoll } from '../packages/coordinator/test/helpers/roll-harness.js';

// The closing table: a rolling restart of N units without faults.
it('no-fault roll figures', async () => {
  const rows = [];
  for (const units of [3, 10, 30]) {
    const r = await runRoll({ units, seed: 1 });
    rows.push({
      units,
      hooksUntilLastRestart: r.hooksUntilLastRestart,
      totalHooks: r.hooks,
      wakeups: r.wakeups,
      restarts: r.restarts,
      maxHolders: r.maxHolders,
      violations: r.violations.length,
    });
  }
  console.table(rows);
});
