import { HookTools } from '@charmkit/ops/hook-tools';
import { HookToolsBackend } from '@charmkit/ops/internal';
import { afterAll, beforeAll } from 'vitest';
import { describeBackendContract } from './backend-contract.js';
import { ToolServerThread } from './tool-server-thread.js';

// Production's backend, spawning the simulator's real hook-tool executables: this run pins the
// contract to what the real tools' output and exit codes make of it.
let server: ToolServerThread | undefined;
beforeAll(async () => {
  server = await ToolServerThread.start();
}, 120_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

describeBackendContract(
  'HookToolsBackend (real tools, simulator agent)',
  async (seed) => {
    if (!server) throw new Error('the tool server did not start');
    const tools = new HookTools({ env: await server.seed(seed) });
    return { backend: new HookToolsBackend(tools), unitTools: tools };
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
  // Each case spawns a few tool processes; a loaded machine may be slow, never wrong.
  { timeoutMs: 120_000 },
);
