import { CharmBase, CharmEvents, type Framework } from '@charmkit/ops';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  GRANTS_KEY,
  OpsCoordinator,
  REQUESTS_KEY,
  type Restarter,
  RestartRequestedEvent,
} from '../src/index.js';

const meta = {
  metadata: { name: 'web', peers: { cluster: { interface: 'web-peers' } } },
  config: { options: { port: { type: 'int', default: 80 } } },
};

const calls: string[] = [];
let healthy = true;
const restarter: Restarter = {
  async restart(services) {
    calls.push(`restart ${services.join(',')}`);
  },
  async healthy(services) {
    calls.push(`check ${services.join(',')}`);
    return healthy;
  },
};

class WebEvents extends CharmEvents {
  readonly restartRequested = this.event('restart_requested', RestartRequestedEvent);
}

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  override readonly on = new WebEvents(this);
  readonly stored = this.storedState('stored', { applied: 0 });
  readonly coordinator = new OpsCoordinator(this, {
    restarter,
    afterRestart: (event) => {
      calls.push(`after ${JSON.stringify(event.ctx)}`);
    },
  });

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.restartRequested, this.onRestartRequested);
  }

  onConfigChanged(): void {
    const port = Number(this.config.port);
    if (port !== this.stored.applied) void this.on.restartRequested.emit({ port }, ['web.service']);
  }

  async onRestartRequested(event: RestartRequestedEvent): Promise<void> {
    if (!(await event.restart())) {
      event.defer();
      return;
    }
    this.stored.applied = Number(event.ctx.port);
  }
}

const ctx = new Context(WebCharm, { meta });
const granted = (id: number) => ({ [GRANTS_KEY]: JSON.stringify({ 'web/1': { restart: id } }) });

describe('OpsCoordinator and RestartRequestedEvent', () => {
  it('defers until the lock is granted, restarts, checks, then releases', async () => {
    calls.length = 0;
    const ctx1 = new Context(WebCharm, { meta, unitId: 1 });
    const peers = new PeerRelation('cluster', { id: 1, peersData: { 0: {} } });
    const waiting = await ctx1.run(
      ctx1.on.configChanged(),
      new State({ config: { port: 8080 }, relations: [peers] }),
    );
    expect(waiting.deferred.map((d) => d.kind)).toEqual(['restart_requested']);
    expect(waiting.unitStatus).toEqual({ name: 'waiting', message: 'waiting for restart lock' });
    expect(calls).toEqual([]);

    // The leader granted request 1: the deferred event runs at the next hook.
    const grantedState = waiting.with({
      relations: [(waiting.getRelation(1) as PeerRelation).with({ localAppData: granted(1) })],
    });
    const done = await ctx1.run(ctx1.on.updateStatus(), grantedState);
    expect(calls).toEqual(['restart web.service', 'check web.service', 'after {"port":8080}']);
    expect(done.deferred).toEqual([]);
    expect(done.getStoredState('WebCharm', 'stored')).toEqual({ applied: 8080 });
    expect(done.getRelation(1).localUnitData[REQUESTS_KEY]).toBeUndefined();
    expect(ctx1.unitStatusHistory.at(-1)).not.toEqual({
      name: 'waiting',
      message: 'waiting for restart lock',
    });
    expect(ctx1.toolCalls).toContain('status-set maintenance');
  });

  it('keeps the lock while the restarted service is unhealthy, and retries', async () => {
    calls.length = 0;
    healthy = false;
    const ctx1 = new Context(WebCharm, { meta, unitId: 1 });
    const peers = new PeerRelation('cluster', { id: 1, peersData: { 0: {} } });
    const waiting = await ctx1.run(
      ctx1.on.configChanged(),
      new State({ config: { port: 9090 }, relations: [peers] }),
    );
    const withGrant = waiting.with({
      relations: [(waiting.getRelation(1) as PeerRelation).with({ localAppData: granted(1) })],
    });
    const sick = await ctx1.run(ctx1.on.updateStatus(), withGrant);
    expect(calls).toEqual(['restart web.service', 'check web.service']);
    // Still requested with the same id: the grant stands, nobody else restarts.
    expect(JSON.parse(sick.getRelation(1).localUnitData[REQUESTS_KEY] ?? '{}')).toEqual({ restart: 1 });
    expect(sick.deferred.map((d) => d.kind)).toEqual(['restart_requested']);
    expect(sick.unitStatus).toEqual({
      name: 'maintenance',
      message: 'restarting (waiting for healthy services)',
    });

    healthy = true;
    calls.length = 0;
    const well = await ctx1.run(ctx1.on.updateStatus(), sick);
    expect(calls).toEqual(['restart web.service', 'check web.service', 'after {"port":9090}']);
    expect(well.deferred).toEqual([]);
    expect(well.getRelation(1).localUnitData[REQUESTS_KEY]).toBeUndefined();
  });

  it('collapses restart requests made before one restart into it', async () => {
    calls.length = 0;
    healthy = true;
    const ctx1 = new Context(WebCharm, { meta, unitId: 1 });
    const peers = new PeerRelation('cluster', { id: 1, peersData: { 0: {} } });
    let state = await ctx1.run(
      ctx1.on.configChanged(),
      new State({ config: { port: 1 }, relations: [peers] }),
    );
    state = await ctx1.run(ctx1.on.configChanged(), state.with({ config: { port: 2 } }));
    expect(state.deferred.map((d) => d.snapshot.ctx)).toEqual([{ port: 1 }, { port: 2 }]);
    const withGrant = state.with({
      relations: [(state.getRelation(1) as PeerRelation).with({ localAppData: granted(1) })],
    });
    const done = await ctx1.run(ctx1.on.updateStatus(), withGrant);
    // One restart served both requests.
    expect(calls.filter((c) => c.startsWith('restart'))).toEqual(['restart web.service']);
    expect(done.deferred).toEqual([]);
    expect(done.getStoredState('WebCharm', 'stored')).toEqual({ applied: 2 });
  });

  it('the lone leader restarts at once', async () => {
    calls.length = 0;
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ leader: true, config: { port: 7 }, relations: [new PeerRelation('cluster', { id: 1 })] }),
    );
    expect(calls).toEqual(['restart web.service', 'check web.service', 'after {"port":7}']);
    expect(out.deferred).toEqual([]);
    expect(out.getRelation(1).localAppData).toEqual({});
  });
});
