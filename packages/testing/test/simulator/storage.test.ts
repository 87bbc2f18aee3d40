import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharmBase, type Framework, parseCharmMeta, type StorageAttachedEvent } from '@charmkit/ops';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHook } from '../../src/simulator/hook-queue.js';
import { HookSession } from '../../src/simulator/hook-session.js';
import { Simulator } from '../../src/simulator/index.js';
import { storageRange } from '../../src/simulator/sim-storage.js';
import { runSimulatedTool, type ToolResponse } from '../../src/simulator/tool-commands.js';

const meta = parseCharmMeta({
  metadata: {
    name: 'keeper',
    peers: { cluster: { interface: 'keeper-peers' } },
    storage: {
      data: { type: 'filesystem', location: '/srv/data' },
      cache: { type: 'filesystem', multiple: { range: '0-2' } },
    },
  },
});

/** Writes a marker into every storage it is given, and asks for a cache once it is installed. */
class KeeperCharm extends CharmBase {
  static override readonly handleKind = 'KeeperCharm';

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.storage('data').attached, this.onAttached);
    framework.observe(this.on.storage('cache').attached, this.onAttached);
    framework.observe(this.on.install, this.onInstall);
    framework.observe(this.on.start, this.onStart);
  }

  onAttached(event: StorageAttachedEvent): void {
    const location = event.storage.location;
    if (location === null) throw new Error(`no location for ${event.storage.name}`);
    writeFileSync(join(location, 'owner'), this.unit.name);
  }

  onInstall(): void {
    // Juju attaches deploy-time storage before install: it must be there already.
    const data = this.model.storages('data');
    if (data.length !== 1) throw new Error(`install saw ${data.length} data instances`);
  }

  onStart(): void {
    if (this.model.storages('cache').length === 0) this.model.requestStorage('cache', 1);
  }
}

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('storage in the simulator', () => {
  it('reads multiple.range as Juju does', () => {
    const range = (multiple: string | null) =>
      storageRange({
        name: 's',
        type: 'filesystem',
        location: null,
        description: '',
        shared: false,
        readOnly: false,
        multiple,
      });
    expect(range(null)).toEqual({ min: 1, max: 1 });
    expect(range('3')).toEqual({ min: 3, max: 3 });
    expect(range('0-2')).toEqual({ min: 0, max: 2 });
    expect(range('1-')).toEqual({ min: 1, max: null });
    expect(range('2+')).toEqual({ min: 2, max: null });
  });

  it('attaches deploy storage before install, applies storage-add after the hook, detaches before stop', async () => {
    sim = await Simulator.create({ mode: 'in-process', charm: KeeperCharm, meta, units: 2, juju: '4' });
    const result = await sim.settle();
    expect(result.settled, sim.trace.format()).toBe(true);
    for (const unit of ['keeper/0', 'keeper/1']) {
      const hooks = sim.trace.hooks.filter((h) => h.unit === unit).map((h) => h.hook);
      expect(hooks.indexOf('data-storage-attached')).toBeLessThan(hooks.indexOf('install'));
      // The cache asked for in start is attached after start, by a hook of its own.
      expect(hooks.indexOf('cache-storage-attached')).toBeGreaterThan(hooks.indexOf('start'));
    }
    const world = sim.snapshot();
    // Ids are numbered per storage name across the units, in the order Juju attached them.
    const storage0 = world.units['keeper/0']?.storage ?? {};
    const ids = ['keeper/0', 'keeper/1'].flatMap((u) => Object.keys(world.units[u]?.storage ?? {}));
    expect(ids.sort()).toEqual(['cache/0', 'cache/1', 'data/0', 'data/1']);
    expect(Object.keys(storage0).filter((id) => id.startsWith('data/'))).toHaveLength(1);
    expect(Object.keys(storage0).filter((id) => id.startsWith('cache/'))).toHaveLength(1);
    // Filesystem storage is a real directory: the charm wrote its marker there.
    const dataId = Object.keys(storage0).find((id) => id.startsWith('data/')) as string;
    const location = storage0[dataId]?.location as string;
    expect(readFileSync(join(location, 'owner'), 'utf8')).toBe('keeper/0');
    const attached = sim.trace.hooks.find((h) => h.unit === 'keeper/0' && h.hook === 'data-storage-attached');
    expect(attached?.outcome).toBe('ok');

    sim.removeUnit('keeper/1');
    await sim.settle();
    const teardown = sim.trace.hooks.filter((h) => h.unit === 'keeper/1').map((h) => h.hook);
    const stop = teardown.lastIndexOf('stop');
    expect(teardown.lastIndexOf('data-storage-detaching')).toBeGreaterThan(
      teardown.lastIndexOf('cluster-relation-broken'),
    );
    expect(teardown.lastIndexOf('data-storage-detaching')).toBeLessThan(stop);
    expect(teardown.lastIndexOf('cache-storage-detaching')).toBeLessThan(stop);
    expect(existsSync(location)).toBe(true);
  });

  it('adds and detaches storage from outside, within the range', async () => {
    sim = await Simulator.create({ mode: 'in-process', charm: KeeperCharm, meta, units: 1, juju: '4' });
    await sim.settle();
    expect(sim.addStorage('keeper/0', 'cache', 1)).toEqual(['cache/1']);
    expect(() => sim?.addStorage('keeper/0', 'cache', 1)).toThrow(/maximum of 2/);
    expect(() => sim?.addStorage('keeper/0', 'logs', 1)).toThrow(/storage "logs" not found/);
    await sim.settle();
    expect(Object.keys(sim.snapshot().units['keeper/0']?.storage ?? {}).sort()).toEqual([
      'cache/0',
      'cache/1',
      'data/0',
    ]);
    sim.detachStorage('cache/0');
    await sim.settle();
    expect(sim.trace.hooks.some((h) => h.hook === 'cache-storage-detaching' && h.outcome === 'ok')).toBe(
      true,
    );
    expect(Object.keys(sim.snapshot().units['keeper/0']?.storage ?? {}).sort()).toEqual([
      'cache/1',
      'data/0',
    ]);
    expect(() => sim?.detachStorage('cache/0')).toThrow(/no unit has it attached/);
  });

  it('releases the storage of a unit removed before it ran a hook, without hooks', async () => {
    sim = await Simulator.create({ mode: 'in-process', charm: KeeperCharm, meta, units: 1, juju: '4' });
    await sim.settle();
    const late = await sim.addUnit();
    expect(sim.queue(late)[0]).toBe('data-storage-attached');
    sim.removeUnit(late);
    await sim.settle();
    expect(sim.trace.hooks.filter((h) => h.unit === late)).toEqual([]);
    expect(() => sim?.detachStorage('data/1')).toThrow(/no unit has it attached/);
    expect(sim.snapshot().units[late]?.storage ?? {}).toEqual({});
  });
});

