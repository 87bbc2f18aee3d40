import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type ConfigChangedEvent,
  type DispatchView,
  type EventBase,
  Framework,
  type UpdateStatusEvent,
} from '../src/index.js';
import { MemoryLogger, MemoryStorage } from '../src/internal/index.js';
import { Model } from '../src/model/model.js';
import { FakeBackend } from './helpers/fake-backend.js';
import { runHook, testMeta } from './helpers/run-hook.js';

const seen: string[] = [];
let lastFramework: Framework | null = null;
beforeEach(() => {
  seen.length = 0;
  lastFramework = null;
});

const phase = (framework: Framework): string => framework.currentDispatch?.phase ?? 'none';

/** Records what the view says at every point of a dispatch; defers update-status once. */
class Phases extends CharmBase {
  static override readonly handleKind: string = 'Phases';
  readonly stored = this.storedState('stored', { deferred: false });

  constructor(framework: Framework) {
    super(framework);
    lastFramework = framework;
    const view = framework.currentDispatch;
    seen.push(`constructor ${view?.phase} ${view?.kind} restricted=${view?.restricted}`);
    framework.addParticipant({
      name: 'watcher',
      start: (v) => void seen.push(`start ${v.phase} event=${v.event?.handle.path ?? null}`),
      onHookEvent: (event, v) =>
        void seen.push(`onHookEvent ${v.phase} ${event.handle.path} same=${v.event === event}`),
      end: (v) => void seen.push(`end ${v.phase} event=${v.event?.handle.kind}`),
    });
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.collectUnitStatus, this.onStatus);
    framework.observe(framework.on.preCommit, this.onPreCommit);
  }
  onUpdateStatus(event: UpdateStatusEvent): void {
    seen.push(`update_status ${phase(this.framework)}`);
    if (!this.stored.deferred) {
      this.stored.deferred = true;
      event.defer();
    }
  }
  onConfigChanged(event: ConfigChangedEvent): void {
    // A deferrable event's observers get copies: the view keeps the instance the framework emitted.
    const view = this.framework.currentDispatch;
    seen.push(`config_changed ${view?.phase} viewed=${view?.event?.handle.path === event.handle.path}`);
  }
  onStatus(event: CollectStatusEvent): void {
    seen.push(`collect ${phase(this.framework)}`);
    event.addStatus(new ActiveStatus());
  }
  onPreCommit(): void {
    seen.push(`pre_commit ${phase(this.framework)}`);
  }
}

