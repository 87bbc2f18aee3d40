import {
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type Framework,
  parseCharmMeta,
  type RelationEvent,
  type SecretChangedEvent,
  type SecretRemoveEvent,
} from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import { type SimSecretEvent, SimSecretStore, Simulator } from '../../src/simulator/index.js';

// A charm whose first unit shares a unit-owned secret with its peers: it creates the secret when
// the first peer joins, grants it on the peer relation (to the whole application, or to the unit
// `grant-to` names) and publishes its id in its databag. The other units read it and show the
// token; on secret-changed they refresh. The owner rotates the token from config and removes
// revisions nobody tracks.
const meta = parseCharmMeta({
  metadata: {
    name: 'keeper',
    peers: { cluster: { interface: 'keeper-peers' } },
    requires: { db: { interface: 'store' } },
  },
  config: {
    options: {
      token: { type: 'string', default: 't-1' },
      'grant-to': { type: 'string', default: '' },
      drop: { type: 'boolean', default: false },
    },
  },
});

const OWNER = 'keeper/0';

class KeeperCharm extends CharmBase {
  static override readonly handleKind = 'KeeperCharm';
  private readonly stored = this.storedState('stored', { secretId: '' });

  constructor(framework: Framework) {
    super(framework);
    const cluster = this.on.relation('cluster');
    framework.observe(cluster.joined, this.onJoined);
    framework.observe(cluster.changed, this.onChanged);
    framework.observe(this.on.configChanged, this.onConfig);
    framework.observe(this.on.secretChanged, this.onSecretChanged);
    framework.observe(this.on.secretRemove, this.onSecretRemove);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
  }

  /** Consumers re-read the secret by their own label (their tracked revision). */
  onUpdateStatus(): void {
    if (this.unit.name === OWNER) return;
    try {
      const content = this.model.getSecret({ label: 'from-owner' }).getContent();
      this.unit.status = new ActiveStatus(`token ${content.token}`);
    } catch (error) {
      this.unit.status = new BlockedStatus((error as Error).constructor.name);
    }
  }

  onJoined(event: RelationEvent): void {
    if (this.unit.name !== OWNER || this.stored.secretId !== '') return;
    const secret = this.unit.addSecret({ token: String(this.config.token) }, { label: 'shared' });
    const grantTo = String(this.config['grant-to']);
    const unit = [...event.relation.units].find((u) => u.name === grantTo);
    secret.grant(event.relation, unit ? { unit } : {});
    event.relation.unitData.set('secret-id', secret.id ?? '');
    this.stored.secretId = secret.id ?? '';
  }

  onChanged(event: RelationEvent): void {
    if (this.unit.name === OWNER || !event.unit) return;
    const id = event.relation.data(event.unit).get('secret-id');
    if (!id) return;
    try {
      const content = this.model.getSecret({ id, label: 'from-owner' }).getContent();
      this.unit.status = new ActiveStatus(`token ${content.token}`);
    } catch (error) {
      this.unit.status = new BlockedStatus((error as Error).constructor.name);
    }
  }

  onConfig(): void {
    if (this.unit.name !== OWNER || this.stored.secretId === '') return;
    const secret = this.model.getSecret({ id: this.stored.secretId });
    if (this.config.drop === true) secret.removeAllRevisions();
    else secret.setContent({ token: String(this.config.token) });
  }

  onSecretChanged(event: SecretChangedEvent): void {
    try {
      const content = event.secret.getContent({ refresh: true });
      this.unit.status = new ActiveStatus(`token ${content.token}`);
    } catch (error) {
      this.unit.status = new BlockedStatus((error as Error).constructor.name);
    }
  }

  onSecretRemove(event: SecretRemoveEvent): void {
    event.secret.removeRevision(event.revision);
  }
}