describe('storage hook tools (process mode)', () => {
  it('storage-list, storage-get and storage-add answer as the real tools', async () => {
    sim = await Simulator.create({ mode: 'in-process', charm: KeeperCharm, meta, units: 1, juju: '4' });
    await sim.settle();
    const world = sim.world;
    const session = new HookSession(world, world.unit('keeper/0'), makeHook('config-changed'), 'ctx', null);
    const run = (tool: string, args: string[]): ToolResponse =>
      runSimulatedTool(session, { tool, args, stdin: '', cwd: tmpdir() });
    expect(run('storage-list', ['--format=json'])).toMatchObject({
      exitCode: 0,
      stdout: '["cache/0","data/0"]\n',
    });
    expect(run('storage-list', ['--format=json', 'cache'])).toMatchObject({ stdout: '["cache/0"]\n' });
    const info = JSON.parse(run('storage-get', ['--format=json', '-s', 'data/0']).stdout);
    expect(info).toMatchObject({ kind: 'filesystem' });
    expect(existsSync(info.location)).toBe(true);
    expect(run('storage-get', ['-s', 'data/0', 'kind']).stdout).toBe('filesystem\n');
    expect(run('storage-get', ['-s', 'data/0', 'size'])).toMatchObject({
      exitCode: 1,
      stderr: 'ERROR invalid storage attribute "size"\n',
    });
    expect(run('storage-get', [])).toMatchObject({
      exitCode: 2,
      stderr: 'ERROR no storage instance specified\n',
    });
    expect(run('storage-add', ['cache=2'])).toMatchObject({ exitCode: 1 }); // 1 + 2 > the range's 2
    expect(run('storage-add', ['nope=1'])).toMatchObject({
      exitCode: 1,
      stderr: 'ERROR storage "nope" not found\n',
    });
    expect(run('storage-add', ['--', 'cache=1'])).toMatchObject({ exitCode: 0 });
    // Applied only when the hook succeeds: nothing is attached before the commit.
    expect(run('storage-list', ['--format=json', 'cache'])).toMatchObject({ stdout: '["cache/0"]\n' });
    session.commit();
    expect(
      world
        .unit('keeper/0')
        .queue.list()
        .map((h) => `${h.name} ${h.storageId}`),
    ).toEqual(['cache-storage-attached cache/1']);
  });
});
