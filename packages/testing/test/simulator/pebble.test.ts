import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type Framework,
  type PebbleCheckFailedEvent,
  type PebbleCheckRecoveredEvent,
  type PebbleCustomNoticeEvent,
  parseCharmMeta,
} from '@charmkit/ops';
import type { Layer } from '@charmkit/ops/pebble';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '../../src/build/index.js';
import { type FaultOptions, FaultPlan } from '../../src/simulator/faults.js';
import { ModelSimulator, Simulator, UnknownContainerError } from '../../src/simulator/index.js';

const meta = parseCharmMeta({
  metadata: {
    name: 'sidecar',
    containers: { web: { resource: 'web-image' } },
    resources: { 'web-image': { type: 'oci-image' } },
  },
});

const LAYER: Layer = {
  summary: 'web',
  services: { web: { override: 'replace', command: 'web-server --port 8080', startup: 'enabled' } },
  checks: { alive: { override: 'replace', level: 'alive', tcp: { port: 8080 } } },
};

/** A sidecar charm: plans its server on pebble-ready and reports workload events in its status. */
class SidecarCharm extends CharmBase {
  static override readonly handleKind = 'SidecarCharm';
  readonly web = this.unit.container('web');

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.container('web').pebbleReady, this.onPebbleReady);
    framework.observe(this.on.container('web').pebbleCheckFailed, this.onCheckFailed);
    framework.observe(this.on.container('web').pebbleCheckRecovered, this.onCheckRecovered);
    framework.observe(this.on.container('web').pebbleCustomNotice, this.onNotice);
  }

  async onPebbleReady(): Promise<void> {
    // A count in the container's filesystem, which a container restart keeps.
    const count = (await this.web.exists('/ready-count')) ? Number(await this.web.pull('/ready-count')) : 0;
    await this.web.push('/ready-count', String(count + 1));
    await this.web.addLayer('web', LAYER, { combine: true });
    await this.web.replan();
    this.unit.status = new ActiveStatus(`serving (ready ${count + 1})`);
  }

  async onCheckFailed(event: PebbleCheckFailedEvent): Promise<void> {
    const info = await event.info();
    this.unit.status = new BlockedStatus(
      `check ${event.checkName} ${info.status} (${info.failures} failures)`,
    );
  }

  async onCheckRecovered(event: PebbleCheckRecoveredEvent): Promise<void> {
    const info = await event.info();
    this.unit.status = new ActiveStatus(`check ${event.checkName} ${info.status}`);
  }

  async onNotice(event: PebbleCustomNoticeEvent): Promise<void> {
    const notice = await event.notice.fetch();
    this.unit.status = new ActiveStatus(
      `notice ${event.notice.type} ${event.notice.key} ${JSON.stringify(notice.lastData)}`,
    );
  }
}

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

function create(units = 2): Promise<Simulator> {
  return Simulator.create({ mode: 'in-process', charm: SidecarCharm, meta, units, seed: 3 });
}

function hooksOf(s: Simulator, unit: string): string[] {
  return s.trace.hooks.filter((h) => h.unit === unit).map((h) => h.hook);
}

