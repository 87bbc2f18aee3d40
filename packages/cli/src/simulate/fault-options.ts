import type { CharmMeta } from '@charmkit/ops';
import type { FaultOptions } from '@charmkit/testing';

/**
 * The faults `charmkit simulate --faults` injects (for `--model`, in each application): hook failures, SIGKILLs and leader changes for
 * every charm, and container restarts for a charm with workload containers. The fault stream's
 * seed follows the simulation's, so `--seed` reproduces the faults too.
 */
export function simulateFaultOptions(meta: CharmMeta, seed: number, units: number, stream = 0): FaultOptions {
  return {
    // `stream`: each application of a model gets faults of its own, not the same ones at once.
    seed: seed * 7919 + 17 + stream * 104_729,
    hookFailure: 0.05,
    sigkill: 0.02,
    leaderChange: 0.02,
    ...(meta.containers.size > 0 ? { containerRestart: 0.02, maxContainerRestarts: 3 } : {}),
    maxTopologyChanges: 3,
    minUnits: Math.min(2, units),
  };
}
