import type { ConfigChangedEvent, Framework, UpdateStatusEvent } from '@charmkit/ops';
import { Context, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { TestCharm, testMeta } from './helpers/test-charm.js';

const seen: string[] = [];

/** Observers that read what the Reactive knows of the hook when they run. */
class Watching extends TestCharm {
  static override readonly handleKind = 'TestCharm';
  readonly stored = this.storedState('watching', { deferred: false });

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.configChanged, this.onConfigChanged);
  }
  onUpdateStatus(event: UpdateStatusEvent): void {
    seen.push(`update_status: ${this.reactive.hookName}`);
    if (!this.stored.deferred) {
      this.stored.deferred = true;
      event.defer();
    }
  }
  onConfigChanged(event: ConfigChangedEvent): void {
    seen.push(
      `config_changed: ${this.reactive.hookName} ${this.reactive.hookEvent?.handle.path === event.handle.path}`,
    );
  }
}

describe("the Reactive's hook event", () => {
  it('is known before the hook event reaches its observers, and never taken from a re-emitted deferred event', async () => {
    const ctx = new Context(Watching, { meta: testMeta });
    const out = await ctx.run(ctx.on.updateStatus(), new State());
    expect(seen).toEqual(['update_status: update-status']);
    seen.length = 0;
    await ctx.run(ctx.on.configChanged(), out);
    // The deferred update-status runs first, before this hook's event exists: no hook name yet.
    expect(seen).toEqual(['update_status: null', 'config_changed: config-changed true']);
    expect(ctx.charm?.reactive.hookEvent?.handle.kind).toBe('config_changed');
  });
});
