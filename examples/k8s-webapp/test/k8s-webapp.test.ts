// Context tests of the web application: the `webapp` container is served by the in-memory Pebble
// of @charmkit/testing (no socket, no server, no test-only hook in the charm); the database,
// ingress and Prometheus databags are what the providers (k8s-db, traefik, prometheus) write.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { K8sWebappCharm } from '../src/k8s-webapp-charm.js';
import {
  answeredDatabase,
  DB_URI,
  INGRESS_URL,
  OWN_ADDRESS,
  REQUEST,
  runningWebapp,
  USER_SECRET,
} from './fixtures.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = new Context(K8sWebappCharm, { charmDir });

describe('k8s-webapp: the workload', () => {
  it('pebble-ready plans the server with the database URI and the /health check', async () => {
    const webapp = new Container('webapp');
    const db = answeredDatabase();
    const out = await ctx.run(
      ctx.on.pebbleReady(webapp),
      new State({ containers: [webapp], relations: [db], secrets: [USER_SECRET] }),
    );
    const after = out.getContainer('webapp');
    expect(after.plan.services.webapp).toMatchObject({
      command: 'webapp serve --port 8080',
      startup: 'enabled',
      environment: { DATABASE_URI: DB_URI, LOG_LEVEL: 'info' },
    });
    expect(after.plan.checks['webapp-health']).toMatchObject({
      level: 'ready',
      http: { url: 'http://localhost:8080/health' },
    });
    expect(after.serviceStatuses).toEqual({ webapp: 'active' });
    expect(out.unitStatus).toEqual({ name: 'active', message: 'serving on port 8080' });
  });

  it('pebble-ready without a database plans nothing and blocks, saying what to do', async () => {
    const webapp = new Container('webapp');
    const out = await ctx.run(ctx.on.pebbleReady(webapp), new State({ containers: [webapp] }));
    expect(out.getContainer('webapp').layers).toEqual({});
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'needs a database: juju integrate k8s-webapp k8s-db',
    });
  });

  it('a config change updates the layer, restarts the server and re-publishes the port', async () => {
    const ingress = new Relation('ingress', { remoteAppName: 'traefik', localUnitData: OWN_ADDRESS });
    const metrics = new Relation('metrics-endpoint', {
      remoteAppName: 'prometheus',
      localUnitData: OWN_ADDRESS,
    });
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({
        leader: true,
        config: { port: 9090, 'log-level': 'debug' },
        containers: [runningWebapp()],
        relations: [answeredDatabase(), ingress, metrics],
        secrets: [USER_SECRET],
      }),
    );
    const after = out.getContainer('webapp');
    expect(after.plan.services.webapp?.command).toBe('webapp serve --port 9090');
    expect(after.plan.services.webapp?.environment).toEqual({ DATABASE_URI: DB_URI, LOG_LEVEL: 'debug' });
    expect(after.plan.checks['webapp-health']?.http?.url).toBe('http://localhost:9090/health');
    expect(after.changes.map((c) => c.tasks.map((t) => t.summary))).toEqual([
      ['Stop service "webapp"', 'Start service "webapp"'],
    ]);
    expect(out.getRelation(ingress.id).localAppData.port).toBe('9090');
    expect(out.getRelation(metrics.id).localAppData.scrape_jobs).toContain('"*:9090"');
    expect(out.unitStatus).toEqual({ name: 'active', message: 'serving on port 9090' });
  });

  it('an unchanged config leaves the running server alone', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ containers: [runningWebapp()], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.getContainer('webapp').changes.flatMap((c) => c.tasks)).toEqual([]);
  });

  it('waits while Pebble is not up', async () => {
    const webapp = new Container('webapp', { canConnect: false });
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ containers: [webapp], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.getContainer('webapp')).toEqual(webapp);
    expect(out.unitStatus).toEqual({
      name: 'waiting',
      message: 'waiting for Pebble in the webapp container',
    });
  });

  it('a failing health check shows in the status, with the check info logged', async () => {
    const webapp = runningWebapp({ failures: 3 });
    const out = await ctx.run(
      ctx.on.pebbleCheckFailed(webapp, 'webapp-health'),
      new State({ containers: [webapp], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.unitStatus).toEqual({ name: 'maintenance', message: 'health check failing (3 failures)' });
    expect(ctx.jujuLog).toContainEqual({
      level: 'WARNING',
      message: 'check webapp-health failed 3 time(s) (threshold 3)',
    });
    // Recovered: the check is up again and the status follows.
    const recovered = webapp.with({ checks: [{ name: 'webapp-health', status: 'up', threshold: 3 }] });
    const again = await ctx.run(
      ctx.on.pebbleCheckRecovered(recovered, 'webapp-health'),
      out.with({ containers: [recovered] }),
    );
    expect(again.unitStatus.name).toBe('active');
  });
});

