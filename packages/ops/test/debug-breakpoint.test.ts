import { describe, expect, it } from 'vitest';
import { CharmBase, type Framework, InvalidBreakpointNameError } from '../src/index.js';
import {
  type DebugStopRequest,
  dispatch,
  MemoryLogger,
  MemoryStorage,
  parseJujuContext,
} from '../src/internal/index.js';
import { FakeBackend } from './helpers/fake-backend.js';
import { testMeta } from './helpers/run-hook.js';

const order: string[] = [];

class Debugged extends CharmBase {
  static override readonly handleKind = 'Debugged';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.start, this.onStart);
    framework.observe(this.on.start, this.onStartToo);
    framework.observe(this.on.action('seed-deferred'), this.onSeed);
    framework.observe(this.on.collectUnitStatus, this.onCollect);
  }
  async onStart(): Promise<void> {
    order.push('onStart');
    await this.framework.breakpoint('db-setup');
    await this.framework.breakpoint();
  }
  onStartToo(): void {
    order.push('onStartToo');
  }
  onSeed(): void {
    order.push('onSeed');
  }
  onCollect(): void {
    order.push('onCollect');
  }
}

/** Runs one dispatch with `JUJU_DEBUG_AT` and a stopper that records its requests. */
async function run(hook: string, debugAt: string | null, env: Record<string, string> = {}) {
  order.length = 0;
  const stops: DebugStopRequest[] = [];
  const logger = new MemoryLogger();
  await dispatch(Debugged, {
    context: parseJujuContext({
      JUJU_UNIT_NAME: 'test-charm/0',
      JUJU_DISPATCH_PATH: hook,
      ...(debugAt === null ? {} : { JUJU_DEBUG_AT: debugAt }),
      ...env,
    }),
    meta: testMeta,
    storage: new MemoryStorage(),
    backend: new FakeBackend(),
    logger,
    debugStopper: (request) => {
      stops.push(request);
      order.push(`stop ${request.reason} ${request.name ?? request.where}`);
      return false;
    },
  });
  return { stops, logger };
}

describe('juju debug-code (JUJU_DEBUG_AT)', () => {
  it('never stops when JUJU_DEBUG_AT is unset', async () => {
    const { stops } = await run('hooks/start', null);
    expect(stops).toEqual([]);
    expect(order).toEqual(['onStart', 'onStartToo', 'onCollect']);
  });

  it('hook: stops before each observer of the Juju event, not before framework events or unnamed breakpoints', async () => {
    const { stops, logger } = await run('hooks/start', 'hook');
    expect(order).toEqual([
      'stop hook Debugged.onStart(Debugged/on/start[1])',
      'onStart',
      'stop hook Debugged.onStartToo(Debugged/on/start[1])',
      'onStartToo',
      'onCollect',
    ]);
    expect(stops.every((s) => s.reason === 'hook')).toBe(true);
    // framework.breakpoint('db-setup') and framework.breakpoint() are skipped, with a warning.
    expect(
      logger.lines.filter((l) => l.level === 'WARNING' && l.message.startsWith('Breakpoint')),
    ).toHaveLength(2);
  });

  it('hook: stops before an action handler too', async () => {
    const { stops } = await run('actions/seed-deferred', 'hook', {
      JUJU_ACTION_NAME: 'seed-deferred',
      JUJU_ACTION_UUID: '1',
    });
    expect(stops.map((s) => s.where)).toEqual(['Debugged.onSeed(Debugged/on/seed_deferred_action[1])']);
  });

  it('all: stops before handlers and at every breakpoint', async () => {
    await run('hooks/start', 'all');
    expect(order).toEqual([
      'stop hook Debugged.onStart(Debugged/on/start[1])',
      'onStart',
      'stop breakpoint db-setup',
      'stop breakpoint framework.breakpoint()',
      'stop hook Debugged.onStartToo(Debugged/on/start[1])',
      'onStartToo',
      'onCollect',
    ]);
  });

  it('a list of names: stops only at the named breakpoints', async () => {
    await run('hooks/start', 'other,db-setup');
    expect(order).toEqual(['onStart', 'stop breakpoint db-setup', 'onStartToo', 'onCollect']);
  });

  it('validates breakpoint names, whether or not JUJU_DEBUG_AT is set', async () => {
    class Plain extends CharmBase {
      static override readonly handleKind = 'Plain';
    }
    for (const debugAt of [null, 'all']) {
      const storage = new MemoryStorage();
      let framework: Framework | null = null;
      await dispatch(Plain, {
        context: parseJujuContext({
          JUJU_UNIT_NAME: 'test-charm/0',
          JUJU_DISPATCH_PATH: 'hooks/start',
          ...(debugAt === null ? {} : { JUJU_DEBUG_AT: debugAt }),
        }),
        meta: testMeta,
        storage,
        backend: new FakeBackend(),
        logger: new MemoryLogger(),
        onCharm: (_charm, f) => {
          framework = f;
        },
        debugStopper: () => false,
      });
      const f = framework as unknown as Framework;
      for (const bad of ['all', 'hook', 'Foo', 'foo_bar', '-foo', 'foo-', '']) {
        await expect(f.breakpoint(bad)).rejects.toThrow(InvalidBreakpointNameError);
      }
      for (const good of ['foo', 'foo-bar', 'a', '0x1'])
        await expect(f.breakpoint(good)).resolves.toBeUndefined();
    }
  });
});
