import { describe, expect, it } from 'vitest';
import {
  ActiveStatus,
  CharmBase,
  CharmEvents,
  type CollectStatusEvent,
  DuplicateHandleError,
  ErrorStatus,
  EventBase,
  EventDefinitionError,
  EventNotDeferrableError,
  type Framework,
  Handle,
  InvalidHandleError,
  InvalidObserverError,
  InvalidStatusError,
  MissingHandleKindError,
  OpsObject,
  type StopEvent,
  UnknownStatus,
} from '../src/index.js';
import { MemoryLogger, MemoryStorage } from '../src/internal/index.js';
import { runHook } from './helpers/run-hook.js';

describe('Handle', () => {
  it('builds and parses paths', () => {
    const charm = new Handle(null, 'MyCharm', null);
    const event = charm.nest('on').nest('config_changed', '12');
    expect(event.path).toBe('MyCharm/on/config_changed[12]');
    const parsed = Handle.fromPath('MyCharm/DBRequirer[db]/on/ready[13]');
    expect(parsed.kind).toBe('ready');
    expect(parsed.key).toBe('13');
    expect(parsed.parent?.path).toBe('MyCharm/DBRequirer[db]/on');
    expect(parsed.parent?.parent?.key).toBe('db');
  });

  it('rejects kinds and keys a path cannot hold', () => {
    expect(() => new Handle(null, 'a/b', null)).toThrow(InvalidHandleError);
    expect(() => new Handle(null, 'a', 'x[1]')).toThrow(InvalidHandleError);
    expect(() => Handle.fromPath('a/b[')).toThrow(InvalidHandleError);
  });
});

class Library extends OpsObject {
  static override readonly handleKind = 'Library';
  onStart(): void {}
}

describe('objects', () => {
  it('refuses two live objects with the same path', async () => {
    class Doubled extends CharmBase {
      static override readonly handleKind = 'Doubled';
      readonly a = new Library(this, 'db');
      readonly b = new Library(this, 'db');
    }
    await expect(runHook(Doubled, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      DuplicateHandleError,
    );
    await expect(runHook(Doubled, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      'two objects claim the handle path Doubled/Library[db]',
    );
  });

  it('requires an explicit handle kind', async () => {
    class Unnamed extends OpsObject {}
    class Host extends CharmBase {
      static override readonly handleKind = 'Host';
      readonly lib = new Unnamed(this, null);
    }
    await expect(runHook(Host, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      MissingHandleKindError,
    );
  });
});

describe('observe()', () => {
  const attempt = async (wire: (charm: CharmBase, framework: Framework) => void) => {
    class Wired extends CharmBase {
      static override readonly handleKind = 'Wired';
      readonly a = new Library(this, 'a');
      readonly b = new Library(this, 'b');
      constructor(framework: Framework) {
        super(framework);
        wire(this, framework);
      }
      onStart(): void {}
    }
    await runHook(Wired, 'hooks/start', { storage: new MemoryStorage() });
  };

  it('rejects arrow functions and bound functions', async () => {
    await expect(attempt((c, f) => f.observe(c.on.start, () => undefined))).rejects.toThrow(
      InvalidObserverError,
    );
    await expect(
      attempt((c, f) => f.observe(c.on.start, c, (c as unknown as { onStart: () => void }).onStart.bind(c))),
    ).rejects.toThrow(/not an arrow function or a bound function/);
  });

  it('rejects a method of another object, and an ambiguous two-argument form', async () => {
    await expect(attempt((c, f) => f.observe(c.on.start, c, Library.prototype.onStart))).rejects.toThrow(
      'onStart is not a method of Wired',
    );
    await expect(attempt((c, f) => f.observe(c.on.start, Library.prototype.onStart))).rejects.toThrow(
      /2 objects \(Wired\/Library\[a\], Wired\/Library\[b\]\) share the method onStart/,
    );
  });

  it('rejects something that is not a bound event', async () => {
    await expect(
      attempt((c, f) =>
        f.observe(
          { emitter: c, kind: 'start', type: Object } as never,
          (c as unknown as { onStart: () => void }).onStart,
        ),
      ),
    ).rejects.toThrow('observe() needs a bound event');
  });

  it('throws when a non-deferrable event is deferred', async () => {
    class Stopper extends CharmBase {
      static override readonly handleKind = 'Stopper';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.stop, this.onStop);
      }
      onStop(event: StopEvent): void {
        event.defer();
      }
    }
    await expect(runHook(Stopper, 'hooks/stop', { storage: new MemoryStorage() })).rejects.toThrow(
      EventNotDeferrableError,
    );
  });

  it('checks endpoint names against metadata', async () => {
    class Typo extends CharmBase {
      static override readonly handleKind = 'Typo';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.relation('clsuter').changed, this.onChanged);
      }
      onChanged(): void {}
    }
    await expect(runHook(Typo, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      'no relation endpoint "clsuter" in the charm\'s metadata (known: db, cluster)',
    );
  });
});