describe('simulated containers (in process)', () => {
  it('each unit gets web-pebble-ready after start and its service runs from the plan', async () => {
    sim = await create();
    expect(sim.queue('sidecar/1').at(-1)).toBe('web-pebble-ready');
    const result = await sim.settle();
    expect(result.settled).toBe(true);
    for (const unit of ['sidecar/0', 'sidecar/1']) {
      const hooks = hooksOf(sim, unit);
      expect(hooks).toContain('web-pebble-ready');
      expect(hooks.indexOf('web-pebble-ready')).toBeGreaterThan(hooks.indexOf('start'));
      const snapshot = sim.snapshot().units[unit];
      expect(snapshot?.status).toEqual({ status: 'active', message: 'serving (ready 1)' });
      expect(snapshot?.containers).toEqual({
        web: {
          services: { web: 'active' },
          plan: {
            services: {
              web: { override: 'replace', command: 'web-server --port 8080', startup: 'enabled' },
            },
          },
          checks: { alive: 'up' },
        },
      });
    }
    // Each unit has a Pebble of its own.
    expect(sim.container('sidecar/0', 'web')).not.toBe(sim.container('sidecar/1', 'web'));
  });

  it('restartContainer: a fresh Pebble (files kept), pebble-ready again, and the charm re-plans', async () => {
    sim = await create();
    await sim.settle();
    sim.restartContainer('sidecar/0', 'web');
    // Before the hook runs the new Pebble has no plan and runs nothing.
    expect(sim.snapshot().units['sidecar/0']?.containers.web).toEqual({
      services: {},
      plan: { services: {} },
      checks: {},
    });
    expect(sim.queue('sidecar/0')).toEqual(['web-pebble-ready']);
    expect(sim.queue('sidecar/1')).toEqual([]);
    await sim.settle();
    expect(hooksOf(sim, 'sidecar/0').filter((h) => h === 'web-pebble-ready')).toHaveLength(2);
    expect(hooksOf(sim, 'sidecar/1').filter((h) => h === 'web-pebble-ready')).toHaveLength(1);
    const unit = sim.snapshot().units['sidecar/0'];
    expect(unit?.status.message).toBe('serving (ready 2)');
    expect(unit?.containers.web?.services).toEqual({ web: 'active' });
    expect(sim.trace.entries).toContainEqual(
      expect.objectContaining({ type: 'event', description: 'restart-container sidecar/0 web' }),
    );
  });

  it('setCheckStatus down and up: check-failed and check-recovered with the check name', async () => {
    sim = await create();
    await sim.settle();
    sim.setCheckStatus('sidecar/1', 'web', 'alive', 'down');
    expect(sim.queue('sidecar/1')).toEqual(['web-pebble-check-failed']);
    expect(sim.snapshot().units['sidecar/1']?.containers.web?.checks).toEqual({ alive: 'down' });
    await sim.settle({ updateStatusRounds: 0 });
    expect(sim.snapshot().units['sidecar/1']?.status).toEqual({
      status: 'blocked',
      message: 'check alive down (3 failures)',
    });
    // Already down: no second event.
    sim.setCheckStatus('sidecar/1', 'web', 'alive', 'down');
    expect(sim.queue('sidecar/1')).toEqual([]);
    sim.setCheckStatus('sidecar/1', 'web', 'alive', 'up');
    await sim.settle({ updateStatusRounds: 0 });
    expect(sim.snapshot().units['sidecar/1']?.status).toEqual({
      status: 'active',
      message: 'check alive up',
    });
    expect(hooksOf(sim, 'sidecar/1').slice(-2)).toEqual([
      'web-pebble-check-failed',
      'web-pebble-check-recovered',
    ]);
    expect(hooksOf(sim, 'sidecar/0')).not.toContain('web-pebble-check-failed');
    expect(() => sim?.setCheckStatus('sidecar/1', 'web', 'ready', 'down')).toThrow(UnknownContainerError);
  });

  it('addNotice: pebble-custom-notice with the notice id, type and key', async () => {
    sim = await create(1);
    await sim.settle();
    const id = await sim.addNotice('sidecar/0', 'web', 'example.com/backup-done', { size: '42' });
    expect(sim.queue('sidecar/0')).toEqual(['web-pebble-custom-notice']);
    await sim.settle({ updateStatusRounds: 0 });
    expect(sim.snapshot().units['sidecar/0']?.status.message).toBe(
      'notice custom example.com/backup-done {"size":"42"}',
    );
    expect((await sim.container('sidecar/0', 'web').getNotice(id)).key).toBe('example.com/backup-done');
    expect(sim.trace.entries).toContainEqual(
      expect.objectContaining({ type: 'event', description: 'notice sidecar/0 web example.com/backup-done' }),
    );
  });

  it('container restarts as a fault: scheduled on a named unit, random on their own stream', async () => {
    sim = await Simulator.create({
      mode: 'in-process',
      charm: SidecarCharm,
      meta,
      units: 2,
      seed: 3,
      faults: { schedule: [{ at: 9, kind: 'container-restart', unit: 'sidecar/1', container: 'web' }] },
    });
    await sim.settle();
    expect(hooksOf(sim, 'sidecar/1').filter((h) => h === 'web-pebble-ready')).toHaveLength(2);
    expect(sim.snapshot().units['sidecar/1']?.status.message).toBe('serving (ready 2)');
    expect(hooksOf(sim, 'sidecar/0').filter((h) => h === 'web-pebble-ready')).toHaveLength(1);

    // Random restarts: capped, reproducible for a seed, and the charm re-plans after each.
    const run = async (faults: object) => {
      await sim?.close();
      sim = await Simulator.create({
        mode: 'in-process',
        charm: SidecarCharm,
        meta,
        units: 3,
        seed: 5,
        faults,
      });
      const result = await sim.settle();
      expect(result.settled).toBe(true);
      return sim;
    };
    const restarted = await run({ seed: 9, containerRestart: 0.3, maxContainerRestarts: 2 });
    const restarts = restarted.trace.entries.filter(
      (e) => e.type === 'event' && e.description.startsWith('restart-container '),
    );
    expect(restarts).toHaveLength(2);
    for (const unit of ['sidecar/0', 'sidecar/1', 'sidecar/2']) {
      const ready = hooksOf(restarted, unit).filter((h) => h === 'web-pebble-ready').length;
      expect(restarted.snapshot().units[unit]?.status.message).toBe(`serving (ready ${ready})`);
      expect(restarted.snapshot().units[unit]?.containers.web?.services).toEqual({ web: 'active' });
    }
    const again = await run({ seed: 9, containerRestart: 0.3, maxContainerRestarts: 2 });
    expect(again.trace.signature()).toBe(restarted.trace.signature());
  });

  it('rolls container restarts on a stream of their own: turning them on moves no other fault', () => {
    const kinds = (options: FaultOptions) => {
      const plan = new FaultPlan(options, 11, false);
      return Array.from({ length: 200 }, (_, hook) =>
        plan.topologyFaults(hook).map((f) => `${hook}:${f.kind}`),
      ).flat();
    };
    const base = { leaderChange: 0.05, configChange: 0.05, maxTopologyChanges: 100 };
    const without = kinds(base);
    const withRestarts = kinds({ ...base, containerRestart: 0.1, maxContainerRestarts: 100 });
    expect(without.length).toBeGreaterThan(5);
    expect(withRestarts.filter((k) => !k.endsWith('container-restart'))).toEqual(without);
    expect(withRestarts.filter((k) => k.endsWith('container-restart')).length).toBeGreaterThan(5);
  });

  it("a container's Pebble answers only from its pebble-ready on, and again after a restart", async () => {
    const seen: string[] = [];
    /** Records, in each hook, whether Pebble answered; talks to it without asking in start. */
    class AskingCharm extends CharmBase {
      static override readonly handleKind = 'AskingCharm';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.configChanged, this.onConfigChanged);
        framework.observe(this.on.container('web').pebbleReady, this.onPebbleReady);
        framework.observe(this.on.updateStatus, this.onUpdateStatus);
        framework.observe(this.on.start, this.onStart);
      }
      async record(hook: string): Promise<void> {
        seen.push(`${hook}:${await this.unit.container('web').canConnect()}`);
      }
      onConfigChanged(): Promise<void> {
        return this.record('config-changed');
      }
      onPebbleReady(): Promise<void> {
        return this.record('web-pebble-ready');
      }
      onUpdateStatus(): Promise<void> {
        return this.record('update-status');
      }
      async onStart(): Promise<void> {
        await this.unit.container('web').getPlan(); // no canConnect(): fails while Pebble is down
      }
    }
    sim = await Simulator.create({ mode: 'in-process', charm: AskingCharm, meta, units: 1, seed: 3 });
    const first = [await sim.step(), await sim.step(), await sim.step()];
    expect(first.map((h) => h?.hook)).toEqual(['install', 'leader-elected', 'config-changed']);
    expect(seen).toEqual(['config-changed:false']);
    const start = await sim.step();
    expect(start?.hook).toBe('start');
    expect(start?.outcome).toBe('failed');
    expect(start?.error).toMatch(/cannot connect to Pebble of container "web"/);
    // Juju retries the failed start after a back-off, by which time Pebble is up.
    const retried = await sim.step();
    expect(retried).toMatchObject({ hook: 'start', attempt: 2, outcome: 'ok' });
    await sim.settle();
    expect(seen).toEqual(['config-changed:false', 'web-pebble-ready:true', 'update-status:true']);

    sim.restartContainer('sidecar/0', 'web');
    expect(sim.container('sidecar/0', 'web').canConnect).toBe(false);
    seen.length = 0;
    await sim.settle();
    expect(seen).toEqual(['web-pebble-ready:true', 'update-status:true']);
  });

  it('refuses a container the charm does not declare', async () => {
    sim = await create(1);
    expect(() => sim?.restartContainer('sidecar/0', 'nginx')).toThrow(UnknownContainerError);
    expect(() => sim?.container('sidecar/0', 'nginx')).toThrow(/containers: web/);
  });
});

