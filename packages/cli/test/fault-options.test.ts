import { parseCharmMeta } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import { simulateFaultOptions } from '../src/simulate/fault-options.js';

describe('simulate --faults', () => {
  it('restarts containers only for a charm that has them', () => {
    const machine = parseCharmMeta({ metadata: { name: 'machine-app' } });
    const sidecar = parseCharmMeta({
      metadata: {
        name: 'sidecar',
        containers: { web: { resource: 'web-image' } },
        resources: { 'web-image': { type: 'oci-image' } },
      },
    });
    expect(simulateFaultOptions(machine, 4, 3)).not.toHaveProperty('containerRestart');
    expect(simulateFaultOptions(sidecar, 4, 3)).toMatchObject({
      containerRestart: 0.02,
      maxContainerRestarts: 3,
      hookFailure: 0.05,
      leaderChange: 0.02,
    });
  });

  it('derives the fault seed from the simulation seed and keeps two units alive where it can', () => {
    const meta = parseCharmMeta({ metadata: { name: 'app' } });
    expect(simulateFaultOptions(meta, 4, 3).seed).toBe(simulateFaultOptions(meta, 4, 5).seed);
    expect(simulateFaultOptions(meta, 4, 3).seed).not.toBe(simulateFaultOptions(meta, 5, 3).seed);
    // Applications of one model: a stream each, so they do not fail at the same moments.
    expect(simulateFaultOptions(meta, 4, 3, 1).seed).not.toBe(simulateFaultOptions(meta, 4, 3, 0).seed);
    expect(simulateFaultOptions(meta, 4, 3, 0).seed).toBe(simulateFaultOptions(meta, 4, 3).seed);
    expect(simulateFaultOptions(meta, 4, 1).minUnits).toBe(1);
    expect(simulateFaultOptions(meta, 4, 3).minUnits).toBe(2);
  });
});