describe('k8s-webapp: the database relation', () => {
  it('the leader asks k8s-db for the webapp database', async () => {
    const db = new Relation('database', { remoteAppName: 'k8s-db' });
    const out = await ctx.run(ctx.on.relationCreated(db), new State({ leader: true, relations: [db] }));
    expect(out.getRelation(db.id).localAppData).toEqual(REQUEST);
  });

  it('credentials arriving put the URI in the environment and the unit goes active', async () => {
    const webapp = new Container('webapp');
    const db = answeredDatabase();
    const out = await ctx.run(
      ctx.on.relationChanged(db, { remoteUnit: 0 }),
      new State({ containers: [webapp], relations: [db], secrets: [USER_SECRET] }),
    );
    const after = out.getContainer('webapp');
    expect(after.plan.services.webapp?.environment?.DATABASE_URI).toBe(DB_URI);
    expect(after.serviceStatuses).toEqual({ webapp: 'active' });
    expect(out.unitStatus).toEqual({ name: 'active', message: 'serving on port 8080' });
  });

  it('new endpoints (a fail-over) replan with the new URI and restart the server', async () => {
    const moved = answeredDatabase(7, { endpoints: 'k8s-db-replica.test-model.svc.cluster.local:5432' });
    const first = answeredDatabase();
    // The unit saw the first bag in an earlier hook: its stored state says so.
    const seen = await ctx.run(
      ctx.on.relationChanged(first, { remoteUnit: 0 }),
      new State({ containers: [runningWebapp()], relations: [first], secrets: [USER_SECRET] }),
    );
    const out = await ctx.run(
      ctx.on.relationChanged(moved, { remoteUnit: 0 }),
      seen.with({ relations: [moved] }),
    );
    const after = out.getContainer('webapp');
    expect(after.plan.services.webapp?.environment?.DATABASE_URI).toBe(
      'postgresql://relation-7:s3cret@k8s-db-replica.test-model.svc.cluster.local:5432/webapp',
    );
    expect(after.changes.at(-1)?.tasks.map((t) => t.summary)).toEqual([
      'Stop service "webapp"',
      'Start service "webapp"',
    ]);
  });

  it('a relation without credentials yet waits', async () => {
    const db = new Relation('database', { remoteAppName: 'k8s-db', localAppData: REQUEST });
    const out = await ctx.run(
      ctx.on.relationChanged(db, { remoteUnit: 0 }),
      new State({ containers: [new Container('webapp')], relations: [db] }),
    );
    expect(out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for the database credentials' });
  });

  it('bad provider data blocks with the field named, and the hook succeeds', async () => {
    const db = answeredDatabase(7, { 'secret-user': 'not-a-secret-uri' });
    const out = await ctx.run(
      ctx.on.relationChanged(db, { remoteUnit: 0 }),
      new State({ containers: [new Container('webapp')], relations: [db], secrets: [USER_SECRET] }),
    );
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'database: app k8s-db sent invalid secret-user',
    });
    expect(out.getContainer('webapp').layers).toEqual({});
  });

  it('the database going away stops the server and blocks', async () => {
    const db = answeredDatabase();
    const out = await ctx.run(
      ctx.on.relationBroken(db),
      new State({ containers: [runningWebapp()], relations: [db], secrets: [USER_SECRET] }),
    );
    expect(out.getContainer('webapp').serviceStatuses).toEqual({ webapp: 'inactive' });
    expect(out.unitStatus.name).toBe('blocked');
  });
});

