import { CharmBase, type Framework, RemovedInJuju4Error } from '@charmkit/ops';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LeaderSettings,
  LeaderSettingsUnavailableError,
  LeaderSettingsValidationError,
  type LeadershipChangedEvent,
  NotLeaderForSettingsError,
} from '../src/index.js';

const meta = { metadata: { name: 'app', peers: { cluster: { interface: 'app-peers' } } } };
const schema = z.object({ password: z.string().min(8), mode: z.string().optional() });

const seen: string[] = [];
let action: (settings: LeaderSettings<typeof schema>) => void = () => undefined;

class App extends CharmBase {
  static override readonly handleKind = 'App';
  readonly settings = new LeaderSettings(this, { schema });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.settings.on.leadershipChanged, this.onChanged);
    framework.observe(this.settings.on.leadershipSettled, this.onSettled);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
  }
  onChanged(event: LeadershipChangedEvent): void {
    seen.push(`changed ${event.key}: ${event.previous} -> ${event.current}`);
  }
  onSettled(): void {
    seen.push(`settled ${this.settings.get('password')}`);
  }
  onConfigChanged(): void {
    action(this.settings);
  }
  onUpdateStatus(): void {
    seen.push(`flags ${[...this.settings.flags()].sort().join(' ')}`);
  }
}

const ctx = new Context(App, { meta });
const run = async (event: ReturnType<typeof ctx.on.configChanged>, state: State) => {
  seen.length = 0;
  return ctx.run(event, state);
};

describe('LeaderSettings', () => {
  it('on the leader, set() writes the peer app databag and raises flags and events in the same hook', async () => {
    action = (s) => s.set({ password: 'p4ssw0rd-long' });
    const peers = new PeerRelation('cluster');
    const out = await run(ctx.on.configChanged(), new State({ leader: true, relations: [peers] }));
    expect(out.getRelation(peers.id).localAppData).toEqual({ password: 'p4ssw0rd-long' });
    expect(seen).toEqual(['changed password: null -> p4ssw0rd-long', 'settled p4ssw0rd-long']);
    const flags = (ctx.charm as App).settings.flags();
    expect([...flags].sort()).toEqual([
      'leadership.changed',
      'leadership.changed.password',
      'leadership.is_leader',
      'leadership.set.password',
    ]);
    // The next hook on the leader: nothing changed any more.
    const next = await run(ctx.on.updateStatus(), out);
    expect(seen).toEqual(['flags leadership.is_leader leadership.set.password']);
    expect(next.getRelation(peers.id).localAppData).toEqual({ password: 'p4ssw0rd-long' });
  });

  it('a follower sees a change for exactly one hook, whatever the hook', async () => {
    action = () => undefined;
    const peers = new PeerRelation('cluster', { localAppData: { password: 'from-the-leader' } });
    const first = await run(ctx.on.updateStatus(), new State({ relations: [peers] }));
    expect(seen).toEqual([
      'changed password: null -> from-the-leader',
      'settled from-the-leader',
      'flags leadership.changed leadership.changed.password leadership.set.password',
    ]);
    await run(ctx.on.updateStatus(), first);
    expect(seen).toEqual(['flags leadership.set.password']);
    // A new value (and a deleted key) is a change again.
    const changed = first.with({
      relations: [peers.with({ localAppData: { password: 'rotated-value', mode: 'x' } })],
    });
    const again = await run(ctx.on.updateStatus(), changed);
    expect(seen.slice(0, 2)).toEqual([
      'changed mode: null -> x',
      'changed password: from-the-leader -> rotated-value',
    ]);
    await run(
      ctx.on.updateStatus(),
      again.with({ relations: [peers.with({ localAppData: { password: 'rotated-value' } })] }),
    );
    expect(seen[0]).toBe('changed mode: x -> null');
  });

  it('refuses set() on a follower, before the peer relation exists, and against the schema', async () => {
    action = (s) => s.set({ password: 'long-enough' });
    await expect(
      run(ctx.on.configChanged(), new State({ relations: [new PeerRelation('cluster')] })),
    ).rejects.toMatchObject({
      cause: expect.any(NotLeaderForSettingsError),
    });
    const early = await run(ctx.on.updateStatus(), new State({ leader: true }));
    expect(early.deferred).toEqual([]);
    expect((ctx.charm as App).settings.available).toBe(false);
    await expect(run(ctx.on.configChanged(), new State({ leader: true }))).rejects.toMatchObject({
      cause: expect.any(LeaderSettingsUnavailableError),
    });
    action = (s) => s.set({ password: 'short' });
    const error = await run(
      ctx.on.configChanged(),
      new State({ leader: true, relations: [new PeerRelation('cluster')] }),
    ).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(LeaderSettingsValidationError);
    expect(((error as Error).cause as Error).message).toMatch(/^leader settings rejected: password: /);
  });

  it('deletes a key set to null and clears its flag', async () => {
    action = (s) => s.set({ mode: null });
    const peers = new PeerRelation('cluster', { localAppData: { password: 'p4ssw0rd-long', mode: 'fast' } });
    const state = await run(ctx.on.updateStatus(), new State({ leader: true, relations: [peers] }));
    const out = await run(ctx.on.configChanged(), state);
    expect(out.getRelation(peers.id).localAppData).toEqual({ password: 'p4ssw0rd-long' });
    expect(seen).toEqual(['changed mode: fast -> null', 'settled p4ssw0rd-long']);
    expect((ctx.charm as App).settings.flags().has('leadership.set.mode')).toBe(false);
  });
});