describe('the dispatch lifecycle and its read-only view', () => {
  it('goes through its phases in order; participants see the hook event before observers, re-emissions never', async () => {
    const storage = new MemoryStorage();
    await runHook(Phases, 'hooks/update-status', { storage });
    seen.length = 0;
    await runHook(Phases, 'hooks/config-changed', { storage });
    expect(seen).toEqual([
      'constructor constructing config_changed restricted=false',
      'start starting event=null',
      'update_status reemitting',
      'onHookEvent emitting Phases/on/config_changed[2] same=true',
      'config_changed emitting viewed=true',
      'end ending event=config_changed',
      'collect collecting-status',
      'pre_commit committing',
    ]);
    expect(lastFramework?.currentDispatch?.phase).toBe('ended');
    expect(storage.notices()).toEqual([]);
  });

  it('ends in the ended phase when the hook fails, and rolls back', async () => {
    class Failing extends Phases {
      static override readonly handleKind = 'Failing';
      override onConfigChanged(): void {
        throw new Error('boom');
      }
    }
    const storage = new MemoryStorage();
    await expect(runHook(Failing, 'hooks/config-changed', { storage })).rejects.toThrow('boom');
    expect(lastFramework?.currentDispatch?.phase).toBe('ended');
    expect(lastFramework?.currentDispatch?.event?.handle.kind).toBe('config_changed');
  });

  it('is read-only', async () => {
    await runHook(Phases, 'hooks/config-changed', { storage: new MemoryStorage() });
    const view = lastFramework?.currentDispatch as DispatchView;
    expect(() => {
      (view as { phase: string }).phase = 'starting';
    }).toThrow(TypeError);
    expect(() => {
      (view as { kind: string }).kind = 'install';
    }).toThrow(TypeError);
    expect(() => {
      (view as { event: EventBase | null }).event = null;
    }).toThrow(TypeError);
    expect(view.phase).toBe('ended');
    expect(view.kind).toBe('config_changed');
    expect(view.event).not.toBeNull();
  });

  it('in a restricted hook, tells only the participants that run there', async () => {
    class Metrics extends CharmBase {
      static override readonly handleKind = 'Metrics';
      constructor(framework: Framework) {
        super(framework);
        lastFramework = framework;
        framework.addParticipant({ name: 'skipped', onHookEvent: () => void seen.push('skipped') });
        framework.addParticipant({
          name: 'asks',
          inRestrictedHooks: true,
          onHookEvent: (event, view) => void seen.push(`asks ${event.handle.kind} ${view.restricted}`),
        });
        framework.observe(this.on.collectMetrics, this.onMetrics);
      }
      onMetrics(): void {
        seen.push('collect_metrics');
      }
    }
    await runHook(Metrics, 'hooks/collect-metrics', { storage: new MemoryStorage() });
    expect(seen).toEqual(['asks collect_metrics true', 'collect_metrics']);
    expect(lastFramework?.currentDispatch?.restricted).toBe(true);
  });

  it('has no hook event for a kind the charm does not define', async () => {
    const result = await runHook(Phases, 'hooks/no-such-hook', { storage: new MemoryStorage() });
    expect(result.emitted).toBe(false);
    expect(seen.some((line) => line.startsWith('onHookEvent'))).toBe(false);
    expect(lastFramework?.currentDispatch?.kind).toBe('no_such_hook');
    expect(lastFramework?.currentDispatch?.event).toBeNull();
  });

  it('notes the event the framework emitted for the hook, not one of the same kind the charm emitted', async () => {
    class EmitsItself extends Phases {
      static override readonly handleKind = 'EmitsItself';
      constructor(framework: Framework) {
        super(framework);
        framework.addParticipant({ name: 'early', start: () => this.on.configChanged.emit() });
      }
    }
    await runHook(EmitsItself, 'hooks/config-changed', { storage: new MemoryStorage() });
    // The participant's own emit (event 1) reaches observers as a custom event; the hook's is 2.
    expect(seen.filter((line) => /^(onHookEvent|config_changed)/.test(line))).toEqual([
      'config_changed starting viewed=false',
      'onHookEvent emitting EmitsItself/on/config_changed[2] same=true',
      'config_changed emitting viewed=true',
    ]);
  });

  it('is null for a framework that runs no dispatch, and a framework runs one dispatch only', async () => {
    const storage = new MemoryStorage();
    const framework = new Framework({
      storage,
      meta: testMeta,
      model: new Model(testMeta, new FakeBackend(), { unitName: 'test-charm/0' }),
      logger: new MemoryLogger(),
    });
    expect(framework.currentDispatch).toBeNull();
    const result = await framework.runDispatch(Phases, 'update_status', { eventArgs: () => [] });
    expect(result).toEqual({ kind: 'update_status', emitted: true });
    expect(framework.currentDispatch?.kind).toBe('update_status');
    await expect(framework.runDispatch(Phases, 'update_status', { eventArgs: () => [] })).rejects.toThrow(
      /one dispatch only/,
    );
  });
});

// ---- the bus is for tracing only ------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Files of packages/*\/src allowed to listen on the framework's bus, and why. Everything else
 * takes part in a dispatch as a DispatchParticipant.
 */
const BUS_LISTENERS_ALLOWED: Readonly<Record<string, string>> = {
  'packages/testing/src/context/context.ts':
    'test capture: records every emitted event for ctx.emittedEvents',
};

/** Lines of `text` where a bus is subscribed to (`bus.on(`, `.once(`, `addListener(`…), across line breaks too. */
function busSubscriptions(text: string): number[] {
  const pattern = /\bbus\s*(?:\?\.|\.)\s*(?:on|once|addListener|prependListener|prependOnceListener)\s*\(/g;
  return [...text.matchAll(pattern)].map((match) => text.slice(0, match.index).split('\n').length);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(?:ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe("the framework's bus", () => {
  it('is found subscribed to, however it is written', () => {
    expect(busSubscriptions("framework.bus.on('emitted', f)")).toEqual([1]);
    expect(busSubscriptions("x\nthis.framework.bus\n  .once('committing', f)")).toEqual([2]);
    expect(busSubscriptions("x\nconst b = this.framework.bus . addListener('emitted', f)")).toEqual([2]);
    expect(busSubscriptions("framework.bus?.prependListener('failed', f)")).toEqual([1]);
    expect(busSubscriptions("framework.bus.emit('emitted', e, false); onBus.on = 1")).toEqual([]);
  });

  it('is listened to in packages/*/src only where the allowed list says', () => {
    const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    );
    const found: string[] = [];
    let scanned = 0;
    for (const pkg of packages) {
      const src = join(ROOT, 'packages', pkg.name, 'src');
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      for (const file of files) {
        scanned++;
        const path = relative(ROOT, file).split('\\').join('/');
        const lines = busSubscriptions(readFileSync(file, 'utf8'));
        if (lines.length > 0 && !(path in BUS_LISTENERS_ALLOWED)) {
          found.push(...lines.map((line) => `${path}:${line}`));
        }
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(found).toEqual([]);
    // An entry whose file no longer listens is stale: drop it, so the list stays the truth.
    for (const path of Object.keys(BUS_LISTENERS_ALLOWED)) {
      expect(busSubscriptions(readFileSync(join(ROOT, path), 'utf8')), path).not.toEqual([]);
    }
  });
});
