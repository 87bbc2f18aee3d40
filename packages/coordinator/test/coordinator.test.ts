import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  Coordinator,
  CoordinatorConfigError,
  type CoordinatorOptions,
  GRANTS_KEY,
  type LockGrantedEvent,
  maxConcurrent,
  QUEUE_KEY,
  REQUESTS_KEY,
  readCoordinatorFile,
} from '../src/index.js';

const meta = { metadata: { name: 'web', peers: { cluster: { interface: 'web-peers' } } } };
const log: string[] = [];
let options: CoordinatorOptions = {};
let onConfig: (c: Coordinator) => void = (c) => {
  log.push(`acquire -> ${c.acquire('restart')}`);
};
let onGranted: (c: Coordinator, lock: string) => void = () => undefined;

class Web extends CharmBase {
  static override readonly handleKind = 'Web';
  readonly coordinator = new Coordinator(this, options);
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.coordinator.on.lockGranted, this.onLockGranted);
  }
  onConfigChanged(): void {
    onConfig(this.coordinator);
  }
  onLockGranted(event: LockGrantedEvent): void {
    log.push(`granted ${event.lock}`);
    onGranted(this.coordinator, event.lock);
  }
}

const run = async (event: 'config' | 'update' | 'changed', state: State, unitId = 0) => {
  log.length = 0;
  const ctx = new Context(Web, { meta, unitId });
  const spec =
    event === 'config'
      ? ctx.on.configChanged()
      : event === 'update'
        ? ctx.on.updateStatus()
        : ctx.on.relationChanged(state.getRelation('cluster'), { remoteUnit: 1 });
  const out = await ctx.run(spec, state);
  const peers = out.relations.find((r) => r.endpoint === 'cluster') as PeerRelation;
  return { out, ctx, peers };
};
const json = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));

