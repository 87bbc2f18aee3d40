import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActiveStatus,
  CharmBase,
  type CharmMeta,
  type Framework,
  loadCharmMeta,
  parseCharmMeta,
  type RelationEvent,
  WaitingStatus,
} from '@charmkit/ops';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCharm } from '../../src/build/index.js';
import {
  type HookRecord,
  ModelSimulator,
  type ModelSimulatorOptions,
  RelationMismatchError,
  UnknownApplicationError,
  UnknownEndpointError,
} from '../../src/simulator/index.js';
import { ModelProvider } from '../fixtures/model-provider/src/model-provider.js';
import { ModelRequirer } from '../fixtures/model-requirer/src/model-requirer.js';

const providerDir = join(import.meta.dirname, '../fixtures/model-provider');
const requirerDir = join(import.meta.dirname, '../fixtures/model-requirer');
const providerMeta = loadCharmMeta(providerDir);
const requirerMeta = loadCharmMeta(requirerDir);

function model(overrides: Partial<ModelSimulatorOptions> = {}): Promise<ModelSimulator> {
  return ModelSimulator.create({
    applications: {
      webapp: { mode: 'in-process', charm: ModelRequirer, meta: requirerMeta, units: 2 },
      db: { mode: 'in-process', charm: ModelProvider, meta: providerMeta, units: 1 },
    },
    relations: [['webapp:database', 'db:database']],
    seed: 3,
    ...overrides,
  });
}

function statuses(sim: ModelSimulator, app: string): Record<string, string> {
  const units = sim.snapshot()[app]?.units ?? {};
  return Object.fromEntries(
    Object.entries(units).map(([name, u]) => [name, `${u.status.status}: ${u.status.message}`]),
  );
}

function okHooks(hooks: readonly HookRecord[], unit: string): string[] {
  return hooks
    .filter((h) => h.unit === unit && h.outcome === 'ok')
    .map((h) => (h.remoteUnit ? `${h.hook}(${h.remoteUnit})` : h.hook));
}

