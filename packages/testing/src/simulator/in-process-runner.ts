import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CharmClass, CharmMeta } from '@charmkit/ops';
import { dispatch, MemoryLogger, MemoryStorage, parseJujuContext } from '@charmkit/ops/internal';
import type { HookRunner, HookRunRequest, HookRunResult } from './hook-runner.js';
import { SimulatedBackend } from './sim-backend.js';

/**
 * Runs each hook as a `dispatch()` in this process: the charm class over a {@link SimulatedBackend}
 * and the unit's own {@link MemoryStorage}, kept across that unit's hooks (dispatch rolls it back
 * when the hook fails, as SQLite would).
 */
export class InProcessRunner implements HookRunner {
  readonly mode = 'in-process' as const;
  readonly #storages = new Map<string, MemoryStorage>();

  constructor(
    private readonly charm: CharmClass,
    private readonly meta: CharmMeta,
    private readonly workDir: string,
  ) {}

  async prepareUnit(unitName: string): Promise<void> {
    this.#storages.set(unitName, new MemoryStorage());
    mkdirSync(this.charmDirOf(unitName), { recursive: true });
  }

  /**
   * Each unit gets a directory of its own, as on Juju (where each unit has its own copy of the
   * charm): files a charm writes next to itself (pid files, rendered config) do not collide.
   */
  charmDirOf(unitName: string): string {
    return join(this.workDir, 'units', unitName.replace('/', '-'));
  }

  /** The unit's storage (deferred events, stored state), for assertions. */
  storageOf(unitName: string): MemoryStorage | undefined {
    return this.#storages.get(unitName);
  }

  async run({ session, env }: HookRunRequest): Promise<HookRunResult> {
    if (session.fault?.atCall === 0) {
      session.faultFired = true;
      return {
        outcome: 'failed',
        error: `injected fault (${session.fault.origin}): the hook failed before it started`,
        stderr: '',
      };
    }
    let storage = this.#storages.get(session.unit.name);
    if (!storage) {
      storage = new MemoryStorage();
      this.#storages.set(session.unit.name, storage);
    }
    const logger = new MemoryLogger();
    try {
      await dispatch(this.charm, {
        context: parseJujuContext(env),
        meta: this.meta,
        storage,
        backend: new SimulatedBackend(session),
        logger,
      });
      return { outcome: 'ok', error: null, stderr: '' };
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { outcome: 'failed', error: text, stderr: '' };
    } finally {
      // What HookLogger would have sent to juju-log (INFO and above).
      for (const line of logger.lines) {
        if (line.level !== 'DEBUG') session.log(line.level, line.message);
      }
    }
  }

  async close(): Promise<void> {
    for (const storage of this.#storages.values()) storage.close();
  }
}