describe('ops object semantics', () => {
  class PingEvent extends EventBase {}

  it('refuses a custom event kind declared twice, even with the same class', async () => {
    class TwiceEvents extends CharmEvents {
      readonly ping = this.event('ping', PingEvent);
      readonly pingAgain = this.event('ping', PingEvent);
    }
    class Twice extends CharmBase {
      static override readonly handleKind = 'Twice';
      override readonly on = new TwiceEvents(this);
    }
    await expect(runHook(Twice, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      EventDefinitionError,
    );
  });

  it('addStatus() refuses error and unknown with InvalidStatusError', async () => {
    const errors: unknown[] = [];
    class Bad extends CharmBase {
      static override readonly handleKind = 'Bad';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.collectUnitStatus, this.onCollect);
      }
      onCollect(event: CollectStatusEvent): void {
        for (const status of [new ErrorStatus('x'), new UnknownStatus()]) {
          try {
            event.addStatus(status);
          } catch (error) {
            errors.push(error);
          }
        }
        event.addStatus(new ActiveStatus());
      }
    }
    await runHook(Bad, 'hooks/start', { storage: new MemoryStorage() });
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidStatusError);
      expect((error as InvalidStatusError).code).toBe('CHARMKIT_INVALID_STATUS');
    }
  });

  it('library objects have model, and the charm has charmDir', async () => {
    let seen: { same: boolean; charmDir: string } | null = null;
    class Lib extends OpsObject {
      static override readonly handleKind = 'Lib';
    }
    class WithLib extends CharmBase {
      static override readonly handleKind = 'WithLib';
      readonly lib = new Lib(this, 'x');
      constructor(framework: Framework) {
        super(framework);
        seen = {
          same: this.lib.model === this.model && this.model === framework.model,
          charmDir: this.charmDir,
        };
      }
    }
    await runHook(WithLib, 'hooks/start', {
      storage: new MemoryStorage(),
      env: { JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-test-charm-0/charm' },
    });
    expect(seen).toEqual({ same: true, charmDir: '/var/lib/juju/agents/unit-test-charm-0/charm' });
  });

  it('logs custom events at DEBUG, once per emit, and not the Juju or lifecycle events', async () => {
    class PingEvents extends CharmEvents {
      readonly ping = this.event('ping', PingEvent);
    }
    class Pinger extends CharmBase {
      static override readonly handleKind = 'Pinger';
      override readonly on = new PingEvents(this);
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.start, this.onStart);
        framework.observe(this.on.ping, this.onPing);
        framework.observe(this.on.ping, this.onPingToo);
        framework.observe(framework.on.commit, this.onCommit);
      }
      async onStart(): Promise<void> {
        await this.on.ping.emit();
      }
      onPing(): void {}
      onPingToo(): void {}
      onCommit(): void {}
    }
    const logger = new MemoryLogger();
    await runHook(Pinger, 'hooks/start', { storage: new MemoryStorage(), logger });
    const emitting = logger.lines.filter((l) => l.message.startsWith('Emitting'));
    expect(emitting).toEqual([
      { level: 'DEBUG', message: 'Emitting Juju event start.' },
      { level: 'DEBUG', message: 'Emitting custom event Pinger/on/ping[2].' },
    ]);
  });
});
