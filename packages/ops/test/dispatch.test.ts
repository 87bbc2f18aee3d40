import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  CharmEvents,
  type CollectStatusEvent,
  type ConfigChangedEvent,
  EventBase,
  type Framework,
  type Handle,
  type JsonObject,
  MaintenanceStatus,
  type RelationBrokenEvent,
  type RelationChangedEvent,
  RelationNotFoundError,
  WaitingStatus,
} from '../src/index.js';
import { MemoryStorage, SqliteStorage } from '../src/internal/index.js';
import { FakeBackend } from './helpers/fake-backend.js';
import { runHook } from './helpers/run-hook.js';

const trace: string[] = [];

class PingEvent extends EventBase {
  n: number;
  constructor(handle: Handle, n: number) {
    super(handle);
    this.n = n;
  }
  override snapshot(): JsonObject {
    return { n: this.n };
  }
  override restore(snapshot: JsonObject): void {
    this.n = Number(snapshot.n);
  }
}

class OrderEvents extends CharmEvents {
  readonly ping = this.event('ping', PingEvent);
}

/** Defers config-changed until `release` is set in its stored state. */
class OrderCharm extends CharmBase {
  static override readonly handleKind = 'OrderCharm';
  override readonly on = new OrderEvents(this);
  readonly stored = this.storedState('stored', { release: false, seen: 0 });

  constructor(framework: Framework) {
    super(framework);
    framework.addParticipant({
      name: 'tracer',
      start: () => {
        trace.push('participant.start');
      },
      end: () => {
        trace.push('participant.end');
      },
    });
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.ping, this.onPing);
    framework.observe(this.on.collectAppStatus, this.onCollectApp);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnit);
    framework.observe(framework.on.preCommit, this.onPreCommit);
    framework.observe(framework.on.commit, this.onCommit);
  }
  onConfigChanged(event: ConfigChangedEvent): void {
    this.stored.seen += 1;
    trace.push(`config_changed${this.stored.release ? '' : ' (defer)'}`);
    if (!this.stored.release) event.defer();
  }
  onUpdateStatus(): void {
    trace.push('update_status');
  }
  async onPing(event: PingEvent): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    trace.push(`ping ${event.n}`);
  }
  onCollectApp(event: CollectStatusEvent): void {
    trace.push('collect_app_status');
    event.addStatus(new ActiveStatus('app ok'));
  }
  onCollectUnit(event: CollectStatusEvent): void {
    trace.push('collect_unit_status');
    event.addStatus(new WaitingStatus('w'));
    event.addStatus(new BlockedStatus('b'));
    event.addStatus(new MaintenanceStatus('m'));
  }
  onPreCommit(): void {
    trace.push('pre_commit');
  }
  onCommit(): void {
    trace.push('commit');
  }
}

describe('dispatch order', () => {
  beforeEach(() => {
    trace.length = 0;
  });

  it('runs participants, deferred events, the event, status collection and commit in order', async () => {
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.leader = true;
    await runHook(OrderCharm, 'hooks/config-changed', { storage, backend });
    expect(trace).toEqual([
      'participant.start',
      'config_changed (defer)',
      'participant.end',
      'collect_app_status',
      'collect_unit_status',
      'pre_commit',
      'commit',
    ]);
    trace.length = 0;
    await runHook(OrderCharm, 'hooks/update-status', { storage, backend });
    expect(trace).toEqual([
      'participant.start',
      'config_changed (defer)',
      'update_status',
      'participant.end',
      'collect_app_status',
      'collect_unit_status',
      'pre_commit',
      'commit',
    ]);
    // Highest priority wins, and each status is set once, at the end.
    expect(backend.calls.filter((c) => c.startsWith('status-set'))).toEqual([
      'status-set blocked b',
      'status-set --application active app ok',
      'status-set blocked b',
      'status-set --application active app ok',
    ]);
  });

  it('does not ask is-leader when nothing observes collectAppStatus', async () => {
    class Quiet extends CharmBase {
      static override readonly handleKind = 'Quiet';
    }
    const { backend } = await runHook(Quiet, 'hooks/update-status', { storage: new MemoryStorage() });
    expect(backend.calls).toEqual([]);
  });

  it('an unknown event kind still re-emits deferred events, collects status and commits', async () => {
    const storage = new MemoryStorage();
    await runHook(OrderCharm, 'hooks/config-changed', { storage });
    trace.length = 0;
    const result = await runHook(OrderCharm, 'hooks/no-such-hook', { storage });
    expect(result.emitted).toBe(false);
    expect(trace).toEqual([
      'participant.start',
      'config_changed (defer)',
      'participant.end',
      'collect_unit_status',
      'pre_commit',
      'commit',
    ]);
    expect(storage.notices()).toHaveLength(1);
  });

  it('awaits async handlers in order, including emits nobody awaited', async () => {
    class Emitter extends OrderCharm {
      override onUpdateStatus(): void {
        void this.on.ping.emit(1);
        void this.on.ping.emit(2);
        trace.push('update_status done');
      }
    }
    await runHook(Emitter, 'hooks/update-status', { storage: new MemoryStorage() });
    expect(trace.slice(1, 4)).toEqual(['update_status done', 'ping 1', 'ping 2']);
    expect(trace.indexOf('pre_commit')).toBeGreaterThan(trace.indexOf('ping 2'));
  });
});

