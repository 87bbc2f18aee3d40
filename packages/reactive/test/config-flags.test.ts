import { parseCharmMeta } from '@charmkit/ops';
import { State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { ConfigFlags, expandHookPattern } from '../src/index.js';
import { contextFor, testMeta } from './helpers/test-charm.js';

describe('ConfigFlags', () => {
  it('derives config.set, config.default and one-dispatch config.changed flags, storing only hashes', async () => {
    let seen: string[] = [];
    let refused = '';
    const ctx = contextFor((_charm, r) => {
      new ConfigFlags(r);
      r.when('config.changed', function look() {
        seen = r.flags.all();
        try {
          r.flags.set('config.set.port');
        } catch (error) {
          refused = (error as Error).name;
        }
      });
    });
    const first = await ctx.run(ctx.on.install(), new State({ config: { 'admin-pass': 'hunter2-long' } }));
    expect(seen).toEqual([
      'config.changed',
      'config.changed.admin-pass',
      'config.changed.port',
      'config.default.port',
      'config.set.admin-pass',
      'config.set.port',
    ]);
    expect(refused).toBe('ReadOnlyFlagError');
    expect(JSON.stringify(first.storedStates)).not.toContain('hunter2');

    seen = [];
    const same = await ctx.run(ctx.on.updateStatus(), first);
    expect(seen).toEqual([]);
    const changed = await ctx.run(
      ctx.on.configChanged(),
      same.with({ config: { 'admin-pass': '', port: 8080 } }),
    );
    expect(seen).toEqual([
      'config.changed',
      'config.changed.admin-pass',
      'config.changed.port',
      'config.set.port',
    ]);
    expect(changed.storedStates.length).toBeGreaterThan(0);
  });
});

describe('expandHookPattern', () => {
  const meta = parseCharmMeta(testMeta);
  it('expands alternation, nested groups and {role:interface}', () => {
    expect(expandHookPattern('config-changed', meta)).toEqual(['config-changed']);
    expect(expandHookPattern('{install,upgrade-charm,{start,stop}}', meta)).toEqual([
      'install',
      'upgrade-charm',
      'start',
      'stop',
    ]);
    expect(expandHookPattern('{provides:http}-relation-{joined,departed}', meta)).toEqual([
      'website-relation-joined',
      'website-relation-departed',
      'admin-relation-joined',
      'admin-relation-departed',
    ]);
    expect(expandHookPattern('{requires:mysql}-relation-joined', meta)).toEqual([]);
    expect(() => expandHookPattern('config_changed', meta)).toThrow(/not a hook name/);
    expect(() => expandHookPattern('a}', meta)).toThrow(/unbalanced/);
  });
});
