import { SimulatedBackend } from '../../src/simulator/sim-backend.js';
import { describeBackendContract } from './backend-contract.js';
import { contractSession } from './sim-world.js';

// The simulator's in-process backend: the same HookSession the hook-tool server answers from.
describeBackendContract(
  'SimulatedBackend (in-process simulator)',
  (seed) => {
    const backend = new SimulatedBackend(contractSession(seed, 'contract-in-process'));
    return { backend, unitTools: backend };
  },
  {
    secrets: true,
    storage: true,
    actions: true,
    resources: false,
    credentials: false,
    reboot: false,
    unitTools: true,
  },
);