// Process mode: the example k8s charms, built, talk to the simulated containers over unix sockets
// through the production PebbleClient.
const examples = join(import.meta.dirname, '..', '..', '..', '..', 'examples');
const builtDir = mkdtempSync(join(tmpdir(), 'charmkit-sim-k8s-'));

describe('simulated containers (process mode)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await buildCharm({ charmDir: join(examples, 'k8s-db'), outDir: join(builtDir, 'k8s-db') });
    await buildCharm({ charmDir: join(examples, 'k8s-webapp'), outDir: join(builtDir, 'k8s-webapp') });
  }, 180_000); // two builds on a loaded machine
  afterAll(() => rmSync(builtDir, { recursive: true, force: true }));

  it('pebble-ready over the socket: the charm plans its server; a restart re-plans it', async () => {
    sim = await Simulator.create({ mode: 'process', charmDir: join(builtDir, 'k8s-db'), units: 2, seed: 2 });
    const result = await sim.settle({ updateStatusRounds: 0 });
    expect(result.settled).toBe(true);
    // Before pebble-ready the socket drops every connection: the charm's canConnect() said no,
    // and its collect-status waited.
    const statusesBefore = (unit: string) => {
      const hooks = sim?.trace.hooks.filter((h) => h.unit === unit) ?? [];
      const ready = hooks.findIndex((h) => h.hook === 'db-pebble-ready');
      return hooks
        .slice(0, ready)
        .flatMap((h) => h.toolCalls.filter((c) => c.tool === 'status-set').map((c) => c.args.join(' ')));
    };
    expect(statusesBefore('k8s-db/1')).toContain('-- waiting waiting for Pebble in the db container');
    for (const unit of ['k8s-db/0', 'k8s-db/1']) {
      expect(hooksOf(sim, unit)).toContain('db-pebble-ready');
      const snapshot = sim.snapshot().units[unit];
      expect(snapshot?.status).toEqual({ status: 'active', message: 'serving 0 databases' });
      expect(snapshot?.containers.db?.services).toEqual({ db: 'active' });
      expect(snapshot?.containers.db?.plan.services.db?.command).toBe(
        'k8s-db-server --port 5432 --data /var/lib/k8s-db',
      );
    }
    sim.restartContainer('k8s-db/1', 'db');
    expect(sim.snapshot().units['k8s-db/1']?.containers.db?.services).toEqual({});
    await sim.settle({ updateStatusRounds: 0 });
    expect(hooksOf(sim, 'k8s-db/1').filter((h) => h === 'db-pebble-ready')).toHaveLength(2);
    expect(sim.snapshot().units['k8s-db/1']?.containers.db?.services).toEqual({ db: 'active' });
    expect(sim.trace.hooks.every((h) => h.outcome === 'ok')).toBe(true);
  });

  it('exec over the socket: the two built charms negotiate, k8s-db creating the database with an exec', async () => {
    const model = await ModelSimulator.create({
      applications: {
        'k8s-webapp': { mode: 'process', charmDir: join(builtDir, 'k8s-webapp') },
        'k8s-db': {
          mode: 'process',
          charmDir: join(builtDir, 'k8s-db'),
          // No image runs here: the admin tool's stand-in answers, as in process.
          containers: { execHandlers: { db: [{ command: ['k8s-db-admin', 'create-database'] }] } },
        },
      },
      relations: [['k8s-webapp:database', 'k8s-db:database']],
    });
    try {
      const result = await model.settle({ updateStatusRounds: 0 });
      expect(result.settled, result.report).toBe(true);
      const world = model.snapshot();
      expect(world['k8s-db']?.units['k8s-db/0']?.status).toEqual({
        status: 'active',
        message: 'serving 1 database',
      });
      expect(world['k8s-webapp']?.units['k8s-webapp/0']?.status).toEqual({
        status: 'active',
        message: 'serving on port 8080',
      });
      const execs = model.app('k8s-db').container('k8s-db/0', 'db').execs;
      expect(execs.map((e) => e.command.slice(0, 2))).toEqual([['k8s-db-admin', 'create-database']]);
    } finally {
      await model.close();
    }
  });
});
