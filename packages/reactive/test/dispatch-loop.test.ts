import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Relation, State, UncaughtCharmError } from '@charmkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HandlerCall, HandlerDefinitionError, ReactiveCycleError } from '../src/index.js';
import { contextFor, flagsOf, withFlags } from './helpers/test-charm.js';

const steps = (ctx: {
  charm: { reactive: { trace: readonly { phase: string; round: number; handler: string }[] } } | null;
}) => ctx.charm?.reactive.trace.map((t) => `${t.phase === 'hook' ? 'hook' : `r${t.round}`}:${t.handler}`);

describe('the dispatch loop', () => {
  it('runs the hook phase, then rounds that re-test only handlers whose flags changed', async () => {
    const ran: string[] = [];
    const ctx = contextFor((_charm, r) => {
      r.hook('config-changed', function onConfig() {
        ran.push('onConfig');
        r.flags.set('configured');
      });
      r.when(['configured', '!started'], function start() {
        ran.push('start');
        r.flags.set('started');
      });
      r.when('started', function announce() {
        ran.push('announce');
      });
      r.whenNot('configured', function waiting() {
        ran.push('waiting');
      });
    });
    const out = await ctx.run(ctx.on.configChanged(), new State());
    expect(steps(ctx)).toEqual(['hook:onConfig', 'r0:start', 'r1:announce']);
    expect(flagsOf(out)).toEqual(['configured', 'started']);

    // Flags persist: in the next hook every handler is tested again, and `announce` runs again.
    ran.length = 0;
    await ctx.run(ctx.on.updateStatus(), out);
    expect(ran).toEqual(['announce']);
    expect(steps(ctx)).toEqual(['r0:announce']);
  });

  it('tests each handler again right before it runs; flags set mid-round add handlers only in the next round', async () => {
    const ctx = contextFor((_charm, r) => {
      r.when('a', function first() {
        r.flags.clear('b');
        r.flags.set('c');
      });
      r.when('b', function second() {});
      r.when('c', function third() {});
    });
    await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['a', 'b']));
    expect(steps(ctx)).toEqual(['r0:first', 'r1:third']);
    expect(ctx.jujuLog.some((l) => /round 0: second no longer matches; skipped/.test(l.message))).toBe(true);
  });

  it('runs a handler twice in one hook when one of its flags changes and it matches again', async () => {
    const ctx = contextFor((_charm, r) => {
      r.when('a', function watcher() {});
      r.when(['x', '!y'], function toggler() {
        r.flags.clear('a');
        r.flags.set('a');
        r.flags.set('y');
      });
    });
    await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['a', 'x']));
    expect(steps(ctx)).toEqual(['r0:watcher', 'r0:toggler', 'r1:watcher']);
  });

  it('runs handlers in registration order, whatever their flags are called', async () => {
    const ctx = contextFor((_charm, r) => {
      r.when('zz', function z() {});
      r.when('aa', function a() {});
      r.whenAny(['mm', 'nope'], function m() {});
    });
    await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['aa', 'mm', 'zz']));
    expect(steps(ctx)).toEqual(['r0:z', 'r0:a', 'r0:m']);
  });

  it('stops a cycle at the cap with an error naming the handlers still cycling, and rolls back', async () => {
    const ctx = contextFor(
      (_charm, r) => {
        r.when('a', function ping() {
          r.flags.clear('a');
          r.flags.set('b');
        });
        r.when('b', function pong() {
          r.flags.clear('b');
          r.flags.set('a');
        });
        r.when('a', function bystander() {}, { whenNone: 'never' });
      },
      { maxRounds: 10 },
    );
    const error = await ctx
      .run(ctx.on.updateStatus(), withFlags(new State(), ['a']))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    const cause = (error as UncaughtCharmError).cause;
    expect(cause).toBeInstanceOf(ReactiveCycleError);
    expect((cause as ReactiveCycleError).code).toBe('CHARMKIT_REACTIVE_CYCLE');
    expect((cause as ReactiveCycleError).message).toMatch(
      /still cycling after 10 rounds: ping, bystander \(flags changed in the last round: a, b\)/,
    );
    expect((cause as ReactiveCycleError).handlers).toEqual(['ping', 'bystander']);
  });

  it('checks whenAny, whenNot/whenNone, whenNotAll and combined conditions', async () => {
    const ctx = contextFor((_charm, r) => {
      r.whenAny(['a', 'missing'], function anyA() {});
      r.whenAny(['missing', '!other'], function anyNegated() {});
      r.whenNot(['missing', 'also-missing'], function none() {});
      r.whenNone('a', function noneA() {});
      r.whenNotAll(['a', 'b'], function notAll() {});
      r.whenNotAll(['a', 'missing'], function notAllMissing() {});
      r.when(['a', 'b'], function combined() {}, { whenAny: ['missing', 'b'], whenNone: 'other' });
    });
    await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['a', 'b']));
    expect(steps(ctx)).toEqual(['r0:anyA', 'r0:anyNegated', 'r0:none', 'r0:notAllMissing', 'r0:combined']);
  });

  it('calls handlers with the charm as `this`, awaits async ones, and tells them the hook', async () => {
    const calls: HandlerCall[] = [];
    let self: unknown;
    const ctx = contextFor((charm, r) => {
      r.when('a', async function slow(this: unknown, call) {
        self = this;
        calls.push(call);
        await new Promise((resolve) => setTimeout(resolve, 5));
        r.flags.set('slow.done');
      });
      r.when('slow.done', (call) => void calls.push(call), { name: 'after' });
      expect(charm.reactive).toBe(r);
    });
    const state = withFlags(new State(), ['a']);
    await ctx.run(ctx.on.configChanged(), state);
    expect(self).toBe(ctx.charm);
    expect(calls).toEqual([
      { handler: 'slow', hook: 'config-changed', phase: 'flags', round: 0 },
      { handler: 'after', hook: 'config-changed', phase: 'flags', round: 1 },
    ]);
  });

  it('matches hook patterns with alternation and {role:interface}', async () => {
    const seen: string[] = [];
    const ctx = contextFor((_charm, r) => {
      r.hook('{requires:pgsql}-relation-{joined,changed}', (call) => void seen.push(`db:${call.hook}`), {
        name: 'db',
      });
      r.hook(['{install,upgrade-charm}', 'config-changed'], (call) => void seen.push(`setup:${call.hook}`), {
        name: 'setup',
      });
    });
    const db = new Relation('db', { remoteAppName: 'postgresql' });
    const state = new State({ relations: [db] });
    await ctx.run(ctx.on.relationJoined(db), state);
    await ctx.run(ctx.on.relationChanged(db), state);
    await ctx.run(ctx.on.relationDeparted(db), state);
    await ctx.run(ctx.on.install(), state);
    await ctx.run(ctx.on.configChanged(), state);
    expect(seen).toEqual([
      'db:db-relation-joined',
      'db:db-relation-changed',
      'setup:install',
      'setup:config-changed',
    ]);
    expect(ctx.charm?.reactive.hookName).toBe('config-changed');
  });

  it('runs only the hook phase in restricted hooks, and nothing in actions unless asked', async () => {
    const ctx = contextFor((_charm, r) => {
      r.hook('collect-metrics', function metrics() {});
      r.when('a', function flagged() {});
    });
    const state = withFlags(new State(), ['a']);
    await ctx.run({ dispatchPath: 'hooks/collect-metrics', env: {} }, state);
    expect(steps(ctx)).toEqual(['hook:metrics']);
    await ctx.runAction(ctx.on.action('backup'), state);
    expect(steps(ctx)).toEqual([]);
    const inActions = contextFor((_charm, r) => r.when('a', function flagged() {}), { inActions: true });
    await inActions.runAction(inActions.on.action('backup'), state);
    expect(steps(inActions)).toEqual(['r0:flagged']);
    expect(inActions.charm?.reactive.hookName).toBe('backup');
  });

  it('fails the hook when a handler throws; nothing it set is kept', async () => {
    const ctx = contextFor((_charm, r) => {
      r.when('a', function broken() {
        r.flags.set('half-done');
        throw new Error('boom');
      });
    });
    await expect(ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['a']))).rejects.toThrow(/boom/);
  });

  it('rejects handlers without a name, with a duplicate name, without conditions, or registered late', async () => {
    const fails = async (setup: Parameters<typeof contextFor>[0], state = new State()): Promise<unknown> => {
      const ctx = contextFor(setup);
      const error = await ctx.run(ctx.on.install(), state).catch((e: unknown) => e);
      return (error as Error).cause;
    };
    const definition = (message: RegExp) =>
      expect.objectContaining({
        code: 'CHARMKIT_REACTIVE_HANDLER_DEFINITION',
        message: expect.stringMatching(message),
      });
    expect(await fails((_c, r) => r.when('a', () => undefined))).toEqual(definition(/has no name/));
    expect(
      await fails((_c, r) => {
        r.when('a', function same() {});
        r.when('b', function same() {});
      }),
    ).toEqual(definition(/two reactive handlers are named same/));
    expect(await fails((_c, r) => r.when([], function nothing() {}))).toEqual(
      definition(/has no conditions/),
    );
    expect(await fails((_c, r) => r.hook('{a,b', function unbalanced() {}))).toEqual(
      definition(/unbalanced/),
    );
    expect(await fails((_c, r) => r.when('bad flag', function bad() {}))).toMatchObject({
      code: 'CHARMKIT_REACTIVE_FLAG_NAME',
    });
    const late = await fails(
      (_c, r) =>
        r.when('a', function late() {
          r.when('b', function tooLate() {});
        }),
      withFlags(new State(), ['a']),
    );
    expect(late).toBeInstanceOf(HandlerDefinitionError);
  });
});

