import {
  type ActionEvent,
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
  type RelationChangedEvent,
  WaitingStatus,
} from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import {
  Context,
  InconsistentStateError,
  PeerRelation,
  Relation,
  State,
  UncaughtCharmError,
} from '../../src/index.js';

const meta = {
  metadata: {
    name: 'web',
    peers: { cluster: { interface: 'web-cluster' } },
    requires: { db: { interface: 'pgsql' } },
  },
  config: { options: { port: { type: 'int', default: 8080 }, mode: { type: 'string', default: 'fast' } } },
  actions: { 'get-token': { params: { prefix: { type: 'string' } } } },
};

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

class WebEvents extends CharmEvents {
  readonly ping = this.event('ping', PingEvent);
}

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  override readonly on = new WebEvents(this);
  readonly stored = this.storedState('stored', { port: 0, pings: [] as number[] });

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.relation('db').changed, this.onDbChanged);
    framework.observe(this.on.ping, this.onPing);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.action('get-token'), this.onGetToken);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  onConfigChanged(event: ConfigChangedEvent): void {
    const peers = this.model.getRelation('cluster');
    if (!peers) {
      event.defer();
      return;
    }
    this.stored.port = Number(this.config.port);
    if (this.unit.isLeader()) peers.appData.set('token', `t-${this.stored.port}`);
    peers.unitData.set('port', String(this.stored.port));
  }

  onDbChanged(event: RelationChangedEvent): void {
    const host = event.unit ? event.relation.data(event.unit).get('host') : undefined;
    if (host) event.relation.unitData.set('seen-host', host);
  }

  async onUpdateStatus(): Promise<void> {
    await this.on.ping.emit(this.stored.port);
  }

  onPing(event: PingEvent): void {
    this.stored.pings.push(event.n);
    if (event.n === 0) event.defer();
  }

  onGetToken(event: ActionEvent): void {
    const token = this.model.getRelation('cluster')?.appData.get('token');
    if (!token) {
      event.fail('no token yet');
      return;
    }
    event.log('found it');
    event.setResults({ token: `${String(event.params.prefix ?? '')}${token}`, nested: { ok: true } });
  }

  onCollectUnitStatus(event: CollectStatusEvent): void {
    if (this.stored.port === 0) event.addStatus(new WaitingStatus('no peers yet'));
    else if (this.stored.port < 1024) event.addStatus(new BlockedStatus('privileged port'));
    else event.addStatus(new ActiveStatus());
  }
}

const ctx = new Context(WebCharm, { meta });