describe('defer and re-emission on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'charmkit-defer-'));
    trace.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a deferred event across three dispatches and runs it once released', async () => {
    const path = join(dir, '.unit-state.db');
    const open = () => new SqliteStorage(path);

    let storage = open();
    await runHook(OrderCharm, 'hooks/config-changed', { storage });
    storage.close();

    storage = open();
    await runHook(OrderCharm, 'hooks/update-status', { storage });
    storage.close();

    class Releasing extends OrderCharm {
      constructor(framework: Framework) {
        super(framework);
        framework.addParticipant({
          name: 'release',
          start: () => {
            this.stored.release = true;
          },
        });
      }
    }
    storage = open();
    await runHook(Releasing, 'hooks/update-status', { storage });
    storage.close();

    expect(trace.filter((t) => t.startsWith('config_changed'))).toEqual([
      'config_changed (defer)',
      'config_changed (defer)',
      'config_changed',
    ]);
    storage = open();
    storage.begin();
    expect(storage.notices()).toEqual([]);
    // The event's snapshot goes with its last notice.
    expect(storage.loadSnapshot('OrderCharm/on/config_changed[1]')).toBeNull();
    expect(JSON.parse(storage.loadSnapshot('OrderCharm/StoredStateData[stored]') ?? '{}')).toEqual({
      release: true,
      seen: 3,
    });
    storage.close();
  });

  it('re-deferred events keep their place in the queue', async () => {
    const storage = new MemoryStorage();
    class Multi extends CharmBase {
      static override readonly handleKind = 'Multi';
      override readonly on = new OrderEvents(this);
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.ping, this.onPing);
        framework.observe(this.on.updateStatus, this.onUpdateStatus);
      }
      onPing(event: PingEvent): void {
        trace.push(`ping ${event.n}`);
        event.defer();
      }
      async onUpdateStatus(): Promise<void> {
        await this.on.ping.emit(1);
        await this.on.ping.emit(2);
        await this.on.ping.emit(3);
      }
    }
    await runHook(Multi, 'hooks/update-status', { storage });
    trace.length = 0;
    await runHook(Multi, 'hooks/start', { storage });
    await runHook(Multi, 'hooks/start', { storage });
    expect(trace).toEqual(['ping 1', 'ping 2', 'ping 3', 'ping 1', 'ping 2', 'ping 3']);
    expect(storage.notices().map((n) => n.eventPath)).toEqual([
      'Multi/on/ping[2]',
      'Multi/on/ping[3]',
      'Multi/on/ping[4]',
    ]);
  });
});

describe('collapsing identical deferred events', () => {
  it('collapses an event equal to a queued one for the same observer, and keeps different ones', async () => {
    trace.length = 0;
    class Collapse extends CharmBase {
      static override readonly handleKind = 'Collapse';
      override readonly on = new OrderEvents(this);
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.ping, this.onPing);
        framework.observe(this.on.updateStatus, this.onUpdateStatus);
      }
      onPing(event: PingEvent): void {
        trace.push(`ping ${event.n}`);
        event.defer();
      }
      async onUpdateStatus(): Promise<void> {
        await this.on.ping.emit(7);
        await this.on.ping.emit(7);
        await this.on.ping.emit(8);
      }
    }
    const storage = new MemoryStorage();
    const { logger } = await runHook(Collapse, 'hooks/update-status', { storage });
    // The second ping(7) collapsed into the queued first one: its handler did not run.
    expect(trace).toEqual(['ping 7', 'ping 8']);
    expect(storage.notices()).toHaveLength(2);
    // update_status is event 1, so the pings are 2, 3 and 4.
    expect(logger.lines.some((l) => l.message.startsWith('Collapsed Collapse/on/ping[3] into'))).toBe(true);
    trace.length = 0;
    // Next dispatch: both re-run and re-defer, then three new emissions all collapse.
    await runHook(Collapse, 'hooks/update-status', { storage });
    expect(trace).toEqual(['ping 7', 'ping 8']);
    expect(storage.notices()).toHaveLength(2);
  });
});

