// A Context port of ops' Kubernetes example tests (the `k8s` tutorial charm's style): pebble-ready
// adds a layer and replans, a config change pushes a file and restarts, an action runs a command.
// Only public API; no socket, no server: the containers are served by the in-memory Pebble.
import {
  type ActionEvent,
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  MaintenanceStatus,
  WaitingStatus,
} from '@charmkit/ops';
import type { Layer } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { Container, Context, State } from '../../src/index.js';

const meta = {
  metadata: {
    name: 'demo-server',
    containers: { 'demo-server': { resource: 'demo-server-image' } },
  },
  config: {
    options: {
      'server-port': { type: 'int', default: 8000 },
      'log-level': { type: 'string', default: 'info' },
    },
  },
  actions: { 'get-version': {} },
};

class DemoServerCharm extends CharmBase {
  static override readonly handleKind = 'DemoServerCharm';
  readonly container = this.unit.container('demo-server');

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.container('demo-server').pebbleReady, this.onPebbleReady);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.action('get-version'), this.onGetVersion);
    framework.observe(this.on.collectUnitStatus, this.onCollectStatus);
  }

  layer(): Layer {
    return {
      summary: 'demo server layer',
      services: {
        'demo-server': {
          override: 'replace',
          summary: 'demo server',
          command: `uvicorn api_demo_server.app:app --host=0.0.0.0 --port=${this.config['server-port']}`,
          startup: 'enabled',
          environment: { LOG_LEVEL: String(this.config['log-level']) },
        },
      },
    };
  }

  async onPebbleReady(): Promise<void> {
    await this.container.addLayer('demo-server', this.layer(), { combine: true });
    await this.container.replan();
  }

  async onConfigChanged(): Promise<void> {
    if (!(await this.container.canConnect())) return;
    await this.container.push('/etc/demo/config.yaml', `log-level: ${this.config['log-level']}\n`, {
      makeDirs: true,
      permissions: 0o600,
      user: 'demo',
    });
    await this.container.addLayer('demo-server', this.layer(), { combine: true });
    await this.container.restart('demo-server');
  }

  async onGetVersion(event: ActionEvent): Promise<void> {
    const process = await this.container.exec(['/bin/demo-server', '--version'], {
      environment: { LANG: 'C' },
    });
    const { stdout } = await process.waitOutput();
    event.setResults({ version: stdout.trim() });
  }

  async onCollectStatus(event: CollectStatusEvent): Promise<void> {
    if (!(await this.container.canConnect())) {
      event.addStatus(new WaitingStatus('waiting for Pebble'));
      return;
    }
    const [service] = await this.container.getServices(['demo-server']);
    event.addStatus(service?.current === 'active' ? new ActiveStatus() : new MaintenanceStatus('starting'));
  }
}

const ctx = new Context(DemoServerCharm, { meta });

describe('a Kubernetes charm in a Context, with an in-memory container', () => {
  it('pebble-ready adds the layer, replans, and the service is active', async () => {
    const container = new Container('demo-server');
    const out = await ctx.run(
      ctx.on.pebbleReady(container),
      new State({ containers: [container], config: {} }),
    );
    const after = out.getContainer('demo-server');
    expect(Object.keys(after.layers)).toEqual(['demo-server']);
    expect(after.plan.services['demo-server']?.command).toBe(
      'uvicorn api_demo_server.app:app --host=0.0.0.0 --port=8000',
    );
    expect(after.serviceStatuses).toEqual({ 'demo-server': 'active' });
    expect(after.changes.map((c) => c.kind)).toEqual(['replan']);
    expect(out.unitStatus).toEqual({ name: 'active', message: '' });
  });

  it('config-changed pushes the config file and restarts the service with the new layer', async () => {
    const container = new Container('demo-server', {
      layers: { 'demo-server': new DemoLayer(8000, 'info').layer },
      serviceStatuses: { 'demo-server': 'active' },
    });
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ containers: [container], config: { 'log-level': 'debug', 'server-port': 9000 } }),
    );
    const after = out.getContainer('demo-server');
    expect(after.readText('/etc/demo/config.yaml')).toBe('log-level: debug\n');
    expect(after.files['/etc/demo/config.yaml']).toMatchObject({ permissions: 0o600, user: 'demo' });
    expect(after.plan.services['demo-server']?.environment).toEqual({ LOG_LEVEL: 'debug' });
    expect(after.changes.map((c) => c.tasks.map((t) => t.summary))).toEqual([
      ['Stop service "demo-server"', 'Start service "demo-server"'],
    ]);
    expect(out.unitStatus.name).toBe('active');
  });

  it('config-changed before Pebble is up does nothing to the container, and waits', async () => {
    const container = new Container('demo-server', { canConnect: false });
    const out = await ctx.run(ctx.on.configChanged(), new State({ containers: [container] }));
    expect(out.getContainer('demo-server')).toEqual(container);
    expect(out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for Pebble' });
  });

  it('an action runs a command in the container and returns its output', async () => {
    const container = new Container('demo-server', {
      execHandlers: [{ command: ['/bin/demo-server', '--version'], stdout: '1.2.3\n' }],
    });
    const out = await ctx.runAction(ctx.on.action('get-version'), new State({ containers: [container] }));
    expect(out.results).toEqual({ version: '1.2.3' });
    expect(out.state.getContainer('demo-server').execs).toEqual([
      { command: ['/bin/demo-server', '--version'], environment: { LANG: 'C' }, stdin: '' },
    ]);
  });

  it('runs collect-status alone', async () => {
    const running = new Container('demo-server', {
      layers: { 'demo-server': new DemoLayer(8000, 'info').layer },
      serviceStatuses: { 'demo-server': 'active' },
    });
    const out = await ctx.run(ctx.on.collectUnitStatus(), new State({ containers: [running] }));
    expect(out.unitStatus.name).toBe('active');
    const stopped = running.with({ serviceStatuses: { 'demo-server': 'inactive' } });
    const again = await ctx.run(ctx.on.collectUnitStatus(), new State({ containers: [stopped] }));
    expect(again.unitStatus).toEqual({ name: 'maintenance', message: 'starting' });
    // No hook event: collect-status, then the framework's commit events.
    expect(ctx.emittedEvents.map((e) => e.constructor.name)).toEqual([
      'CollectStatusEvent',
      'PreCommitEvent',
      'CommitEvent',
    ]);
  });
});

/** The layer the charm writes for a port and log level (what a previous hook left). */
class DemoLayer {
  constructor(
    readonly port: number,
    readonly logLevel: string,
  ) {}
  get layer(): Layer {
    return {
      summary: 'demo server layer',
      services: {
        'demo-server': {
          override: 'replace',
          summary: 'demo server',
          command: `uvicorn api_demo_server.app:app --host=0.0.0.0 --port=${this.port}`,
          startup: 'enabled',
          environment: { LOG_LEVEL: this.logLevel },
        },
      },
    };
  }
}