describe('LeaderSettings on Juju 3.6 and 4', () => {
  const legacyCtx = (jujuVersion: string) => new Context(App, { meta, jujuVersion });

  it('on 3.6 the leader copies leader-get settings into the peer databag once, and 4 then reads them', async () => {
    action = () => undefined;
    const peers = new PeerRelation('cluster');
    const on36 = legacyCtx('3.6.8');
    // A charm that used leader-set: the password lives in Juju's leader settings only.
    const before = new State({
      leader: true,
      relations: [peers],
      leaderSettings: { password: 'from-leader-set', unrelated: 'x' },
    });
    const migrated = await on36.run(on36.on.updateStatus(), before);
    // Only the schema's keys move; leader settings stay as they were.
    expect(migrated.getRelation(peers.id).localAppData).toEqual({ password: 'from-leader-set' });
    expect(migrated.leaderSettings).toEqual({ password: 'from-leader-set', unrelated: 'x' });
    expect(on36.toolCalls.filter((c) => c === 'leader-get')).toHaveLength(1);
    // Once per unit: the next hook asks no more.
    await on36.run(on36.on.updateStatus(), migrated);
    expect(on36.toolCalls).not.toContain('leader-get');

    // The model moves to Juju 4: leader settings are gone, the databag is what remains.
    const on4 = legacyCtx('4.0.0');
    const upgraded = new State({ leader: false, relations: [migrated.getRelation(peers.id)] });
    await on4.run(on4.on.updateStatus(), upgraded);
    expect((on4.charm as App).settings.get('password')).toBe('from-leader-set');
    expect(on4.toolCalls).not.toContain('leader-get');
  });

  it('never overwrites what the databag holds, and a key deleted on 3.6 is deleted from leader settings too', async () => {
    const peers = new PeerRelation('cluster', { localAppData: { password: 'databag-wins' } });
    const on36 = legacyCtx('3.6.8');
    action = (s) => s.set({ mode: null });
    const out = await on36.run(
      on36.on.configChanged(),
      new State({ leader: true, relations: [peers], leaderSettings: { password: 'old-one!', mode: 'ha' } }),
    );
    expect(out.getRelation(peers.id).localAppData).toEqual({ password: 'databag-wins' });
    // mode was imported, then deleted by set(): gone from both, so no later leader brings it back.
    expect(out.leaderSettings).toEqual({ password: 'old-one!' });
  });

  it('on 4 the peer backend never calls leader-get, and the leader-set backend fails at once with RemovedInJuju4Error', async () => {
    action = (s) => s.set({ password: 'p4ssw0rd-long' });
    const peers = new PeerRelation('cluster');
    const on4 = legacyCtx('4.0.0');
    const out = await on4.run(on4.on.configChanged(), new State({ leader: true, relations: [peers] }));
    expect(out.getRelation(peers.id).localAppData).toEqual({ password: 'p4ssw0rd-long' });
    expect(on4.toolCalls.some((c) => c.startsWith('leader-'))).toBe(false);

    class Legacy extends CharmBase {
      static override readonly handleKind = 'Legacy';
      readonly settings = new LeaderSettings(this, { schema, backend: 'leader-set' });
    }
    const legacy4 = new Context(Legacy, { meta, jujuVersion: '4.0.0' });
    const uncaught = await legacy4.run(legacy4.on.install(), new State()).catch((e: unknown) => e);
    // Context wraps what the charm threw; the cause is the typed error.
    const failure = (uncaught as Error).cause;
    expect(failure).toBeInstanceOf(RemovedInJuju4Error);
    expect((failure as RemovedInJuju4Error).code).toBe('CHARMKIT_REMOVED_IN_JUJU_4');
    expect(String(failure)).toMatch(/removed in Juju 4.*backend "peer"/);
    // The same charm still runs on 3.6.
    const legacy36 = new Context(Legacy, { meta, jujuVersion: '3.6.8' });
    await expect(legacy36.run(legacy36.on.install(), new State())).resolves.toBeDefined();
  });
});
