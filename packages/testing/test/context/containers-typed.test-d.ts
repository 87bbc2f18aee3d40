import { CharmBase, type CharmTypes, type Framework } from '@charmkit/ops';
import { describe, expectTypeOf, it } from 'vitest';
import { Container, Context, PeerRelation, Relation, State } from '../../src/index.js';

// What `charmkit typegen` writes for a charm with these declarations.
interface WebTypes extends CharmTypes {
  readonly config: { readonly port: number; readonly mode: string };
  readonly actions: {
    readonly backup: { readonly to: string; readonly level?: number };
    readonly restart: Readonly<Record<string, never>>;
  };
  readonly relations: 'db' | 'cluster';
  readonly containers: 'web';
  readonly storages: 'data';
}

class WebCharm extends CharmBase<WebTypes> {
  constructor(framework: Framework) {
    super(framework);
  }
}

class UntypedCharm extends CharmBase {}

const ctx = new Context(WebCharm);
const web = new Container('web');
const db = new Relation('db');

describe('a Context of a typed charm', () => {
  it('checks names in ctx.on', () => {
    ctx.on.pebbleReady(web);
    ctx.on.pebbleReady('web');
    // @ts-expect-error an undeclared container
    ctx.on.pebbleReady(new Container('wbe'));
    // @ts-expect-error nor by name
    ctx.on.pebbleReady('wbe');
    // @ts-expect-error
    ctx.on.pebbleCheckFailed(new Container('redis'), 'up');
    ctx.on.relationChanged(db);
    ctx.on.relationJoined(new PeerRelation('cluster'));
    // @ts-expect-error a misspelt endpoint
    ctx.on.relationChanged(new Relation('dbb'));
    ctx.on.storageAttached('data');
    // @ts-expect-error an undeclared storage
    ctx.on.storageAttached('logs');
    ctx.on.action('backup', { to: 's3' });
    ctx.on.action('backup', { to: 's3', level: 3 });
    // @ts-expect-error a misspelt action
    ctx.on.action('backpu');
    // @ts-expect-error a misspelt parameter
    ctx.on.action('backup', { too: 's3' });
    // @ts-expect-error a parameter of the wrong type
    ctx.on.action('backup', { to: 3 });
  });

  it('checks names in the State it runs', () => {
    void ctx.run(
      ctx.on.configChanged(),
      new State({ config: { port: 80 }, relations: [db], containers: [web] }),
    );
    // @ts-expect-error a misspelt config key
    void ctx.run(ctx.on.configChanged(), new State({ config: { prot: 80 } }));
    // @ts-expect-error a config value of the wrong type
    void ctx.run(ctx.on.configChanged(), new State({ config: { port: '80' } }));
    // @ts-expect-error an undeclared endpoint
    void ctx.run(ctx.on.configChanged(), new State({ relations: [new Relation('cache')] }));
    // @ts-expect-error an undeclared container
    void ctx.run(ctx.on.configChanged(), new State({ containers: [new Container('redis')] }));
    const built = new State({ config: { mode: 'fast', port: 1, prto: 2 } });
    // @ts-expect-error a state built beforehand is checked too
    void ctx.runAction(ctx.on.action('restart'), built);
  });

  it('lets a state be carried from run to run', async () => {
    let state = new State({ config: { port: 80 } });
    state = await ctx.run(ctx.on.configChanged(), state);
    state = await ctx.run(ctx.on.updateStatus(), state.with({ leader: true }));
    expectTypeOf(state).toExtend<State>();
  });
});

describe('a Context of an untyped charm', () => {
  it('takes any name', () => {
    const untyped = new Context(UntypedCharm);
    untyped.on.pebbleReady('anything');
    untyped.on.action('whatever', { any: 1 });
    void untyped.run(
      untyped.on.configChanged(),
      new State({ config: { free: 'x' }, relations: [new Relation('x')] }),
    );
  });
});
