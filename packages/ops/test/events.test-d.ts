import { describe, expectTypeOf, it } from 'vitest';
import {
  CharmBase,
  CharmEvents,
  type ConfigChangedEvent,
  EventBase,
  type Framework,
  type Handle,
  type InstallEvent,
  type LeaderElectedEvent,
  type RelationChangedEvent,
} from '../src/index.js';

class RestartRequestedEvent extends EventBase {
  constructor(
    handle: Handle,
    readonly reason: string,
    readonly attempt: number,
  ) {
    super(handle);
  }
}

class WebEvents extends CharmEvents {
  readonly restartRequested = this.event('restart_requested', RestartRequestedEvent);
}

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  override readonly on = new WebEvents(this);

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.restartRequested, this.onRestart);
    framework.observe(this.on.relation('db').changed, this.onDbChanged);
    // A handler taking the base class accepts any event.
    framework.observe(this.on.leaderElected, this.onAny);
    // @ts-expect-error a relation-changed handler cannot observe config-changed
    framework.observe(this.on.configChanged, this.onDbChanged);
    // @ts-expect-error the restart handler cannot observe leader-elected
    framework.observe(this.on.leaderElected, this.onRestart);
    // @ts-expect-error same shape, different hook: install is not leader-elected
    framework.observe(this.on.install, this.onLeaderElected);
  }

  onConfigChanged(event: ConfigChangedEvent): void {
    expectTypeOf(event).toEqualTypeOf<ConfigChangedEvent>();
    void this.on.restartRequested.emit('config', 1);
    // @ts-expect-error emit() takes the constructor's arguments: a string and a number
    void this.on.restartRequested.emit(42);
    // @ts-expect-error too few arguments
    void this.on.restartRequested.emit('config');
    // @ts-expect-error hook events take no string arguments
    void this.on.install.emit('x');
  }
  onRestart(event: RestartRequestedEvent): void {
    expectTypeOf(event.reason).toBeString();
    expectTypeOf(event.attempt).toBeNumber();
  }
  onDbChanged(event: RelationChangedEvent): void {
    expectTypeOf(event.relation.id).toBeNumber();
  }
  onLeaderElected(_event: LeaderElectedEvent): void {}
  onAny(_event: EventBase): void {}
  onInstall(_event: InstallEvent): void {}
}

describe('typed events', () => {
  it('infers handler parameter types from the bound event', () => {
    expectTypeOf<WebCharm['on']['restartRequested']['emit']>().parameters.toEqualTypeOf<[string, number]>();
    expectTypeOf<WebCharm['on']['configChanged']['emit']>().parameters.toEqualTypeOf<[]>();
  });

  it('widens stored-state defaults', () => {
    class S extends CharmBase {
      static override readonly handleKind = 'S';
      readonly stored = this.storedState('s', { ready: false, name: '', ports: [] as number[] });
    }
    expectTypeOf<S['stored']>().toEqualTypeOf<{ ready: boolean; name: string; ports: number[] }>();
  });
});
