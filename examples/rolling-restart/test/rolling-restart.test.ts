import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHealthy } from '../src/http-health.js';
import { LocalProcessRestarter } from '../src/local-process-restarter.js';
import { RollingRestartCharm } from '../src/rolling-restart-charm.js';
import { bundleWorkloadEntry } from './helpers/workload-entry.js';

const here = dirname(fileURLToPath(import.meta.url));
const charmDir = join(here, '..');
let work: string;

beforeAll(() => {
  work = bundleWorkloadEntry('rolling-restart-');
});
afterAll(async () => {
  await new LocalProcessRestarter(work, '', 0, '').stop();
  rmSync(work, { recursive: true, force: true });
});

const config = (greeting: string) => ({ greeting, workload: 'local-process', port: 21000 });
const get = async (port: number) => JSON.parse(await (await fetch(`http://127.0.0.1:${port}/`)).text());

describe('rolling-restart (Context, real workload process)', () => {
  it('starts the workload, then restarts it under the lock when the greeting changes', async () => {
    const ctx = new Context(RollingRestartCharm, { charmDir, unitId: 0 });
    const peers = new PeerRelation('cluster', { id: 1 });
    // The charm dir for runtime files (pid, workload.conf) is the temp dir.
    const env = { JUJU_CHARM_DIR: work };
    const started = await ctx.run(
      { ...ctx.on.start(), env },
      new State({ leader: true, config: config('hello'), relations: [peers] }),
    );
    expect(started.unitStatus).toEqual({ name: 'active', message: 'serving "hello"' });
    const before = await get(21000);
    expect(before.greeting).toBe('hello');

    const changed = await ctx.run(
      { ...ctx.on.configChanged(), env },
      started.with({ config: config('bonjour') }),
    );
    expect(changed.deferred).toEqual([]);
    const after = await get(21000);
    expect(after.greeting).toBe('bonjour');
    expect(after.pid).not.toBe(before.pid);
    expect(readFileSync(join(work, 'workload.conf'), 'utf8')).toBe('bonjour');
    expect(changed.getStoredState('RollingRestartCharm', 'stored')).toEqual({
      applied: 'bonjour',
      restarts: 1,
    });
    expect(await httpHealthy('http://127.0.0.1:21000/health')).toBe(true);
  });
});
