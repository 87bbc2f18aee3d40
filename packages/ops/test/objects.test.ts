import { describe, expect, it } from 'vitest';
import {
  CharmBase,
  DuplicateHandleError,
  EventNotDeferrableError,
  type Framework,
  Handle,
  InvalidHandleError,
  InvalidObserverError,
  MemoryStorage,
  MissingHandleKindError,
  OpsObject,
  type StopEvent,
} from '../src/index.js';
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
