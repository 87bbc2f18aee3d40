import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { defaultToolClient, installToolClients } from '../../src/simulator/tool-client.js';
import { SIMULATED_TOOL_NAMES } from '../../src/simulator/tool-commands.js';
import type { ContractSeed } from './contract-world.js';
import type { ToolServerRequest } from './tool-server-worker.js';

/**
 * The simulator's hook-tool server on a worker thread, with the real hook-tool executables on
 * disk: `HookTools` spawns its tools synchronously, so the server must answer from another thread.
 * The worker is bundled with esbuild from the TypeScript sources (the package's own bundler).
 */
export class ToolServerThread {
  #calls = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly dir: string,
    /** The directory of tool executables, to put first on PATH. */
    readonly toolsDir: string,
    /** `JUJU_AGENT_SOCKET_ADDRESS`. */
    readonly socketPath: string,
  ) {}

  static async start(): Promise<ToolServerThread> {
    const dir = mkdtempSync(join(tmpdir(), 'charmkit-contract-'));
    const entry = join(dir, 'tool-server-worker.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'tool-server-worker.ts')],
      outfile: entry,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      conditions: ['@charmkit/source'],
      logLevel: 'silent',
      // CommonJS dependencies (yaml) require Node builtins, which an ES module bundle lacks.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      // The worker never opens a database; the native addon cannot be bundled.
      plugins: [
        {
          name: 'no-sqlite',
          setup(build) {
            build.onResolve({ filter: /^better-sqlite3$/ }, () => ({
              path: 'better-sqlite3',
              namespace: 'stub',
            }));
            build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default null;' }));
          },
        },
      ],
    });
    const toolsDir = installToolClients(join(dir, 'tools'), SIMULATED_TOOL_NAMES, defaultToolClient());
    const socketPath = join(dir, 'agent.socket');
    const worker = new Worker(entry, { workerData: { socketPath } });
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', () => {
        worker.off('error', reject);
        resolve();
      });
    });
    return new ToolServerThread(worker, dir, toolsDir, socketPath);
  }

  /** Seeds a fresh contract world on the worker; returns the environment its hook tools need. */
  async seed(seed: ContractSeed): Promise<Record<string, string>> {
    const contextId = `contract-${++this.#calls}`;
    const ready = new Promise<void>((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('message', () => {
        this.worker.off('error', reject);
        resolve();
      });
    });
    this.worker.postMessage({ kind: 'seed', seed, contextId } satisfies ToolServerRequest);
    await ready;
    return {
      PATH: `${this.toolsDir}:${process.env.PATH ?? ''}`,
      JUJU_AGENT_SOCKET_ADDRESS: this.socketPath,
      JUJU_CONTEXT_ID: contextId,
      JUJU_CHARM_DIR: this.dir,
    };
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ kind: 'stop' } satisfies ToolServerRequest);
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