describe('Context runs', () => {
  it('writes peer data and status, leaving the input state untouched', async () => {
    const peers = new PeerRelation('cluster', { peersData: { 1: { port: '9' } } });
    const input = new State({ leader: true, config: { port: 8080 }, relations: [peers] });
    const out = await ctx.run(ctx.on.configChanged(), input);
    const outPeers = out.getRelation(peers.id);
    expect(outPeers.localAppData).toEqual({ token: 't-8080' });
    expect(outPeers.localUnitData).toEqual({ port: '8080' });
    expect(out.unitStatus).toEqual({ name: 'active', message: '' });
    expect(out.getStoredState('WebCharm', 'stored')).toEqual({ port: 8080, pings: [] });
    expect(input.getRelation(peers.id).localAppData).toEqual({});
    expect(ctx.toolCalls.filter((c) => c.startsWith('relation-set'))).toHaveLength(2);
  });

  it('defers an event into the output state, and the next run re-emits it', async () => {
    const first = await ctx.run(ctx.on.configChanged(), new State({ config: { port: 80 } }));
    expect(first.deferred.map((d) => d.kind)).toEqual(['config_changed']);
    expect(first.unitStatus).toEqual({ name: 'waiting', message: 'no peers yet' });

    const peers = new PeerRelation('cluster');
    const second = await ctx.run(ctx.on.updateStatus(), first.with({ relations: [peers] }));
    expect(second.deferred).toEqual([]);
    expect(second.getStoredState('WebCharm', 'stored')).toEqual({ port: 80, pings: [80] });
    expect(second.unitStatus).toEqual({ name: 'blocked', message: 'privileged port' });
    expect(ctx.emittedEvents.map((e) => e.handle.kind)).toEqual([
      'config_changed',
      'update_status',
      'ping',
      'collect_unit_status',
      'pre_commit',
      'commit',
    ]);
  });

  it('keeps a re-deferred event in place and collapses an identical one', async () => {
    let state = new State();
    state = await ctx.run(ctx.on.updateStatus(), state);
    expect(state.deferred.map((d) => d.snapshot)).toEqual([{ n: 0 }]);
    state = await ctx.run(ctx.on.updateStatus(), state);
    // ping(0) was re-emitted and deferred again; the new ping(0) collapsed into it.
    expect(state.deferred.map((d) => d.eventPath)).toEqual([
      expect.stringMatching(/^WebCharm\/on\/ping\[\d+\]$/),
    ]);
    expect(state.getStoredState('WebCharm', 'stored')).toEqual({ port: 0, pings: [0, 0] });
  });

  it('drops deferred events the charm no longer observes', async () => {
    const state = new State({
      deferred: [
        {
          eventPath: 'WebCharm/on/start[4]',
          kind: 'start',
          observerPath: 'WebCharm',
          methodName: 'onStart',
          snapshot: {},
        },
      ],
    });
    const out = await ctx.run(ctx.on.updateStatus(), state);
    expect(out.deferred.filter((d) => d.kind === 'start')).toEqual([]);
    expect(ctx.jujuLog).toContainEqual({
      level: 'WARNING',
      message:
        'Dropping deferred WebCharm/on/start[4] for WebCharm.onStart: WebCharm.onStart no longer observes start.',
    });
  });

  it('hands relation data to relation events', async () => {
    const db = new Relation('db', { remoteAppName: 'pg', remoteUnitsData: { 3: { host: '10.1.1.1' } } });
    const out = await ctx.run(ctx.on.relationChanged(db), new State({ relations: [db] }));
    expect(out.getRelation(db.id).localUnitData).toEqual({ 'seen-host': '10.1.1.1' });
  });

  it('runs actions, returning results, logs and failure', async () => {
    const peers = new PeerRelation('cluster', { localAppData: { token: 'abc' } });
    const ok = await ctx.runAction(
      ctx.on.action('get-token', { prefix: 'x-' }),
      new State({ relations: [peers] }),
    );
    expect(ok.results).toEqual({ token: 'x-abc', 'nested.ok': 'true' });
    expect(ok.logs).toEqual(['found it']);
    expect(ok.failure).toBeNull();
    const failed = await ctx.runAction(
      ctx.on.action('get-token'),
      new State({ relations: [new PeerRelation('cluster')] }),
    );
    expect(failed.failure).toBe('no token yet');
  });

  it('wraps a charm error with the hook name and the cause', async () => {
    class Pushy extends WebCharm {
      override onConfigChanged(): void {
        this.model.getRelation('cluster')?.appData.set('token', 'mine');
      }
    }
    const pushy = new Context(Pushy, { meta });
    const state = new State({ leader: false, relations: [new PeerRelation('cluster')] });
    const error = await pushy.run(pushy.on.configChanged(), state).catch((e: unknown) => e);
    // A non-leader writes app data: the model refuses before any tool runs.
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as Error).message).toBe(
      'the charm raised while handling hooks/config-changed: web/0 is not the leader and cannot write application data in relation cluster:' +
        `${state.relations[0]?.id}`,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(pushy.toolCalls.filter((c) => c.startsWith('relation-set'))).toEqual([]);
  });

  it('rejects inconsistent states with every problem listed', async () => {
    const bad = new State({
      config: { port: 'eighty', nope: 1 },
      relations: [new Relation('cluster'), new PeerRelation('db'), new Relation('other')],
      appStatus: { name: 'active', message: '' },
    });
    const error = await ctx.run(ctx.on.start(), bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InconsistentStateError);
    for (const problem of [
      'cluster is a peer endpoint; use PeerRelation',
      'db is a requires endpoint; use Relation',
      'no endpoint "other" in metadata',
      'config option port is a int, got "eighty"',
      'config option "nope" is not in config.yaml',
      'only the leader can see the application status',
    ]) {
      expect((error as Error).message).toContain(problem);
    }
    await expect(ctx.run(ctx.on.action('nope'), new State())).rejects.toThrow(
      'action "nope" is not in actions.yaml',
    );
    const orphan = new Relation('db');
    await expect(ctx.run(ctx.on.relationChanged(orphan), new State())).rejects.toThrow(
      `the event's relation db:${orphan.id} is not in the state's relations`,
    );
  });

  it('a deferred handler that keeps throwing is rolled back, does not block the hook, and is parked', async () => {
    class Flaky extends WebCharm {
      override onPing(event: PingEvent): void {
        this.stored.pings.push(event.n);
        if (event.n === 0) throw new Error('still broken');
      }
    }
    const flaky = new Context(Flaky, { meta, deferredFailureLimit: 2 });
    // Queue ping(0) with the well-behaved charm, then run the broken one twice.
    let state = await ctx.run(ctx.on.updateStatus(), new State());
    expect(state.deferred.map((d) => d.kind)).toEqual(['ping']);
    state = await flaky.run(
      flaky.on.configChanged(),
      state.with({ relations: [new PeerRelation('cluster')] }),
    );
    expect(state.deferred.map((d) => d.kind)).toEqual(['ping']);
    // Its stored-state change was rolled back; the hook's own handler still ran.
    expect(state.getStoredState('WebCharm', 'stored')).toEqual({ port: 8080, pings: [0] });
    expect(flaky.jujuLog.filter((l) => l.level === 'ERROR').map((l) => l.message)[0]).toMatch(
      /failed \(1 of 2 before it is parked\)/,
    );
    expect(state.deferred[0]?.failures).toBe(1);
    state = await flaky.run(flaky.on.updateStatus(), state);
    expect(state.deferred.filter((d) => d.snapshot.n === 0)).toEqual([]);
    expect(state.parked.map((p) => [p.kind, p.failures])).toEqual([['ping', 2]]);
    expect(
      flaky.jujuLog.some(
        (l) => l.level === 'ERROR' && l.message.startsWith('Parked deferred WebCharm/on/ping'),
      ),
    ).toBe(true);
  });
});