describe('Coordinator, one unit at a time', () => {
  it('a lone leader grants itself at once, acts, and releases at the end of the hook', async () => {
    options = {};
    const { out, peers, ctx } = await run(
      'config',
      new State({ leader: true, relations: [new PeerRelation('cluster', { id: 1 })] }),
    );
    expect(log).toEqual(['acquire -> true', 'granted restart']);
    // Granted and released in the same hook: nothing is left behind, except the id counter.
    expect(peers.localUnitData).toEqual({ 'coordinator.last-id': '1' });
    expect(peers.localAppData).toEqual({});
    expect(out.unitStatus.name).toBe('unknown');
    expect(ctx.toolCalls.filter((c) => c.startsWith('relation-set'))).toEqual(['relation-set -r 1']);
  });

  it('a follower records its request and waits', async () => {
    const state = new State({ relations: [new PeerRelation('cluster', { id: 1, peersData: { 1: {} } })] });
    const { out, peers } = await run('config', state, 2);
    expect(log).toEqual(['acquire -> false']);
    expect(json(peers.localUnitData[REQUESTS_KEY])).toEqual({ restart: 1 });
    expect(out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for restart lock' });
    // Asking again keeps the same request (and its place in the queue).
    const again = await run('config', out, 2);
    expect(json(again.peers.localUnitData[REQUESTS_KEY])).toEqual({ restart: 1 });
  });

  it('the leader grants the head of the queue, one at a time, and hands over when it sees the release', async () => {
    options = {};
    const peers = new PeerRelation('cluster', {
      id: 1,
      peersData: { 1: { [REQUESTS_KEY]: '{"restart":4}' }, 2: { [REQUESTS_KEY]: '{"restart":9}' } },
    });
    const first = await run('changed', new State({ leader: true, relations: [peers] }));
    expect(json(first.peers.localAppData[GRANTS_KEY])).toEqual({ 'web/1': { restart: 4 } });
    expect(json(first.peers.localAppData[QUEUE_KEY])).toEqual({ restart: [['web/2', 9]] });

    // web/1 released (its request is gone): the leader revokes and grants web/2 in the same hook.
    const released = first.peers.with({
      peersData: { 1: { 'coordinator.last-id': '4' }, 2: { [REQUESTS_KEY]: '{"restart":9}' } },
    });
    const second = await run('changed', first.out.with({ relations: [released] }));
    expect(json(second.peers.localAppData[GRANTS_KEY])).toEqual({ 'web/2': { restart: 9 } });
    expect(second.peers.localAppData[QUEUE_KEY]).toBeUndefined();
    expect(second.ctx.jujuLog.map((l) => l.message)).toContain(
      'coordinator: web/1 released restart (request 4)',
    );
  });

  it('a follower acts in the hook where it sees its grant, and releases at its end', async () => {
    onConfig = () => undefined;
    const peers = new PeerRelation('cluster', {
      id: 1,
      localUnitData: { [REQUESTS_KEY]: '{"restart":3}', 'coordinator.last-id': '3' },
      localAppData: { [GRANTS_KEY]: '{"web/1":{"restart":3}}' },
    });
    const { peers: out } = await run('update', new State({ relations: [peers] }), 1);
    expect(log).toEqual(['granted restart']);
    expect(out.localUnitData).toEqual({ 'coordinator.last-id': '3' });
  });

  it('never honours a grant that names an older request', async () => {
    const peers = new PeerRelation('cluster', {
      id: 1,
      localUnitData: { [REQUESTS_KEY]: '{"restart":5}', 'coordinator.last-id': '5' },
      localAppData: { [GRANTS_KEY]: '{"web/1":{"restart":4}}' },
    });
    await run('update', new State({ relations: [peers] }), 1);
    expect(log).toEqual([]);
  });

  it('hold() keeps the lock for another hook', async () => {
    onGranted = (c, lock) => c.hold(lock);
    const peers = new PeerRelation('cluster', {
      id: 1,
      localUnitData: { [REQUESTS_KEY]: '{"restart":3}' },
      localAppData: { [GRANTS_KEY]: '{"web/1":{"restart":3}}' },
    });
    const first = await run('update', new State({ relations: [peers] }), 1);
    expect(json(first.peers.localUnitData[REQUESTS_KEY])).toEqual({ restart: 3 });
    onGranted = () => undefined;
    const second = await run('update', first.out, 1);
    expect(log).toEqual(['granted restart']);
    expect(second.peers.localUnitData[REQUESTS_KEY]).toBeUndefined();
  });

  it('revokes the grant of a unit that departed and grants the next', async () => {
    options = {};
    const peers = new PeerRelation('cluster', {
      id: 1,
      peersData: { 1: { [REQUESTS_KEY]: '{"restart":2}' }, 2: { [REQUESTS_KEY]: '{"restart":7}' } },
      localAppData: { [GRANTS_KEY]: '{"web/1":{"restart":2}}', [QUEUE_KEY]: '{"restart":[["web/2",7]]}' },
    });
    const ctx = new Context(Web, { meta });
    log.length = 0;
    const out = await ctx.run(
      ctx.on.relationDeparted(peers, { remoteUnit: 1 }),
      new State({ leader: true, relations: [peers] }),
    );
    const bag = out.getRelation('cluster').localAppData;
    expect(json(bag[GRANTS_KEY])).toEqual({ 'web/2': { restart: 7 } });
    expect(ctx.jujuLog.map((l) => l.message)).toContain(
      'coordinator: revoked restart from web/1, which left',
    );
  });
});

describe('policies', () => {
  const crowd = () =>
    new PeerRelation('cluster', {
      id: 1,
      peersData: {
        1: { [REQUESTS_KEY]: '{"restart":1,"backup":2}' },
        2: { [REQUESTS_KEY]: '{"restart":1}' },
        3: { [REQUESTS_KEY]: '{"backup":1}' },
      },
    });

  it('serial: one holder per lock name', async () => {
    options = { policy: 'serial' };
    const { peers } = await run('update', new State({ leader: true, relations: [crowd()] }));
    expect(json(peers.localAppData[GRANTS_KEY])).toEqual({ 'web/1': { backup: 2, restart: 1 } });
  });

  it('simple: one unit holds every lock', async () => {
    options = { policy: 'simple' };
    const { peers } = await run('update', new State({ leader: true, relations: [crowd()] }));
    expect(json(peers.localAppData[GRANTS_KEY])).toEqual({ 'web/1': { backup: 2, restart: 1 } });
    expect(json(peers.localAppData[QUEUE_KEY])).toEqual({ backup: [['web/3', 1]], restart: [['web/2', 1]] });
  });

  it('maxConcurrent(2): two holders of a lock', async () => {
    options = { policy: { maxConcurrent: 2 } };
    const { peers } = await run('update', new State({ leader: true, relations: [crowd()] }));
    expect(json(peers.localAppData[GRANTS_KEY])).toEqual({
      'web/1': { backup: 2, restart: 1 },
      'web/2': { restart: 1 },
      'web/3': { backup: 1 },
    });
    expect(() => maxConcurrent(0)).toThrow(RangeError);
  });

  it('a custom policy', async () => {
    options = { policy: (c) => c.unit !== 'web/1' && c.holders.length === 0 };
    const { peers } = await run('update', new State({ leader: true, relations: [crowd()] }));
    expect(json(peers.localAppData[GRANTS_KEY])).toEqual({ 'web/2': { restart: 1 }, 'web/3': { backup: 1 } });
  });

  it('reads the policy and log level from charmkit.yaml, with clear errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordinator-conf-'));
    try {
      writeFileSync(
        join(dir, 'charmkit.yaml'),
        'coordinator:\n  policy: max-concurrent\n  max-concurrent: 3\n  log-level: debug\n',
      );
      expect(readCoordinatorFile(dir)).toEqual({ policy: { maxConcurrent: 3 }, logLevel: 'DEBUG' });
      writeFileSync(join(dir, 'charmkit.yaml'), 'coordinator:\n  class: charmhelpers.coordinator.Serial\n');
      expect(() => readCoordinatorFile(dir)).toThrow(CoordinatorConfigError);
      expect(() => readCoordinatorFile(dir)).toThrow(
        'coordinator.policy is "charmhelpers.coordinator.Serial"',
      );
      writeFileSync(join(dir, 'charmkit.yaml'), 'coordinator:\n  policy: serial\n  log-level: loud\n');
      expect(() => readCoordinatorFile(dir)).toThrow('coordinator.log-level is "loud"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('before the peer relation exists', () => {
  it('a lone leader grants itself locally; requests move into the databag when the relation appears', async () => {
    options = {};
    onConfig = (c) => {
      log.push(`acquire -> ${c.acquire('restart')}`);
    };
    onGranted = (c, lock) => c.hold(lock);
    const alone = await run('config', new State({ leader: true, plannedUnits: 1 }));
    expect(log).toEqual(['acquire -> true', 'granted restart']);
    onGranted = () => undefined;
    onConfig = () => undefined;
    // The relation appears: the held lock becomes a real grant, then is released at hook end.
    const joined = await run(
      'update',
      alone.out.with({ relations: [new PeerRelation('cluster', { id: 5 })] }),
    );
    expect(log).toEqual(['granted restart']);
    expect(joined.peers.localAppData).toEqual({});
    expect(joined.peers.localUnitData).toEqual({ 'coordinator.last-id': '1' });
  });

  it('does not grant locally when more units are planned', async () => {
    onConfig = (c) => {
      log.push(`acquire -> ${c.acquire('restart')}`);
    };
    onGranted = () => undefined;
    const waiting = await run('config', new State({ leader: true, plannedUnits: 3 }));
    expect(log).toEqual(['acquire -> false']);
    expect(waiting.out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for restart lock' });
    const joined = await run(
      'update',
      waiting.out.with({ relations: [new PeerRelation('cluster', { id: 5, peersData: { 1: {} } })] }),
    );
    // Now the leader can see everyone: it grants its own request through the app databag.
    expect(log).toEqual(['granted restart']);
    expect(joined.peers.localAppData).toEqual({});
  });
});