describe('ModelSimulator: a requirer and a provider, both real charms', () => {
  it('settles with the requirer connected to what the provider published', async () => {
    const sim = await model();
    const result = await sim.settle();
    expect(result).toMatchObject({ settled: true, reason: 'settled' });
    // The figure the report quotes: 2 requirer units + 1 provider unit, deploy to settled.
    console.info(`2-app settle (2+1 units): ${result.hooks} hooks`);
    expect(result.hooks).toBe(sim.trace.hooks.length);
    expect(statuses(sim, 'webapp')).toEqual({
      'webapp/0': 'active: connected to 10.3.0.2:5432',
      'webapp/1': 'active: connected to 10.3.0.2:5432',
    });
    expect(statuses(sim, 'db')).toEqual({ 'db/0': 'active: serving 1 client' });

    // One relation, one id, seen from both sides with the same data.
    const [relation] = sim.relations();
    expect(relation).toMatchObject({
      a: { app: 'webapp', role: 'requires' },
      b: { app: 'db', role: 'provides' },
    });
    const id = relation?.id as number;
    expect(sim.app('webapp').relationIds('database')).toEqual([id]);
    expect(sim.app('db').relationIds('database')).toEqual([id]);
    const fromWebapp = sim.snapshot().webapp?.relations.find((r) => r.id === id);
    const fromDb = sim.snapshot().db?.relations.find((r) => r.id === id);
    expect(fromWebapp?.appData.db).toEqual(fromDb?.appData.db);
    expect(fromWebapp?.appData.db?.password).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(fromDb?.unitData ?? {})).toEqual(['db/0', 'webapp/0', 'webapp/1']);
    expect(fromDb?.unitData['webapp/1']?.['ingress-address']).toBe('10.1.0.3');

    // Each side joined every unit of the other, after its own start.
    for (const unit of ['webapp/0', 'webapp/1']) {
      const hooks = okHooks(sim.trace.hooks, unit);
      expect(hooks.indexOf('database-relation-joined(db/0)')).toBeGreaterThan(hooks.indexOf('start'));
    }
    const db = okHooks(sim.trace.hooks, 'db/0');
    expect(db).toContain('database-relation-joined(webapp/0)');
    expect(db).toContain('database-relation-joined(webapp/1)');
    // The requirer heard of the provider's app data with an app-level -changed.
    expect(
      sim.trace.hooks.some(
        (h) => h.unit === 'webapp/0' && h.hook === 'database-relation-changed' && h.remoteUnit === '',
      ),
    ).toBe(true);
    // The merged trace numbers hooks model-wide and names each event's application.
    expect(sim.trace.hooks.map((h) => h.index)).toEqual(sim.trace.hooks.map((_, i) => i));
    expect(sim.trace.format({ timing: false })).toContain('-- db: add-relation database:');
    await sim.close();
  });

  it('joins a new provider unit, departs a removed requirer unit, and breaks both sides', async () => {
    const sim = await model();
    await sim.settle();

    expect(await sim.addUnit('db')).toBe('db/1');
    expect((await sim.settle()).settled).toBe(true);
    for (const unit of ['webapp/0', 'webapp/1']) {
      expect(okHooks(sim.trace.hooks, unit)).toContain('database-relation-joined(db/1)');
    }
    expect(okHooks(sim.trace.hooks, 'db/1')).toContain('database-relation-joined(webapp/0)');
    expect(statuses(sim, 'db')).toEqual({
      'db/0': 'active: serving 1 client',
      'db/1': 'active: serving 1 client',
    });

    expect(sim.removeUnit('webapp/1')).toBe('webapp/1');
    expect((await sim.settle()).settled).toBe(true);
    expect(sim.app('webapp').units()).toEqual(['webapp/0']);
    for (const unit of ['db/0', 'db/1']) {
      expect(okHooks(sim.trace.hooks, unit)).toContain('database-relation-departed(webapp/1)');
    }
    const id = sim.relations()[0]?.id as number;
    expect(Object.keys(sim.snapshot().db?.relations.find((r) => r.id === id)?.unitData ?? {})).toEqual([
      'db/0',
      'db/1',
      'webapp/0',
    ]);

    sim.removeRelation(id);
    expect((await sim.settle()).settled).toBe(true);
    expect(statuses(sim, 'webapp')).toEqual({ 'webapp/0': 'blocked: needs a database relation' });
    expect(statuses(sim, 'db')).toEqual({
      'db/0': 'active: serving 0 clients',
      'db/1': 'active: serving 0 clients',
    });
    for (const unit of ['webapp/0', 'db/0', 'db/1']) {
      expect(okHooks(sim.trace.hooks, unit)).toContain('database-relation-broken');
    }
    expect(sim.relations()[0]?.dying).toBe(true);

    // Relating again gets a new model-wide id and reconnects.
    const again = sim.relate('webapp', 'db');
    expect(again).toBeGreaterThan(id);
    expect((await sim.settle()).settled).toBe(true);
    expect(statuses(sim, 'webapp')['webapp/0']).toMatch(/^active: connected to 10\.3\.0\.\d:5432$/);
    await sim.close();
  });

  it('allocates relation ids model-wide (peers too) and shares one secret store', async () => {
    const sim = await model();
    const peer = sim.app('webapp').relationIds('cluster');
    const regular = sim.relations().map((r) => r.id);
    expect(peer).toEqual([0]);
    expect(regular).toEqual([1]);
    expect(sim.app('webapp').secrets).toBe(sim.app('db').secrets);
    expect(sim.app('webapp').snapshot()).toBeDefined();
    await sim.close();
  });

  it('numbers storage instances model-wide, per storage name, as Juju does', async () => {
    /** A charm that only has storage: enough to see the ids Juju would give. */
    class Keeper extends CharmBase {
      static override readonly handleKind = 'Keeper';
    }
    const keeperMeta = (name: string): CharmMeta =>
      parseCharmMeta({
        metadata: { name, storage: { data: { type: 'filesystem' }, logs: { type: 'filesystem' } } },
      });
    const sim = await ModelSimulator.create({
      applications: {
        first: { mode: 'in-process', charm: Keeper, meta: keeperMeta('first'), units: 2 },
        second: { mode: 'in-process', charm: Keeper, meta: keeperMeta('second'), units: 1 },
      },
      seed: 3,
    });
    await sim.settle();
    const ids = (app: string): string[] =>
      Object.values(sim.app(app).snapshot().units).flatMap((u) => Object.keys(u.storage));
    const all = [...ids('first'), ...ids('second')].sort();
    expect(all).toEqual(['data/0', 'data/1', 'data/2', 'logs/0', 'logs/1', 'logs/2']);
    expect(ids('second').sort()).toEqual(['data/2', 'logs/2']);
    await sim.close();
  });

  it('is reproducible: the same seed runs the same hooks in the same order', async () => {
    const sequence = async (seed: number): Promise<string[]> => {
      const sim = await model({ seed });
      await sim.settle();
      const out = sim.trace.hooks.map((h) => `${h.unit} ${h.hook} ${h.remoteUnit ?? ''}`);
      await sim.close();
      return out;
    };
    expect(await sequence(9)).toEqual(await sequence(9));
  });

  it('reports a hook that keeps failing with its application', async () => {
    const sim = await model();
    for (let i = 0; i < 5; i++) sim.app('db').failNextHook({ hook: 'install', atCall: 0 });
    const result = await sim.settle();
    expect(result).toMatchObject({
      settled: false,
      reason: 'retry-limit',
      stuck: { app: 'db', hook: 'install' },
    });
    await sim.close();
  });
});