describe('dropped notices', () => {
  it('drops notices whose observer, method or event type no longer exists, with a warning', async () => {
    const storage = new MemoryStorage();
    class V1 extends CharmBase {
      static override readonly handleKind = 'Charm';
      override readonly on = new OrderEvents(this);
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.ping, this.onPing);
        framework.observe(this.on.configChanged, this.onConfigChanged);
        framework.observe(this.on.updateStatus, this.onUpdateStatus);
      }
      onPing(event: PingEvent): void {
        event.defer();
      }
      onConfigChanged(event: ConfigChangedEvent): void {
        event.defer();
      }
      async onUpdateStatus(event: EventBase): Promise<void> {
        event.defer();
        await this.on.ping.emit(1);
      }
    }
    await runHook(V1, 'hooks/config-changed', { storage });
    await runHook(V1, 'hooks/update-status', { storage });
    expect(storage.notices()).toHaveLength(3);

    // V2 no longer declares `ping`, observes config-changed with another method, and
    // observes nothing for update-status.
    class V2 extends CharmBase {
      static override readonly handleKind = 'Charm';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.configChanged, this.onConfig);
      }
      onConfig(): void {
        trace.push('v2 config');
      }
    }
    trace.length = 0;
    const { logger } = await runHook(V2, 'hooks/start', { storage });
    expect(storage.notices()).toEqual([]);
    expect(trace).toEqual([]);
    const warnings = logger.lines.filter((l) => l.level === 'WARNING').map((l) => l.message);
    expect(warnings).toEqual([
      'Dropping deferred Charm/on/config_changed[1] for Charm.onConfigChanged: Charm.onConfigChanged no longer observes config_changed.',
      'Dropping deferred Charm/on/update_status[2] for Charm.onUpdateStatus: Charm.onUpdateStatus no longer observes update_status.',
      'Dropping deferred Charm/on/ping[3] for Charm.onPing: no event type ping is declared on Charm/on any more.',
    ]);
    expect(storage.snapshots().has('Charm/on/ping[3]')).toBe(false);
  });
});

