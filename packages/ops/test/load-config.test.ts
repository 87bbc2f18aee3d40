import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import * as z from 'zod/mini';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type ConfigChangedEvent,
  ConfigError,
  type Framework,
} from '../src/index.js';
import { MemoryStorage } from '../src/internal/index.js';
import { FakeBackend } from './helpers/fake-backend.js';
import { runHook } from './helpers/run-hook.js';

// testMeta declares `port` (int, default 6379) and `log-level` (string, default 'info').
const Config = z.object({
  port: z.int().check(z.gte(1024)),
  logLevel: z.enum(['debug', 'info']),
});

class ConfigCharm extends CharmBase {
  static override readonly handleKind = 'ConfigCharm';
  static loaded: unknown[] = [];
  static after = 0;
  readonly stored = this.storedState('stored', { changes: 0 });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.configChanged, this.onConfigChangedLater);
    framework.observe(this.on.collectUnitStatus, this.onCollectStatus);
  }
  onConfigChanged(_event: ConfigChangedEvent): void {
    this.stored.changes += 1;
    ConfigCharm.loaded.push(this.loadConfig(Config));
  }
  onConfigChangedLater(): void {
    ConfigCharm.after += 1;
  }
  onCollectStatus(event: CollectStatusEvent): void {
    event.addStatus(new ActiveStatus());
  }
}

async function configChanged(config: Record<string, string | number | boolean>, charm = ConfigCharm) {
  ConfigCharm.loaded = [];
  ConfigCharm.after = 0;
  const backend = new FakeBackend();
  backend.config = config;
  const storage = new MemoryStorage();
  const result = await runHook(charm, 'hooks/config-changed', { storage, backend });
  return { ...result, storage };
}

describe('charm.loadConfig', () => {
  it('maps kebab-case options to camelCase fields, with defaults, and returns the typed object', async () => {
    const { backend } = await configChanged({ port: 8080 });
    expect(ConfigCharm.loaded).toEqual([{ port: 8080, logLevel: 'info' }]);
    expect(ConfigCharm.after).toBe(1);
    expect(backend.status.unit).toEqual({ status: 'active', message: '' });
  });

  it('on invalid config sets blocked status naming the option, ends the hook cleanly, runs nothing else', async () => {
    const { backend, storage, logger } = await configChanged({ port: 8080, 'log-level': 'hush-secret' });
    expect(backend.status.unit).toEqual({
      status: 'blocked',
      message: 'Invalid config: log-level: expected one of "debug", "info"',
    });
    // No later handler, no collect-status (it would replace blocked), no stored state kept.
    expect(ConfigCharm.after).toBe(0);
    expect(backend.calls.filter((c) => c.startsWith('status-set'))).toHaveLength(1);
    expect(storage.loadSnapshot('ConfigCharm/StoredStateData[stored]')).toBeNull();
    for (const line of logger.lines) expect(line.message).not.toContain('hush-secret');
  });

  it('names every bad option and never its value', async () => {
    const { backend } = await configChanged({ port: 80, 'log-level': 'loud' });
    expect(backend.status.unit.message).toBe(
      'Invalid config: port: must be at least 1024; log-level: expected one of "debug", "info"',
    );
  });

  it('accepts a full zod schema (any Standard Schema)', async () => {
    class FullZod extends ConfigCharm {
      override onConfigChanged(): void {
        ConfigCharm.loaded.push(this.loadConfig(zod.object({ port: zod.number().int().min(1024) })));
      }
    }
    expect((await configChanged({ port: 8080 }, FullZod)) && ConfigCharm.loaded).toEqual([{ port: 8080 }]);
    const { backend } = await configChanged({ port: 80 }, FullZod);
    expect(backend.status.unit.message).toBe('Invalid config: port: must be at least 1024');
  });

  it('blocks on config that does not match config.yaml too, without the value', async () => {
    const { backend } = await configChanged({ port: 'eighty' });
    expect(backend.status.unit).toEqual({
      status: 'blocked',
      message: 'Invalid config: port: expected int, got string',
    });
  });

  it('throws ConfigError naming the option with onInvalid: "throw"', async () => {
    class Throwing extends ConfigCharm {
      override onConfigChanged(): void {
        try {
          this.loadConfig(Config, { onInvalid: 'throw' });
        } catch (error) {
          ConfigCharm.loaded.push(error);
        }
      }
    }
    const { backend } = await configChanged({ port: 8080, 'log-level': 'loud' }, Throwing);
    const error = ConfigCharm.loaded[0] as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.option).toBe('log-level');
    expect(error.message).not.toContain('loud');
    expect(backend.status.unit.status).not.toBe('blocked');
  });

  it('ends the hook from a deferred handler too, leaving the event queued', async () => {
    class Deferring extends ConfigCharm {
      override onConfigChanged(event: ConfigChangedEvent): void {
        if (this.stored.changes++ === 0) {
          event.defer();
          return;
        }
        this.loadConfig(Config);
      }
    }
    const storage = new MemoryStorage();
    const backend = new FakeBackend();
    backend.config = { port: 8080 };
    await runHook(Deferring, 'hooks/config-changed', { storage, backend });
    expect(storage.notices()).toHaveLength(1);
    backend.config = { port: 1 };
    await runHook(Deferring, 'hooks/update-status', { storage, backend });
    expect(backend.status.unit).toEqual({
      status: 'blocked',
      message: 'Invalid config: port: must be at least 1024',
    });
    // Rolled back as a whole, not counted as a failed re-emission.
    expect(storage.notices()).toHaveLength(1);
    expect(storage.notices()[0]?.failures).toBe(0);
  });
});
