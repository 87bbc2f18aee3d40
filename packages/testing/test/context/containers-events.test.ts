import {
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type Framework,
  type PebbleCheckFailedEvent,
  type PebbleCheckRecoveredEvent,
  type PebbleCustomNoticeEvent,
} from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import {
  Container,
  Context,
  InconsistentStateError,
  MissingExecHandlerError,
  State,
  UncaughtCharmError,
} from '../../src/index.js';

const meta = {
  metadata: { name: 'web', containers: { web: { resource: 'web-image' } } },
};

const layer = {
  services: { web: { override: 'replace' as const, command: 'web', startup: 'enabled' as const } },
  checks: {
    ready: { override: 'replace' as const, level: 'ready' as const, http: { url: 'http://localhost/' } },
  },
};

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  seen: Record<string, string> = {};

  constructor(framework: Framework) {
    super(framework);
    const web = this.on.container('web');
    framework.observe(web.pebbleCustomNotice, this.onNotice);
    framework.observe(web.pebbleCheckFailed, this.onCheckFailed);
    framework.observe(web.pebbleCheckRecovered, this.onCheckRecovered);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
  }

  async onNotice(event: PebbleCustomNoticeEvent): Promise<void> {
    this.seen = { ...event.notice };
    if (event.notice.key === 'example.com/reload') {
      const notice = await event.workload.getNotice(event.notice.id);
      await event.workload.push('/etc/web/reloaded', notice.lastData.reason ?? '', { makeDirs: true });
      await event.workload.notify('example.com/reloaded');
    }
  }

  async onCheckFailed(event: PebbleCheckFailedEvent): Promise<void> {
    const [check] = await event.workload.getChecks({ names: [event.checkName] });
    this.unit.status = new BlockedStatus(
      `${event.checkName} is ${check?.status} after ${check?.failures} failures`,
    );
  }

  async onCheckRecovered(event: PebbleCheckRecoveredEvent): Promise<void> {
    this.unit.status = new ActiveStatus(`${event.checkName} recovered`);
  }

  async onUpdateStatus(): Promise<void> {
    await this.unit.container('web').exec(['web', 'status']);
  }
}

const ctx = new Context(WebCharm, { meta });

describe('Pebble events in a Context', () => {
  it('a custom notice reaches the charm with its id, type and key, and the charm reads its data', async () => {
    const web = new Container('web', {
      notices: [{ key: 'example.com/reload', lastData: { reason: 'cert rotated' } }],
    });
    const notice = web.getNotice('example.com/reload');
    expect(notice?.id).toMatch(/^\d+$/);
    const out = await ctx.run(
      ctx.on.pebbleCustomNotice(web, 'example.com/reload'),
      new State({ containers: [web] }),
    );
    expect((ctx.charm as WebCharm).seen).toEqual({
      id: notice?.id,
      type: 'custom',
      key: 'example.com/reload',
    });
    const after = out.getContainer('web');
    expect(after.readText('/etc/web/reloaded')).toBe('cert rotated');
    // The notice the charm added is in the output state.
    expect(after.notices.map((n) => n.key)).toEqual(['example.com/reload', 'example.com/reloaded']);
  });

  it('check events name the check; the charm reads the check info the test set', async () => {
    const web = new Container('web', {
      layers: { base: layer },
      checks: [{ name: 'ready', level: 'ready', status: 'down', failures: 3 }],
    });
    const failed = await ctx.run(ctx.on.pebbleCheckFailed(web, 'ready'), new State({ containers: [web] }));
    expect(failed.unitStatus).toEqual({ name: 'blocked', message: 'ready is down after 3 failures' });
    const up = web.with({ checks: [{ name: 'ready', status: 'up' }] });
    const recovered = await ctx.run(
      ctx.on.pebbleCheckRecovered(up, up.checks[0] ?? 'ready'),
      new State({ containers: [up] }),
    );
    expect(recovered.unitStatus).toEqual({ name: 'active', message: 'ready recovered' });
  });

  it('a command without an exec handler fails the hook with a clear testing error', async () => {
    const web = new Container('web');
    const error = await ctx
      .run(ctx.on.updateStatus(), new State({ containers: [web] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as Error).cause).toBeInstanceOf(MissingExecHandlerError);
    expect((error as Error).message).toContain('["web","status"]');
  });

  it('refuses containers the metadata does not declare, and container events the state lacks', async () => {
    const problems = async (event: ReturnType<typeof ctx.on.updateStatus>, state: State) => {
      const error = await ctx.run(event, state).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InconsistentStateError);
      return (error as Error).message;
    };
    expect(await problems(ctx.on.updateStatus(), new State({ containers: [new Container('db')] }))).toContain(
      'container "db" is not in metadata',
    );
    expect(await problems(ctx.on.pebbleReady('web'), new State())).toContain(
      `the event's container "web" is not in the state's containers`,
    );
    const down = new Container('web', { canConnect: false });
    expect(await problems(ctx.on.pebbleReady(down), new State({ containers: [down] }))).toContain(
      'canConnect is false',
    );
    const web = new Container('web');
    expect(await problems(ctx.on.pebbleCheckFailed(web, 'nope'), new State({ containers: [web] }))).toContain(
      `check "nope" is not in container "web"'s checks or plan`,
    );
    const other = new Container('web', { notices: [{ key: 'example.com/x' }] });
    const notice = ctx.on.pebbleCustomNotice(other, 'example.com/x');
    expect(await problems(notice, new State({ containers: [web] }))).toContain(
      'is not in container "web"\'s notices',
    );
  });
});