/** Its leader shares a password as a secret granted on the relation, and publishes the secret id. */
class SecretProvider extends CharmBase {
  static override readonly handleKind = 'SecretProvider';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.relation('database').joined, this.onJoined);
  }
  onJoined(event: RelationEvent): void {
    if (!this.unit.isLeader() || event.relation.appData.get('secret-id')) return;
    const secret = this.app.addSecret({ password: 'granted-on-the-relation' });
    secret.grant(event.relation);
    event.relation.appData.set('secret-id', secret.id ?? '');
  }
}

/** Reads the provider's secret once the id arrives. */
class SecretRequirer extends CharmBase {
  static override readonly handleKind = 'SecretRequirer';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.relation('database').changed, this.onChanged);
  }
  onChanged(event: RelationEvent): void {
    const id = event.relation.app ? event.relation.data(event.relation.app).get('secret-id') : undefined;
    if (!id) {
      this.unit.status = new WaitingStatus('no secret yet');
      return;
    }
    this.unit.status = new ActiveStatus(`password ${this.model.getSecret({ id }).getContent().password}`);
  }
}

describe('ModelSimulator: secrets across applications', () => {
  it("lets the requirer read the provider's secret granted on the relation", async () => {
    const sim = await ModelSimulator.create({
      applications: {
        webapp: { mode: 'in-process', charm: SecretRequirer, meta: requirerMeta, units: 2 },
        db: { mode: 'in-process', charm: SecretProvider, meta: providerMeta },
      },
      relations: [['webapp:database', 'db:database']],
    });
    const result = await sim.settle();
    expect(result.settled).toBe(true);
    expect(statuses(sim, 'webapp')).toEqual({
      'webapp/0': 'active: password granted-on-the-relation',
      'webapp/1': 'active: password granted-on-the-relation',
    });
    await sim.close();
  });
});

