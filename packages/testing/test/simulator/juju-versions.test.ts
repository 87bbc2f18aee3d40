import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharmBase, type Framework, parseCharmMeta } from '@charmkit/ops';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCharm, buildCharm } from '../../src/build/index.js';
import { DEFAULT_SIMULATED_JUJU_VERSION, Simulator } from '../../src/simulator/index.js';
import { SimCharm } from '../fixtures/sim-charm/src/sim-charm.js';
import { simCharmDir, simCharmMeta } from '../helpers/sim-charm.js';

// What the simulated controller does differently on Juju 4 and on 3.6 (juju-contract, "Juju 4").
// The ordering of everything else is pinned under 3.6 by hook-ordering.test.ts.

/** Goes active and does nothing else: it runs on either version. */
class QuietCharm extends CharmBase {
  static override readonly handleKind = 'QuietCharm';
  constructor(framework: Framework) {
    super(framework);
  }
}

const quietMeta = parseCharmMeta({
  metadata: { name: 'quiet', peers: { cluster: { interface: 'quiet-peers' } } },
});

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function deploy(juju: string | undefined, units = 3): Promise<Simulator> {
  sim = await Simulator.create({
    mode: 'in-process',
    charm: QuietCharm,
    meta: quietMeta,
    units,
    ...(juju === undefined ? {} : { juju }),
  });
  const result = await sim.settle();
  expect(result.settled, sim.trace.format()).toBe(true);
  return sim;
}

describe('the simulated Juju version', () => {
  it('is 4 unless told; "3.6" and "4" name the current releases of each line', async () => {
    expect((await deploy(undefined, 1)).jujuVersion).toBe(DEFAULT_SIMULATED_JUJU_VERSION);
    expect(DEFAULT_SIMULATED_JUJU_VERSION).toMatch(/^4\./);
    await sim?.close();
    expect((await deploy('3.6', 1)).jujuVersion).toMatch(/^3\.6\.\d+$/);
  });

  it('on 4, non-leaders get no leader-settings-changed, at deploy or after a leader change', async () => {
    const s = await deploy('4');
    const others = s.units().filter((u) => u !== s.leader);
    s.changeLeader(others[0] as string);
    await s.settle();
    expect(s.trace.hooks.map((h) => h.hook)).not.toContain('leader-settings-changed');
    expect(s.trace.hooks.filter((h) => h.hook === 'leader-elected').map((h) => h.unit)).toEqual([
      'quiet/0',
      others[0],
    ]);
  });

  it('on 3.6, they do', async () => {
    const s = await deploy('3.6');
    const settings = s.trace.hooks.filter((h) => h.hook === 'leader-settings-changed').map((h) => h.unit);
    expect(settings.sort()).toEqual(['quiet/1', 'quiet/2']);
  });

  it('on 4, a unit entering a relation writes ingress-address and egress-subnets, no private-address', async () => {
    const s = await deploy('4');
    const bags = s.snapshot().relations.find((r) => r.endpoint === 'cluster')?.unitData ?? {};
    expect(Object.keys(bags).sort()).toEqual(['quiet/0', 'quiet/1', 'quiet/2']);
    for (const bag of Object.values(bags)) {
      expect(bag).toHaveProperty('ingress-address');
      expect(bag).toHaveProperty('egress-subnets');
      expect(bag).not.toHaveProperty('private-address');
    }
  });

  it('on 3.6, private-address is there too', async () => {
    const s = await deploy('3.6');
    const bags = s.snapshot().relations.find((r) => r.endpoint === 'cluster')?.unitData ?? {};
    for (const bag of Object.values(bags)) expect(bag['private-address']).toBe(bag['ingress-address']);
  });

  it('on 4, a charm that uses leader settings fails its hook with RemovedInJuju4Error, before any tool runs', async () => {
    sim = await Simulator.create({
      mode: 'in-process',
      charm: SimCharm,
      meta: simCharmMeta,
      units: 1,
      juju: '4',
    });
    const result = await sim.settle({ maxHooks: 50 });
    expect(result.settled).toBe(false);
    const failed = sim.trace.hooks.find((h) => h.outcome !== 'ok');
    expect(failed?.error).toContain('RemovedInJuju4Error');
    expect(failed?.error).toMatch(
      /leader-(get|set) was removed in Juju 4 .*peer relation application databag/,
    );
    const tools = failed?.toolCalls.map((c) => c.tool) ?? [];
    expect(tools).not.toContain('leader-get');
    expect(tools).not.toContain('leader-set');
  });
});

describe('process mode: the tools on PATH', () => {
  let built: BuiltCharm;
  const outDir = mkdtempSync(join(tmpdir(), 'charmkit-juju-versions-'));
  beforeAll(async () => {
    built = await buildCharm({ charmDir: simCharmDir, outDir });
  }, 180_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it.each([
    ['4', false],
    ['3.6', true],
  ])('on Juju %s, leader-get/leader-set and add-metric installed: %s', async (juju, present) => {
    sim = await Simulator.create({ mode: 'process', charmDir: built.outDir, units: 1, juju });
    const tools = join(sim.workDir, 'tools');
    expect(existsSync(join(tools, 'is-leader'))).toBe(true);
    expect(existsSync(join(tools, 'relation-get'))).toBe(true);
    for (const removed of ['leader-get', 'leader-set', 'add-metric', 'pod-spec-set']) {
      expect(existsSync(join(tools, removed)), removed).toBe(present);
    }
  });
});