describe('a deferred handler that keeps throwing', () => {
  class Flaky extends CharmBase {
    static override readonly handleKind = 'Flaky';
    override readonly on = new OrderEvents(this);
    readonly stored = this.storedState('s', { effects: 0, later: 0, seeded: false });
    static broken = true;
    constructor(framework: Framework) {
      super(framework);
      framework.observe(this.on.ping, this.onPing);
      framework.observe(this.on.configChanged, this.onConfigChanged);
      framework.observe(this.on.updateStatus, this.onUpdateStatus);
    }
    onPing(event: PingEvent): void {
      this.stored.effects += 1;
      this.model.getRelation('cluster', 1)?.unitData.set('k', 'v');
      if (Flaky.broken) throw new Error(`boom ${event.n}`);
      trace.push(`ping ${event.n} ok`);
    }
    onConfigChanged(event: ConfigChangedEvent): void {
      trace.push('config later');
      this.stored.later += 1;
      event.defer();
    }
    async onUpdateStatus(): Promise<void> {
      trace.push('update_status');
      if (!this.stored.seeded) {
        this.stored.seeded = true;
        await this.on.ping.emit(1);
      }
    }
  }

  class DeferPing extends Flaky {
    override onPing(event: PingEvent): void {
      event.defer();
    }
  }

  it('rolls back its effects, lets the hook and later notices run, and parks it after the limit', async () => {
    trace.length = 0;
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.relations.set(1, { endpoint: 'cluster', units: [], app: 'test-charm' });
    // Queue ping(1), then config-changed behind it.
    await runHook(DeferPing, 'hooks/update-status', { storage, backend });
    await runHook(DeferPing, 'hooks/config-changed', { storage, backend });
    expect(storage.notices().map((n) => n.eventPath)).toEqual([
      'Flaky/on/ping[2]',
      'Flaky/on/config_changed[3]',
    ]);

    trace.length = 0;
    backend.calls.length = 0;
    for (let i = 1; i <= 3; i++) {
      const { logger } = await runHook(Flaky, 'hooks/update-status', {
        storage,
        backend,
        deferredFailureLimit: 3,
      });
      const errors = logger.lines.filter((l) => l.level === 'ERROR').map((l) => l.message);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(
        i < 3 ? `failed (${i} of 3 before it is parked)` : 'Parked deferred Flaky/on/ping[2]',
      );
      expect(errors[0]).toContain('boom 1');
    }
    // The hook went on each time: the later notice and the dispatch's own event ran.
    expect(trace).toEqual(Array(3).fill(['config later', 'update_status']).flat());
    // None of the failed handler's effects survived: no stored-state change, no relation write.
    const stored = JSON.parse(storage.loadSnapshot('Flaky/StoredStateData[s]') ?? '{}');
    expect(stored).toEqual({ effects: 0, later: 4, seeded: true });
    expect(backend.calls.filter((c) => c.startsWith('relation-set'))).toEqual([]);
    // Parked: out of the queue, kept with its error and snapshot.
    expect(storage.notices().map((n) => n.eventPath)).toEqual(['Flaky/on/config_changed[3]']);
    const parked = storage.parkedNotices();
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ eventPath: 'Flaky/on/ping[2]', failures: 3 });
    expect(parked[0]?.lastError).toContain('boom 1');
    expect(storage.loadSnapshot('Flaky/on/ping[2]')).toBe('{"n":1}');

    // A fourth dispatch does not touch it any more.
    trace.length = 0;
    await runHook(Flaky, 'hooks/update-status', { storage, backend, deferredFailureLimit: 3 });
    expect(trace).toEqual(['config later', 'update_status']);
  });

  it('a success resets the failure count', async () => {
    trace.length = 0;
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.relations.set(1, { endpoint: 'cluster', units: [], app: 'test-charm' });
    await runHook(DeferPing, 'hooks/update-status', { storage, backend });
    await runHook(Flaky, 'hooks/start', { storage, backend });
    expect(storage.notices()[0]?.failures).toBe(1);
    Flaky.broken = false;
    try {
      await runHook(Flaky, 'hooks/start', { storage, backend });
    } finally {
      Flaky.broken = true;
    }
    expect(trace).toContain('ping 1 ok');
    expect(storage.notices()).toEqual([]);
    expect(backend.calls.filter((c) => c.startsWith('relation-set'))).toEqual(['relation-set 1 {"k":"v"}']);
  });

  it('logs the queue length and the oldest age at every dispatch', async () => {
    const storage = new MemoryStorage();
    let now = 1_000_000;
    await runHook(DeferPing, 'hooks/update-status', { storage, now: () => now });
    now += 125_000;
    const { logger } = await runHook(DeferPing, 'hooks/start', { storage, now: () => now });
    expect(logger.lines).toContainEqual({
      level: 'DEBUG',
      message: 'Deferred queue: 1 notice(s), oldest 2m5s (Flaky/on/ping[2] for Flaky.onPing).',
    });
  });
});

describe('failures of the dispatch itself', () => {
  it('an exception in the event handler rolls everything back and rethrows', async () => {
    class Failing extends CharmBase {
      static override readonly handleKind = 'Failing';
      override readonly on = new OrderEvents(this);
      readonly stored = this.storedState('s', { n: 0 });
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.configChanged, this.onConfigChanged);
        framework.observe(this.on.ping, this.onPing);
      }
      onPing(event: PingEvent): void {
        event.defer();
      }
      async onConfigChanged(): Promise<void> {
        this.stored.n = 5;
        await this.on.ping.emit(1);
        this.unit.status = new ActiveStatus();
        this.model.getRelation('cluster', 3)?.unitData.set('a', 'b');
        throw new Error('handler failed');
      }
    }
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.relations.set(3, { endpoint: 'cluster', units: [], app: 'test-charm' });
    await expect(runHook(Failing, 'hooks/config-changed', { storage, backend })).rejects.toThrow(
      'handler failed',
    );
    expect(storage.notices()).toEqual([]);
    expect(storage.snapshots().size).toBe(0);
    expect(backend.calls.filter((c) => c.startsWith('relation-set') || c.startsWith('status-set'))).toEqual(
      [],
    );
  });
});

describe('relation events', () => {
  it('hands the relation, remote app and unit to the handler, and restores them when deferred', async () => {
    const seen: string[] = [];
    class Rel extends CharmBase {
      static override readonly handleKind = 'Rel';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.relation('db').changed, this.onDbChanged);
      }
      onDbChanged(event: RelationChangedEvent): void {
        seen.push(
          `${event.relation} ${event.app?.name} ${event.unit?.name} ${event.relation.data(event.unit!).get('host')}`,
        );
        if (seen.length === 1) event.defer();
      }
    }
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.relations.set(4, { endpoint: 'db', units: ['pg/0'], app: 'pg' });
    backend.bags.set('4:pg/0', { host: '10.0.0.9' });
    const env = {
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:4',
      JUJU_REMOTE_UNIT: 'pg/0',
      JUJU_REMOTE_APP: 'pg',
    };
    await runHook(Rel, 'hooks/db-relation-changed', { storage, backend, env });
    await runHook(Rel, 'hooks/update-status', { storage, backend });
    expect(seen).toEqual(['db:4 pg pg/0 10.0.0.9', 'db:4 pg pg/0 10.0.0.9']);
    expect(storage.notices()).toEqual([]);
  });
});