describe('k8s-webapp: ingress and metrics', () => {
  it('shows the ingress URL in the status', async () => {
    const ingress = new Relation('ingress', {
      remoteAppName: 'traefik',
      localUnitData: OWN_ADDRESS,
      remoteAppData: { ingress: JSON.stringify({ url: INGRESS_URL }) },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(ingress, { remoteUnit: 0 }),
      new State({
        leader: true,
        containers: [runningWebapp()],
        relations: [answeredDatabase(), ingress],
        secrets: [USER_SECRET],
      }),
    );
    expect(out.unitStatus).toEqual({ name: 'active', message: `serving at ${INGRESS_URL}` });
    // What the leader and the unit sent traefik: JSON in each string, as the Python library.
    expect(out.getRelation(ingress.id).localAppData).toEqual({
      model: '"test-model"',
      name: '"k8s-webapp"',
      port: '8080',
    });
    expect(out.getRelation(ingress.id).localUnitData).toMatchObject({ host: '"10.1.2.3"', ip: '"10.1.2.3"' });
  });

  it('publishes the scrape job for the web port and the unit address', async () => {
    const metrics = new Relation('metrics-endpoint', {
      remoteAppName: 'prometheus',
      localUnitData: OWN_ADDRESS,
    });
    const out = await ctx.run(
      ctx.on.relationJoined(metrics, { remoteUnit: 0 }),
      new State({ leader: true, relations: [metrics] }),
    );
    const app = out.getRelation(metrics.id).localAppData;
    expect(JSON.parse(app.scrape_jobs ?? '[]')).toEqual([
      { metrics_path: '/metrics', static_configs: [{ targets: ['*:8080'] }] },
    ]);
    expect(JSON.parse(app.scrape_metadata ?? '{}')).toMatchObject({
      application: 'k8s-webapp',
      model: 'test-model',
    });
    expect(out.getRelation(metrics.id).localUnitData).toMatchObject({
      prometheus_scrape_unit_address: '10.1.2.3',
      prometheus_scrape_unit_name: 'k8s-webapp/0',
    });
  });
});

describe('k8s-webapp: the migrate action', () => {
  it('runs the migrations in the container and returns their output', async () => {
    const out = await ctx.runAction(
      ctx.on.action('migrate'),
      new State({ containers: [runningWebapp()], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.failure).toBeNull();
    expect(out.results).toEqual({ output: 'applied 0001_init\napplied 0002_orders' });
    expect(out.logs).toEqual(['running the migrations']);
    expect(out.state.getContainer('webapp').execs).toMatchObject([
      { command: ['webapp', 'migrate'], environment: { DATABASE_URI: DB_URI } },
    ]);
  });

  it('passes dry-run on', async () => {
    const out = await ctx.runAction(
      ctx.on.action('migrate', { 'dry-run': true }),
      new State({ containers: [runningWebapp()], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.results).toEqual({ output: 'would apply 0002_orders' });
    expect(out.state.getContainer('webapp').execs[0]?.command).toEqual(['webapp', 'migrate', '--dry-run']);
  });

  it('fails with the command output when the migrations fail', async () => {
    const webapp = runningWebapp().with({
      execHandlers: [
        {
          command: ['webapp', 'migrate'],
          exitCode: 2,
          stdout: 'applied 0001_init\n',
          stderr: 'relation "orders" exists\n',
        },
      ],
    });
    const out = await ctx.runAction(
      ctx.on.action('migrate'),
      new State({ containers: [webapp], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.failure).toBe('migrations failed (exit code 2): relation "orders" exists');
    expect(out.results).toEqual({ output: 'applied 0001_init' });
  });

  it('fails when the migrations time out', async () => {
    const webapp = runningWebapp().with({
      execHandlers: [{ command: ['webapp', 'migrate'], timedOut: true }],
    });
    const out = await ctx.runAction(
      ctx.on.action('migrate'),
      new State({ containers: [webapp], relations: [answeredDatabase()], secrets: [USER_SECRET] }),
    );
    expect(out.failure).toBe('migrations did not finish within 300 s');
  });

  it('fails without a database, running nothing', async () => {
    const out = await ctx.runAction(ctx.on.action('migrate'), new State({ containers: [runningWebapp()] }));
    expect(out.failure).toBe('no database yet: relate the application to a database first');
    expect(out.state.getContainer('webapp').execs).toEqual([]);
  });
});

describe('k8s-webapp: timing', () => {
  it('average Context run with a container (printed, not asserted)', async () => {
    const webapp = runningWebapp();
    const state = new State({
      containers: [webapp],
      relations: [answeredDatabase()],
      secrets: [USER_SECRET],
    });
    const runs = 1000;
    // A few runs first, so the figure is the steady state and not module loading and JIT.
    for (let i = 0; i < 100; i++) await ctx.run(ctx.on.pebbleReady(webapp), state);
    const started = performance.now();
    for (let i = 0; i < runs; i++) await ctx.run(ctx.on.pebbleReady(webapp), state);
    const perRun = (performance.now() - started) / runs;
    console.log(
      `k8s-webapp: ${runs} Context runs (pebble-ready, replan, collect-status): ${perRun.toFixed(3)} ms per run`,
    );
  });
});