describe('onlyOnce and whenFileChanged', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reactive-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs an only-once handler in the first successful dispatch only', async () => {
    let fail = true;
    const ctx = contextFor((_charm, r) => {
      r.onlyOnce(function bootstrap() {
        if (fail) throw new Error('not yet');
      });
    });
    await expect(ctx.run(ctx.on.install(), new State())).rejects.toThrow(/not yet/);
    fail = false;
    const out = await ctx.run(ctx.on.install(), new State());
    expect(steps(ctx)).toEqual(['r0:bootstrap']);
    await ctx.run(ctx.on.configChanged(), out);
    expect(steps(ctx)).toEqual([]);
  });

  it('consumes a file change only when the handler runs, separately for each handler', async () => {
    const conf = join(dir, 'app.conf');
    const ctx = contextFor((_charm, r) => {
      r.when('installed', function restart() {}, { whenFileChanged: conf });
      r.whenFileChanged(conf, function audit() {});
    });
    writeFileSync(conf, 'one');
    // `restart` waits for its flag; the change stays pending for it (charms.reactive lost it here).
    let state = await ctx.run(ctx.on.configChanged(), new State());
    expect(steps(ctx)).toEqual(['r0:audit']);
    state = await ctx.run(ctx.on.configChanged(), withFlags(state, ['installed']));
    expect(steps(ctx)).toEqual(['r0:restart']);
    state = await ctx.run(ctx.on.configChanged(), state);
    expect(steps(ctx)).toEqual([]);
    writeFileSync(conf, 'two');
    state = await ctx.run(ctx.on.configChanged(), state);
    expect(steps(ctx)).toEqual(['r0:restart', 'r0:audit']);
    rmSync(conf);
    await ctx.run(ctx.on.configChanged(), state);
    expect(steps(ctx)).toEqual(['r0:restart', 'r0:audit']);
  });

  it('re-tests file handlers in every round: a file rendered in round 0 restarts in round 1, once', async () => {
    const conf = join(dir, 'app.conf');
    let content = 'v1';
    const ctx = contextFor((_charm, r) => {
      r.when('ready', function render() {
        writeFileSync(conf, content);
      });
      r.whenFileChanged(conf, function restart() {});
    });
    let state = await ctx.run(ctx.on.configChanged(), withFlags(new State(), ['ready']));
    expect(steps(ctx)).toEqual(['r0:render', 'r1:restart']);
    state = await ctx.run(ctx.on.configChanged(), state);
    expect(steps(ctx)).toEqual(['r0:render']);
    content = 'v2';
    await ctx.run(ctx.on.configChanged(), state);
    expect(steps(ctx)).toEqual(['r0:render', 'r1:restart']);
  });
});
