import { type ActionEvent, ActiveStatus, CharmBase, type Framework } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Context, DEFAULT_JUJU_VERSION, State } from '../../src/index.js';

const meta = {
  metadata: { name: 'shop' },
  config: {
    options: {
      'listen-port': { type: 'int', default: 8080 },
      'log-level': { type: 'string', default: 'info' },
    },
  },
  actions: {
    restock: { params: { 'item-name': { type: 'string' }, count: { type: 'integer', default: 1 } } },
  },
};

const Config = z.object({ listenPort: z.int().check(z.gte(1024)), logLevel: z.enum(['debug', 'info']) });
const Restock = z.object({ itemName: z.string().check(z.minLength(3)), count: z.int().check(z.lte(10)) });

class ShopCharm extends CharmBase {
  static override readonly handleKind = 'ShopCharm';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.action('restock'), this.onRestock);
  }
  onConfigChanged(): void {
    const config = this.loadConfig(Config);
    this.unit.status = new ActiveStatus(`listening on ${config.listenPort}`);
  }
  onRestock(event: ActionEvent): void {
    const params = event.loadParams(Restock);
    event.setResults({ restocked: `${params.count} ${params.itemName}` });
  }
}

describe('loadConfig and loadParams through Context', () => {
  const ctx = new Context(ShopCharm, { meta });

  it('loads valid config and params into the schemas', async () => {
    const out = await ctx.run(ctx.on.configChanged(), new State({ config: { 'listen-port': 9000 } }));
    expect(out.unitStatus).toEqual({ name: 'active', message: 'listening on 9000' });
    const action = await ctx.runAction(ctx.on.action('restock', { 'item-name': 'tea' }), new State());
    expect(action.failure).toBeNull();
    expect(action.results).toEqual({ restocked: '1 tea' });
  });

  it('sets blocked status on invalid config and ends the hook cleanly', async () => {
    const out = await ctx.run(ctx.on.configChanged(), new State({ config: { 'listen-port': 80 } }));
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'Invalid config: listen-port: must be at least 1024',
    });
  });

  it('fails the action with a message naming the param, not the hook', async () => {
    const out = await ctx.runAction(ctx.on.action('restock', { 'item-name': 'x', count: 50 }), new State());
    expect(out.failure).toBe(
      'invalid parameters: item-name: must have at least 3 characters; count: must be at most 10',
    );
    expect(out.results).toEqual({});
  });

  it('fails the action when a param does not match actions.yaml, before the handler runs', async () => {
    const out = await ctx.runAction(
      ctx.on.action('restock', { 'item-name': 'tea', count: 'many' }),
      new State(),
    );
    expect(out.failure).toBe('invalid parameters for action "restock": count: expected number, got string');
  });
});

describe('Context jujuVersion', () => {
  it('defaults to Juju 4, where unknown params of an action without additionalProperties are refused', async () => {
    expect(DEFAULT_JUJU_VERSION).toMatch(/^4\./);
    const ctx = new Context(ShopCharm, { meta });
    const out = await ctx.runAction(
      ctx.on.action('restock', { 'item-name': 'tea', colour: 'red' }),
      new State(),
    );
    expect(out.failure).toBe('invalid parameters for action "restock": unknown parameter(s) colour');
    expect(out.results).toEqual({});
  });

  it('as Juju 3.6, keeps unknown params', async () => {
    const ctx = new Context(ShopCharm, { meta, jujuVersion: '3.6.12' });
    const out = await ctx.runAction(
      ctx.on.action('restock', { 'item-name': 'tea', colour: 'red' }),
      new State(),
    );
    expect(out.failure).toBeNull();
  });
});
