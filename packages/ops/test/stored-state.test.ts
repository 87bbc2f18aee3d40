import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CharmBase, type Framework, StoredStateError } from '../src/index.js';
import { MemoryStorage } from '../src/internal/index.js';
import { runHook } from './helpers/run-hook.js';

type Mutation = (stored: {
  config: { ports: number[]; tags: Record<string, string> };
  count: number;
}) => void;
let mutate: Mutation = () => undefined;
let observed: unknown = null;

class StateCharm extends CharmBase {
  static override readonly handleKind = 'StateCharm';
  readonly stored = this.storedState('stored', {
    config: { ports: [] as number[], tags: {} as Record<string, string> },
    count: 0,
  });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
  }
  onConfigChanged(): void {
    observed = JSON.parse(JSON.stringify(this.stored));
    mutate(this.stored);
  }
}

describe('StoredState', () => {
  it('persists nested mutations and restores them in the next dispatch', async () => {
    const storage = new MemoryStorage();
    mutate = (s) => {
      s.config.ports.push(80, 443);
      s.config.tags.env = 'prod';
      s.count += 1;
    };
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    mutate = (s) => {
      s.config.ports.splice(0, 1);
      delete s.config.tags.env;
    };
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    expect(observed).toEqual({ config: { ports: [80, 443], tags: { env: 'prod' } }, count: 1 });
    mutate = () => undefined;
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    expect(observed).toEqual({ config: { ports: [443], tags: {} }, count: 1 });
  });

  it('saves only when something changed', async () => {
    const storage = new MemoryStorage();
    mutate = () => undefined;
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    expect(storage.loadSnapshot('StateCharm/StoredStateData[stored]')).toBeNull();
    mutate = (s) => {
      s.count = 0; // the same value: dirty, but the saved JSON does not change
    };
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    expect(storage.loadSnapshot('StateCharm/StoredStateData[stored]')).toBe(
      '{"config":{"ports":[],"tags":{}},"count":0}',
    );
  });

  it('copies assigned objects, so later changes to the original are not silently kept', async () => {
    const storage = new MemoryStorage();
    const outside = { ports: [1], tags: {} };
    mutate = (s) => {
      s.config = outside;
      outside.ports.push(2);
    };
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    mutate = () => undefined;
    await runHook(StateCharm, 'hooks/config-changed', { storage });
    expect(observed).toEqual({ config: { ports: [1], tags: {} }, count: 0 });
  });

  it.each([
    ['undefined', undefined, 'stored.count is undefined'],
    ['a function', () => 1, 'stored.count is a function'],
    ['NaN', Number.NaN, 'stored.count is NaN'],
    ['a Date', new Date(0), 'stored.count is a Date instance'],
    ['a Map inside an array', [new Map()], 'stored.count[0] is a Map instance'],
  ])('rejects %s with an error naming the field', async (_what, value, message) => {
    mutate = (s) => {
      (s as unknown as Record<string, unknown>).count = value;
    };
    const run = runHook(StateCharm, 'hooks/config-changed', { storage: new MemoryStorage() });
    await expect(run).rejects.toThrow(StoredStateError);
    await expect(
      runHook(StateCharm, 'hooks/config-changed', { storage: new MemoryStorage() }),
    ).rejects.toThrow(message);
  });

  it('validates against a schema when loading and before saving', async () => {
    class Typed extends CharmBase {
      static override readonly handleKind = 'Typed';
      readonly stored = this.storedState(
        's',
        { port: 80 },
        { schema: z.object({ port: z.number().int().max(65535) }) },
      );
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.configChanged, this.onConfigChanged);
      }
      onConfigChanged(): void {
        this.stored.port = 70000;
      }
    }
    await expect(runHook(Typed, 'hooks/config-changed', { storage: new MemoryStorage() })).rejects.toThrow(
      /stored state Typed\/StoredStateData\[s\] \(at commit\) does not match its schema: port: must be at most 65535/,
    );
    const storage = new MemoryStorage();
    storage.saveSnapshot('Typed/StoredStateData[s]', '{"port":"eighty"}');
    await expect(runHook(Typed, 'hooks/start', { storage })).rejects.toThrow(
      /\(loaded from storage\) does not match its schema: port: expected number/,
    );
    // Stored state often holds generated passwords: the message names the field, never the value.
    await expect(runHook(Typed, 'hooks/start', { storage })).rejects.not.toThrow(/eighty/);
  });

  it('refuses two stored states with the same name on one object', async () => {
    class Twice extends CharmBase {
      static override readonly handleKind = 'Twice';
      readonly a = this.storedState('s', {});
      readonly b = this.storedState('s', {});
    }
    await expect(runHook(Twice, 'hooks/start', { storage: new MemoryStorage() })).rejects.toThrow(
      'stored state Twice/StoredStateData[s] is declared twice',
    );
  });
});