describe('ModelSimulator: relations Juju would refuse', () => {
  const otherMeta: CharmMeta = {
    ...providerMeta,
    name: 'cache',
    relations: new Map([
      [
        'database',
        {
          ...(providerMeta.relations.get('database') as NonNullable<
            ReturnType<typeof providerMeta.relations.get>
          >),
          interface: 'redis',
        },
      ],
    ]),
  };
  const apps = {
    webapp: { mode: 'in-process' as const, charm: ModelRequirer, meta: requirerMeta },
    db: { mode: 'in-process' as const, charm: ModelProvider, meta: providerMeta },
    cache: { mode: 'in-process' as const, charm: ModelProvider, meta: otherMeta },
    other: { mode: 'in-process' as const, charm: ModelRequirer, meta: requirerMeta },
  };
  const create = (relation: readonly [string, string]) =>
    ModelSimulator.create({ applications: apps, relations: [relation] });

  it('names both interfaces on a mismatch', async () => {
    const error = await create(['webapp:database', 'cache:database']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationMismatchError);
    expect((error as RelationMismatchError).code).toBe('CHARMKIT_SIM_RELATION_MISMATCH');
    expect(String(error)).toContain(
      'cannot relate webapp:database (interface sim-database) to cache:database (interface redis): expected an endpoint of interface sim-database on cache',
    );
  });

  it('refuses two requirers, unknown applications and endpoints, and peer endpoints', async () => {
    await expect(create(['webapp:database', 'other:database'])).rejects.toThrow(
      /both require sim-database; expected one side to provide it/,
    );
    const unknownApp = await create(['webapp:database', 'postgres:database']).catch((e: unknown) => e);
    expect(unknownApp).toBeInstanceOf(UnknownApplicationError);
    expect(String(unknownApp)).toContain(
      'no application "postgres" in the model (applications: webapp, db, cache, other)',
    );
    const unknownEndpoint = await create(['webapp:db', 'db:database']).catch((e: unknown) => e);
    expect(unknownEndpoint).toBeInstanceOf(UnknownEndpointError);
    expect(String(unknownEndpoint)).toContain(
      'webapp (charm model-requirer) has no endpoint "db"; expected one of: database (requires sim-database)',
    );
    await expect(create(['webapp:cluster', 'db:database'])).rejects.toThrow(
      /webapp:cluster is a peer endpoint/,
    );
    await expect(create(['webapp', 'cache'])).rejects.toThrow(
      /cannot relate webapp and cache: no endpoints fit/,
    );
  });

  it('infers the endpoints when only one pair fits, and refuses a duplicate', async () => {
    const sim = await ModelSimulator.create({ applications: apps, relations: [['webapp', 'db']] });
    expect(sim.relations()[0]).toMatchObject({
      a: { app: 'webapp', endpoint: 'database' },
      b: { app: 'db', endpoint: 'database' },
    });
    expect(() => sim.relate('db:database', 'webapp:database')).toThrow(RelationMismatchError);
    expect(() => sim.app('nope')).toThrow(UnknownApplicationError);
    await sim.close();
  });
});

describe('ModelSimulator in process mode', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'charmkit-model-sim-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs two built charms as real processes and relates them', async () => {
    const [provider, requirer] = await Promise.all([
      buildCharm({ charmDir: providerDir, outDir: join(outDir, 'provider') }),
      buildCharm({ charmDir: requirerDir, outDir: join(outDir, 'requirer') }),
    ]);
    const sim = await ModelSimulator.create({
      applications: {
        webapp: { mode: 'process', charmDir: requirer.outDir, units: 1 },
        db: { mode: 'process', charmDir: provider.outDir, units: 1, config: { port: 6543 } },
      },
      relations: [['webapp:database', 'db:database']],
      juju: '3.6',
    });
    try {
      const result = await sim.settle();
      expect(result.settled).toBe(true);
      expect(statuses(sim, 'webapp')).toEqual({ 'webapp/0': 'active: connected to 10.3.0.2:6543' });
      expect(statuses(sim, 'db')).toEqual({ 'db/0': 'active: serving 1 client' });
      expect(sim.app('webapp').mode).toBe('process');
      expect(sim.app('db').jujuVersion).toBe('3.6.8');
    } finally {
      await sim.close();
    }
  }, 240_000);
});