describe('restricted hooks (collect-metrics, meter-status-changed)', () => {
  beforeEach(() => {
    trace.length = 0;
  });

  for (const hook of ['collect-metrics', 'meter-status-changed']) {
    it(`${hook}: re-emits no deferred events, runs no participants, collects no status, still commits`, async () => {
      const storage = new MemoryStorage();
      const backend = new FakeBackend();
      backend.leader = true;
      await runHook(OrderCharm, 'hooks/config-changed', { storage, backend });
      expect(storage.notices()).toHaveLength(1);
      trace.length = 0;
      backend.calls.length = 0;
      await runHook(OrderCharm, `hooks/${hook}`, { storage, backend });
      expect(trace).toEqual(['pre_commit', 'commit']);
      // is-leader, status-get/set and relation tools are unavailable there: none is called.
      expect(backend.calls).toEqual([]);
      expect(storage.notices()).toHaveLength(1);
    });
  }

  it('runs the participants that ask to run in restricted hooks, and only those', async () => {
    class Metrics extends CharmBase {
      static override readonly handleKind = 'Metrics';
      constructor(framework: Framework) {
        super(framework);
        framework.addParticipant({ name: 'skipped', start: () => void trace.push('skipped') });
        framework.addParticipant({
          name: 'asks',
          inRestrictedHooks: true,
          start: () => void trace.push('asks.start'),
          end: () => void trace.push('asks.end'),
        });
        framework.observe(this.on.collectMetrics, this.onMetrics);
      }
      onMetrics(): void {
        trace.push('collect_metrics');
      }
    }
    await runHook(Metrics, 'hooks/collect-metrics', { storage: new MemoryStorage() });
    expect(trace).toEqual(['asks.start', 'collect_metrics', 'asks.end']);
  });
});

describe('relation-broken', () => {
  const seen: { active: boolean; app: string | null; unit: string | null; listed: number[] }[] = [];
  class Broken extends CharmBase {
    static override readonly handleKind = 'Broken';
    constructor(framework: Framework) {
      super(framework);
      framework.observe(this.on.relation('db').broken, this.onBroken);
      framework.observe(this.on.relation('cluster').broken, this.onBroken);
    }
    onBroken(event: RelationBrokenEvent): void {
      seen.push({
        active: event.relation.active,
        app: event.app?.name ?? null,
        unit: event.unit?.name ?? null,
        listed: this.model.relations(event.relation.name).map((r) => r.id),
      });
    }
  }
  beforeEach(() => {
    seen.length = 0;
  });

  it('gives an inactive relation and the remote app from the environment', async () => {
    const backend = new FakeBackend();
    backend.relations.set(5, { endpoint: 'db', units: [], app: 'pg' });
    const env = { JUJU_RELATION: 'db', JUJU_RELATION_ID: 'db:5', JUJU_REMOTE_APP: 'pg' };
    await runHook(Broken, 'hooks/db-relation-broken', { storage: new MemoryStorage(), backend, env });
    expect(seen).toEqual([{ active: false, app: 'pg', unit: null, listed: [] }]);
  });

  it('gives a null app, and does not fail, when Juju names no remote app', async () => {
    // Juju no longer lists the broken relation: asking it for the remote app fails.
    const backend = new FakeBackend();
    backend.relationRemoteApp = () => {
      throw new RelationNotFoundError('relation-list: relation not found', {
        tool: 'relation-list',
        args: ['-r', '5', '--app'],
        exitCode: 2,
        stderr: 'ERROR relation not found',
      });
    };
    const env = { JUJU_RELATION: 'db', JUJU_RELATION_ID: 'db:5' };
    await runHook(Broken, 'hooks/db-relation-broken', { storage: new MemoryStorage(), backend, env });
    expect(seen).toEqual([{ active: false, app: null, unit: null, listed: [] }]);
  });

  it('gives a null app for a peer relation', async () => {
    const backend = new FakeBackend();
    const env = { JUJU_RELATION: 'cluster', JUJU_RELATION_ID: 'cluster:2', JUJU_REMOTE_APP: 'test-charm' };
    await runHook(Broken, 'hooks/cluster-relation-broken', { storage: new MemoryStorage(), backend, env });
    expect(seen).toEqual([{ active: false, app: null, unit: null, listed: [] }]);
  });
});
