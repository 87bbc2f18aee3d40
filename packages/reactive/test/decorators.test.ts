import { CharmBase, type CharmClass } from '@charmkit/ops';
import { Context, State } from '@charmkit/testing';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as reactive from '../src/index.js';
import { testMeta } from './helpers/test-charm.js';

// vitest 4 with vite 8 (oxc) leaves standard decorators untransformed, and Node 20 cannot run
// them. So the decorated class is TypeScript in a string, lowered by esbuild (as a charm bundle
// would be) and evaluated here; the rest of the package needs no decorator support at all.
const SOURCE = `
export function make({ CharmBase, Reactive, when, whenNot, whenFileChanged, hook, onlyOnce }) {
  class DecoratedCharm extends CharmBase {
    static handleKind = 'TestCharm';
    ran: string[] = [];
    reactive = new Reactive(this, { externalDir: null });

    @hook('config-changed')
    configure(call) {
      this.ran.push(\`configure@\${call.hook}\`);
      this.reactive.flags.set('configured');
    }

    @when('configured')
    @whenNot('started')
    start() {
      this.ran.push('start');
      this.reactive.flags.set('started');
    }

    @onlyOnce()
    bootstrap() {
      this.ran.push('bootstrap');
    }

    @whenFileChanged('/nonexistent/file')
    never() {
      this.ran.push('never');
    }
  }
  return DecoratedCharm;
}
`;

async function decoratedCharm(): Promise<CharmClass<CharmBase & { ran: string[] }>> {
  const { code } = await transform(SOURCE, { loader: 'ts', target: 'es2022', format: 'cjs' });
  const module = { exports: {} as { make: (deps: unknown) => unknown } };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports.make({ CharmBase, ...reactive }) as never;
}

describe('decorators (optional sugar)', () => {
  it('registers stacked standard decorators as one handler each, in declaration order', async () => {
    const Charm = await decoratedCharm();
    const ctx = new Context(Charm, { meta: testMeta });
    const out = await ctx.run(ctx.on.configChanged(), new State());
    expect(ctx.charm?.ran).toEqual(['configure@config-changed', 'start', 'bootstrap']);
    const again = await ctx.run(ctx.on.updateStatus(), out);
    expect(again).toBeDefined();
    expect(ctx.charm?.ran).toEqual([]);
  });
});
