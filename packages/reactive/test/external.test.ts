import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Relation, State, UncaughtCharmError } from '@charmkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalHandlerError, type FlagProvider } from '../src/index.js';
import { contextFor, flagsOf, withFlags } from './helpers/test-charm.js';

let charmDir: string;
beforeEach(() => {
  charmDir = mkdtempSync(join(tmpdir(), 'reactive-external-'));
});
afterEach(() => rmSync(charmDir, { recursive: true, force: true }));

function handler(path: string, body: string): void {
  const file = join(charmDir, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, body);
  chmodSync(file, 0o755);
}

const bash = (body: string): string =>
  `#!/bin/bash\nset -euo pipefail\nsource reactive.sh\n${body}\nreactive_handler_main "$@"\n`;
const trace = (ctx: {
  charm: { reactive: { trace: readonly { phase: string; round: number; handler: string }[] } } | null;
}) => ctx.charm?.reactive.trace.map((t) => `${t.phase === 'hook' ? 'hook' : `r${t.round}`}:${t.handler}`);

// Each test runs bash handlers as real processes: generous for a loaded 2-core CI machine.
describe('external handlers', { timeout: 60_000 }, () => {
  it('runs bash handlers that see every flag of the dispatch and set flags TypeScript handlers react to', async () => {
    handler(
      'reactive/app.sh',
      bash(`
@when 'db.ready' '!app.configured'
function configure() {
  echo "flags: $(get_flags | tr '\\n' ' ')"
  is_flag_set leader.flag && echo "sees the provider's flag"
  set_flag app.configured
  clear_flag db.ready
}

@when_not 'db.ready'
@when_any 'app.configured' 'never'
function after() { echo "hook=$JUJU_HOOK_NAME round=$CHARMKIT_REACTIVE_ROUND extra=$EXTRA"; }
`),
    );
    const provider: FlagProvider = { flags: () => ['leader.flag'] };
    const ctx = contextFor(
      (_charm, r) => {
        r.addFlagProvider(provider, { prefix: 'leader.' });
        r.hook('config-changed', function setReady() {
          r.flags.set('db.ready');
        });
        r.when('app.configured', function useIt() {});
      },
      { charmDir, externalDir: 'reactive', env: () => ({ EXTRA: 'yes' }) },
    );
    const out = await ctx.run(ctx.on.configChanged(), new State());
    expect(trace(ctx)).toEqual([
      'hook:setReady',
      'r0:reactive/app.sh:configure',
      'r1:useIt',
      'r1:reactive/app.sh:after',
    ]);
    expect(flagsOf(out)).toEqual(['app.configured']);
    const lines = ctx.jujuLog.map((l) => l.message);
    expect(lines).toContain('reactive/app.sh: flags: db.ready leader.flag ');
    expect(lines).toContain("reactive/app.sh: sees the provider's flag");
    expect(lines).toContain('reactive/app.sh: hook=config-changed round=1 extra=yes');
  });

  it('keeps file hashes per handler, consumed when a bash handler runs; restarts after a TypeScript render', async () => {
    const conf = join(charmDir, 'app.conf');
    handler(
      'reactive/restart.sh',
      bash(`
@when_file_changed app.conf
function restart() { echo restarted >> restarts.log; }

@only_once
function first_boot() { echo once >> restarts.log; }
`),
    );
    let content = 'v1';
    const ctx = contextFor(
      (_charm, r) => {
        r.when('ready', function render() {
          writeFileSync(conf, content);
        });
      },
      { charmDir },
    );
    {
      const state = withFlags(new State(), ['ready']);
      const one = await ctx.run(ctx.on.configChanged(), state);
      expect(trace(ctx)).toEqual([
        'r0:render',
        'r0:reactive/restart.sh:first_boot',
        'r1:reactive/restart.sh:restart',
      ]);
      const two = await ctx.run(ctx.on.configChanged(), one);
      expect(trace(ctx)).toEqual(['r0:render']);
      content = 'v2';
      await ctx.run(ctx.on.configChanged(), two);
      expect(trace(ctx)).toEqual(['r0:render', 'r1:reactive/restart.sh:restart']);
    }
    expect(readFileSync(join(charmDir, 'restarts.log'), 'utf8')).toBe('once\nrestarted\nrestarted\n');
  });

  it('matches @hook patterns in bash, {role:interface} included', async () => {
    handler(
      'reactive/hooks.sh',
      bash(`
@hook '{requires:pgsql}-relation-{joined,changed}'
function db_hook() { set_flag "saw.$JUJU_HOOK_NAME"; }

@hook 'update-status'
function tick() { :; }
`),
    );
    const ctx = contextFor(() => undefined, { charmDir });
    const db = new Relation('db', { remoteAppName: 'postgresql' });
    const out = await ctx.run(ctx.on.relationJoined(db), new State({ relations: [db] }));
    expect(trace(ctx)).toEqual(['hook:reactive/hooks.sh:db_hook']);
    expect(flagsOf(out)).toContain('saw.db-relation-joined');
    await ctx.run(ctx.on.configChanged(), out);
    expect(trace(ctx)).toEqual([]);
  });

  it('runs handlers in any language through the charmkit-reactive command, in registration order', async () => {
    handler(
      'reactive/plain',
      `#!/bin/sh
case $1 in
  --test)
    # Without reactive.sh, a handler checks the phase itself: flag conditions belong to "flags".
    [ "$CHARMKIT_REACTIVE_PHASE" = flags ] || exit 1
    charmkit-reactive all go && ! charmkit-reactive is-set plain.done && echo work && exit 0; exit 1 ;;
  --invoke) [ "$2" = work ] && charmkit-reactive set plain.done && charmkit-reactive toggle go false ;;
esac
`,
    );
    handler('reactive/zzz.sh', bash(`@when plain.done\nfunction late() { :; }`));
    handler('reactive/.hidden', '#!/bin/sh\nexit 3\n');
    writeFileSync(join(charmDir, 'reactive', 'not-executable.sh'), '#!/bin/sh\nexit 3\n');
    const ctx = contextFor(
      (_charm, r) => {
        r.when('go', function before() {});
        r.external('reactive/zzz.sh');
        r.when('go', function between() {});
      },
      { charmDir },
    );
    const out = await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['go']));
    expect(trace(ctx)).toEqual(['r0:before', 'r0:between', 'r1:reactive/zzz.sh:late']);
    expect(flagsOf(out)).toEqual(['plain.done']);
  });

  it('applies triggers to flags a handler set, when it exits', async () => {
    handler(
      'reactive/set.sh',
      bash(
        `@when start\nfunction go() { set_flag db.changed; is_flag_set reconfigure || echo 'no trigger yet'; clear_flag start; }`,
      ),
    );
    const ctx = contextFor((_charm, r) => r.trigger({ when: 'db.changed', set: ['reconfigure'] }), {
      charmDir,
    });
    const out = await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['start']));
    expect(flagsOf(out)).toEqual(['db.changed', 'reconfigure']);
    expect(ctx.jujuLog.map((l) => l.message)).toContain('reactive/set.sh: no trigger yet');
  });

  it('fails the hook when a handler fails, keeping none of its flag changes', async () => {
    handler(
      'reactive/fail.sh',
      bash(
        `@when start\nfunction broken() { set_flag half.done; echo 'cannot reach the service' >&2; return 4; }`,
      ),
    );
    const ctx = contextFor(() => undefined, { charmDir });
    const error = await ctx
      .run(ctx.on.updateStatus(), withFlags(new State(), ['start']))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    const cause = (error as Error).cause as ExternalHandlerError;
    expect(cause).toBeInstanceOf(ExternalHandlerError);
    expect(cause.message).toMatch(
      /reactive\/fail\.sh --invoke broken exited with status 4:\ncannot reach the service/,
    );
  });

  it('fails the hook when --test breaks the protocol instead of silently skipping the file', async () => {
    handler('reactive/crash', '#!/bin/sh\necho oops >&2\nexit 3\n');
    const crash = contextFor(() => undefined, { charmDir });
    await expect(crash.run(crash.on.updateStatus(), new State())).rejects.toThrow(
      /reactive\/crash --test exited with status 3:\noops/,
    );
    rmSync(join(charmDir, 'reactive', 'crash'));
    handler('reactive/noisy', '#!/bin/sh\necho "Reading package lists..."\n');
    const noisy = contextFor(() => undefined, { charmDir });
    await expect(noisy.run(noisy.on.updateStatus(), new State())).rejects.toThrow(/expected function names/);
  });

  it('refuses flags of a provider namespace from bash', async () => {
    handler('reactive/lead.sh', bash(`@when start\nfunction grab() { set_flag leadership.is_leader; }`));
    const ctx = contextFor((_c, r) => r.addFlagProvider({ flags: () => [] }, { prefix: 'leadership.' }), {
      charmDir,
    });
    await expect(ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['start']))).rejects.toThrow(
      /leadership\.is_leader belongs to a flag provider/,
    );
  });

  it('re-tests bash functions before invoking them, and applies the round filter', async () => {
    handler(
      'reactive/order.sh',
      bash(`
@when a
function first() { clear_flag b; set_flag c; }

@when b
function second() { echo 'should not run'; }

@when c
function third() { :; }

@when a
function again() { :; }
`),
    );
    const ctx = contextFor(() => undefined, { charmDir });
    await ctx.run(ctx.on.updateStatus(), withFlags(new State(), ['a', 'b']));
    expect(trace(ctx)).toEqual([
      'r0:reactive/order.sh:first',
      'r0:reactive/order.sh:again',
      'r1:reactive/order.sh:third',
    ]);
    expect(ctx.jujuLog.map((l) => l.message)).toContain(
      'reactive/order.sh (stderr): reactive.sh: skipping second: its conditions no longer hold',
    );
  });
});
