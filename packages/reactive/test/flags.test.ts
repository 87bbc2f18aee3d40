import { State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { checkFlagName, type FlagProvider, ReadOnlyFlagError } from '../src/index.js';
import { contextFor, flagsOf, withFlags } from './helpers/test-charm.js';

/** A provider whose flags the test changes. */
class FakeProvider implements FlagProvider {
  current = new Set<string>();
  flags(): Iterable<string> {
    return this.current;
  }
}

describe('flags', () => {
  it('sets, clears, toggles and queries flags, and keeps them across dispatches', async () => {
    const seen: unknown[] = [];
    const ctx = contextFor((_charm, r) => {
      r.hook('install', function setup() {
        const f = r.flags;
        f.set('b');
        f.set('a');
        f.set('a');
        f.toggle('c', true);
        f.toggle('gone', false);
        f.clear('never-set');
        seen.push(f.isSet('a'), f.isSet('gone'), f.allSet(['a', 'b']), f.allSet([]), f.anySet(['x', 'c']));
        seen.push(f.anySet([]), f.all());
      });
      r.hook('config-changed', function later() {
        r.flags.clear('b');
        r.flags.toggle('c', false);
      });
    });
    const installed = await ctx.run(ctx.on.install(), new State());
    expect(seen).toEqual([true, false, true, true, true, false, ['a', 'b', 'c']]);
    expect(flagsOf(installed)).toEqual(['a', 'b', 'c']);
    const changed = await ctx.run(ctx.on.configChanged(), installed);
    expect(flagsOf(changed)).toEqual(['a']);
  });

  it('checks flag names', () => {
    expect(checkFlagName('endpoint.db.changed.host')).toBe('endpoint.db.changed.host');
    for (const bad of ['', 'two words', '!negated', 'a,b', 'tab\there', 'new\nline']) {
      expect(() => checkFlagName(bad)).toThrow(/invalid flag name/);
    }
  });

  it('fires triggers at the moment of the change, in chains, and only while registered', async () => {
    const log: string[] = [];
    const withTriggers = contextFor((_charm, r) => {
      r.trigger({ when: 'db.changed', clear: ['configured'], set: ['reconfigure'] });
      r.trigger({ when: 'reconfigure', callback: (flag) => void log.push(`callback ${flag}`) });
      r.trigger({ whenNot: 'db.joined', clear: ['db.ready'] });
      r.hook('config-changed', function change() {
        r.flags.set('db.changed');
        log.push(`configured? ${r.flags.isSet('configured')}`);
        r.flags.clear('db.joined');
        r.flags.set('db.changed'); // already set: no transition, no trigger
      });
    });
    const out = await withTriggers.run(
      withTriggers.on.configChanged(),
      withFlags(new State(), ['configured', 'db.joined', 'db.ready']),
    );
    expect(log).toEqual(['callback reconfigure', 'configured? false']);
    expect(flagsOf(out)).toEqual(['db.changed', 'reconfigure']);

    // Triggers are not stored: a dispatch that does not register them does not fire them.
    const without = contextFor((_charm, r) => {
      r.hook('config-changed', function change() {
        r.flags.set('db.changed');
      });
    });
    const plain = await without.run(without.on.configChanged(), withFlags(new State(), ['configured']));
    expect(flagsOf(plain)).toEqual(['configured', 'db.changed']);
  });

  it('rejects triggers without exactly one condition or without an action, and stops trigger loops', async () => {
    const errorOf = async (setup: Parameters<typeof contextFor>[0]): Promise<string> => {
      const ctx = contextFor(setup);
      const error = await ctx.run(ctx.on.configChanged(), new State()).catch((e: unknown) => e);
      return String((error as Error).cause);
    };
    expect(await errorOf((_c, r) => r.trigger({ when: 'a', whenNot: 'b', set: ['c'] } as never))).toMatch(
      /exactly one of `when` and `whenNot`/,
    );
    expect(await errorOf((_c, r) => r.trigger({ when: 'a' }))).toMatch(/at least one of/);
    expect(
      await errorOf((_c, r) => {
        r.trigger({ when: 'a', clear: ['b'] });
        r.trigger({ whenNot: 'b', set: ['b2'] });
        r.trigger({ when: 'b2', set: ['b'], clear: ['a'] });
        r.trigger({ when: 'b', set: ['a'], clear: ['b2'] });
        r.trigger({ whenNot: 'a', set: ['a'] });
        r.hook('config-changed', function go() {
          r.flags.set('b');
          r.flags.set('a');
        });
      }),
    ).toMatch(/TriggerLoopError: triggers are still firing after 50 nested changes/);
  });
});

describe('flag providers', () => {
  it('shows provider flags, protects their namespace, and counts their changes as flag changes', async () => {
    const provider = new FakeProvider();
    provider.current = new Set(['leadership.is_leader', 'leadership.set.admin-password']);
    const ran: string[] = [];
    let refused: unknown;
    const ctx = contextFor((_charm, r) => {
      r.addFlagProvider(provider, { prefix: 'leadership.' });
      r.trigger({ when: 'leadership.changed.admin-password', set: ['password.rewrite'] });
      r.when(['leadership.is_leader', '!leadership.set.token'], function publishToken() {
        ran.push('publishToken');
        // The leader writes: the provider's flags change during the round.
        provider.current.add('leadership.set.token');
        provider.current.add('leadership.changed.admin-password');
      });
      r.when('leadership.set.token', function useToken() {
        ran.push('useToken');
      });
      r.when('password.rewrite', function rewrite() {
        ran.push('rewrite');
        r.flags.clear('password.rewrite');
        try {
          r.flags.set('leadership.is_leader');
        } catch (error) {
          refused = error;
        }
      });
    });
    const out = await ctx.run(ctx.on.leaderElected(), new State({ leader: true }));
    expect(ran).toEqual(['publishToken', 'useToken', 'rewrite']);
    expect(refused).toBeInstanceOf(ReadOnlyFlagError);
    expect(ctx.charm?.reactive.trace.map((t) => `${t.round}:${t.handler}`)).toEqual([
      '0:publishToken',
      '1:useToken',
      '1:rewrite',
    ]);
    // Provider flags are never stored as flags.
    expect(flagsOf(out)).toEqual([]);
    expect(ctx.charm?.reactive.flags.all()).toEqual([
      'leadership.changed.admin-password',
      'leadership.is_leader',
      'leadership.set.admin-password',
      'leadership.set.token',
    ]);

    // Next dispatch: the one-hook flag is gone, which counts as a change (no trigger on it); the
    // trigger does not fire again, since the flag did not become set again.
    provider.current.delete('leadership.changed.admin-password');
    ran.length = 0;
    await ctx.run(ctx.on.updateStatus(), out);
    expect(ran).toEqual(['useToken']);
  });

  it('protects the flags a provider without a prefix reports', async () => {
    const provider = new FakeProvider();
    provider.current = new Set(['coordinator.granted.restart']);
    let error: unknown;
    const ctx = contextFor((_charm, r) => {
      r.addFlagProvider(provider);
      r.hook('update-status', function grab() {
        try {
          r.flags.clear('coordinator.granted.restart');
        } catch (e) {
          error = e;
        }
        r.flags.set('coordinator.requested.restart');
      });
    });
    const out = await ctx.run(ctx.on.updateStatus(), new State());
    expect((error as ReadOnlyFlagError).code).toBe('CHARMKIT_REACTIVE_READ_ONLY_FLAG');
    expect(flagsOf(out)).toEqual(['coordinator.requested.restart']);
  });
});