async function create(
  options: { units?: number; config?: Record<string, string | boolean>; secrets?: SimSecretStore } = {},
) {
  return Simulator.create({
    mode: 'in-process',
    charm: KeeperCharm,
    meta,
    units: options.units ?? 2,
    seed: 3,
    ...(options.config ? { config: options.config } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
}

function statusOf(sim: Simulator, unit: string): string {
  const status = sim.snapshot().units[unit]?.status;
  return `${status?.status} ${status?.message}`;
}

describe('secrets in the simulator', () => {
  it('a unit secret granted on the peer relation: consumers read it, get secret-changed, refresh; the owner removes the old revision', async () => {
    const sim = await create();
    expect((await sim.settle()).settled).toBe(true);
    expect(statusOf(sim, 'keeper/1')).toBe('active token t-1');
    const [secret] = sim.secrets.list();
    expect(secret).toMatchObject({ owner: { kind: 'unit', unit: OWNER }, latest: 1, label: 'shared' });
    expect(secret?.grants).toEqual([{ relationId: 0, app: 'keeper', unit: null }]);
    const uri = secret?.uri as string;
    expect(sim.secrets.consumer(uri, 'keeper/1')).toEqual({ tracked: 1, label: 'from-owner' });

    sim.setConfig({ token: 't-2' });
    expect((await sim.settle()).settled).toBe(true);
    expect(statusOf(sim, 'keeper/1')).toBe('active token t-2');
    const hooks = sim.trace.hooks.map((h) => `${h.unit} ${h.hook}`);
    expect(hooks).toContain('keeper/1 secret-changed');
    // Once keeper/1 tracks revision 2, revision 1 is obsolete: the owner is told and removes it.
    expect(hooks).toContain('keeper/0 secret-remove');
    expect(hooks.indexOf('keeper/0 secret-remove')).toBeGreaterThan(hooks.indexOf('keeper/1 secret-changed'));
    expect(sim.secrets.consumer(uri, 'keeper/1')?.tracked).toBe(2);
    expect([...(sim.secrets.get(uri)?.revisions.keys() ?? [])]).toEqual([2]);
    await sim.close();
  });

  it('a unit the secret was not granted to gets PermissionDeniedError', async () => {
    const sim = await create({ units: 3, config: { 'grant-to': 'keeper/1' } });
    // No update-status round: keeper/2 would then look the secret up by a label it never got.
    expect((await sim.settle({ updateStatusRounds: 0 })).settled).toBe(true);
    expect(statusOf(sim, 'keeper/1')).toBe('active token t-1');
    expect(statusOf(sim, 'keeper/2')).toBe('blocked PermissionDeniedError');
    await sim.close();
  });

  it('after the owner removes the secret, a consumer reading it gets SecretNotFoundError', async () => {
    const sim = await create();
    await sim.settle();
    const uri = sim.secrets.list()[0]?.uri as string;
    sim.setConfig({ drop: true });
    await sim.settle();
    expect(sim.secrets.get(uri)).toBeUndefined();
    // settle() ended with an update-status round, where keeper/1 read it by its label.
    expect(statusOf(sim, 'keeper/1')).toBe('blocked SecretNotFoundError');
    await sim.close();
  });

  it('a failed hook commits none of its secret writes', async () => {
    const sim = await create();
    sim.failNextHook({ unit: OWNER, hook: 'cluster-relation-joined', atCall: 'secret-grant' });
    expect((await sim.settle()).settled).toBe(true);
    // The retry created the one secret; the failed attempt's secret-add left nothing behind.
    expect(sim.secrets.list()).toHaveLength(1);
    expect(statusOf(sim, 'keeper/1')).toBe('active token t-1');
    await sim.close();
  });
});

describe('SimSecretStore', () => {
  it('is model-wide: two simulations share one store and each gets its own units’ events', async () => {
    const store = new SimSecretStore();
    const events: SimSecretEvent[] = [];
    store.subscribe((event) => events.push(event));
    const uri = store.add({ owner: { kind: 'application', app: 'other' }, content: { token: 'a-1' } });
    store.grant(uri, { relationId: 7, app: 'keeper', unit: null });
    const sim = await create({ secrets: store });
    expect(sim.secrets).toBe(store);
    store.track(uri, 'keeper/0', 1);
    store.update(uri, { content: { token: 'a-2' } });
    expect(events).toContainEqual({ kind: 'secret-changed', uri, unit: 'keeper/0', label: null });
    expect(sim.queue('keeper/0')).toContain('secret-changed');
    // The same content again publishes no revision.
    store.update(uri, { content: { token: 'a-2' } });
    expect(store.get(uri)?.latest).toBe(2);
    // keeper/0 refreshes: revision 1 is obsolete; the owner app is not simulated here, so no hook.
    store.track(uri, 'keeper/0');
    expect(events.at(-1)).toMatchObject({ kind: 'secret-remove', uri, revision: 1 });
    store.dropRelation(7);
    expect(store.isGranted(uri, 'keeper', 'keeper/0')).toBe(false);
    await sim.close();
  });
});
