import { ActionNotRunningError, CharmBase, type Framework } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import { Context, State, UncaughtCharmError } from '../../src/index.js';

const meta = {
  metadata: { name: 'backup' },
  actions: { snapshot: { params: { label: { type: 'string' } } } },
};

/** Reads its action's params in whatever hook runs, as a charm with a shared helper might. */
class ReadsParams extends CharmBase {
  static override readonly handleKind = 'ReadsParams';
  label: unknown = undefined;
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.install, this.read);
    framework.observe(this.on.action('snapshot'), this.read);
  }
  read(): void {
    this.label = this.model.actionParams('snapshot').label;
  }
}

describe('action-get in a Context run', () => {
  it('answers inside an action', async () => {
    const ctx = new Context(ReadsParams, { meta });
    const result = await ctx.runAction(ctx.on.action('snapshot', { label: 'nightly' }), new State());
    expect(result.failure).toBeNull();
  });

  it('fails outside an action with the error a unit gives (Juju has no params to give)', async () => {
    const ctx = new Context(ReadsParams, { meta });
    const error = await ctx.run(ctx.on.install(), new State()).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as UncaughtCharmError).cause).toBeInstanceOf(ActionNotRunningError);
  });
});
