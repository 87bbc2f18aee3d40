// Worker-thread entry (bundled by tool-server-thread.ts): serves the simulator's hook tools for
// one contract session at a time, while the test thread blocks in HookTools' synchronous spawns.
import { parentPort, workerData } from 'node:worker_threads';
import type { HookSession } from '../../src/simulator/hook-session.js';
import { ToolServer } from '../../src/simulator/tool-server.js';
import type { ContractSeed } from './contract-world.js';
import { contractSession } from './sim-world.js';

/** A request from the test thread. */
export type ToolServerRequest =
  | { readonly kind: 'seed'; readonly seed: ContractSeed; readonly contextId: string }
  | { readonly kind: 'stop' };

const port = parentPort;
if (!port) throw new Error('tool-server-worker runs in a worker thread only');
const server = await ToolServer.listen((workerData as { socketPath: string }).socketPath);
let session: HookSession | null = null;
port.on('message', (request: ToolServerRequest) => {
  if (request.kind === 'stop') {
    void server.shutdown().then(() => port.close());
    return;
  }
  if (session) server.close(session);
  session = contractSession(request.seed, request.contextId);
  server.open(session);
  port.postMessage({ kind: 'ready', contextId: request.contextId });
});
port.postMessage({ kind: 'listening' });
