// Context tests of the database provider: its container is served by the in-memory Pebble of
// @charmkit/testing (no socket, no server), the requirer's databag is what data_interfaces (and
// examples/k8s-webapp) writes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_REQUESTED_SECRETS } from '@charmkit/interfaces/database';
import { Container, Context, Relation, State, UncaughtCharmError } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { K8sDbCharm } from '../src/k8s-db-charm.js';
import { createDatabaseCommand, dbLayer, PASSWORD_ENV } from '../src/workload.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = new Context(K8sDbCharm, { charmDir });
const ENDPOINT = 'k8s-db.test-model.svc.cluster.local:5432';

/** What a data_interfaces requirer (our webapp, or any Python charm) writes. */
const REQUEST = {
  database: 'webapp',
  'requested-secrets': JSON.stringify(DEFAULT_REQUESTED_SECRETS).replaceAll('","', '", "'),
};

/** The db container with the server planned and running, and the admin tool answering. */
function runningDb(exitCode = 0): Container<'db'> {
  return new Container('db', {
    layers: { db: dbLayer(5432) },
    serviceStatuses: { db: 'active' },
    execHandlers: [
      {
        command: ['k8s-db-admin', 'create-database'],
        exitCode,
        stdout: 'CREATE DATABASE\n',
        stderr: 'no space',
      },
    ],
  });
}

describe('k8s-db', () => {
  it('pebble-ready plans the server and starts it', async () => {
    const db = new Container('db');
    const out = await ctx.run(ctx.on.pebbleReady(db), new State({ containers: [db] }));
    const after = out.getContainer('db');
    expect(after.plan.services.db?.command).toBe('k8s-db-server --port 5432 --data /var/lib/k8s-db');
    expect(after.serviceStatuses).toEqual({ db: 'active' });
    expect(out.unitStatus).toEqual({ name: 'active', message: 'serving 0 databases' });
  });

  it('a new port updates the layer and restarts the server', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ containers: [runningDb()], config: { port: 6543 } }),
    );
    const after = out.getContainer('db');
    expect(after.plan.services.db?.command).toContain('--port 6543');
    expect(after.changes.map((c) => c.tasks.map((t) => t.summary))).toEqual([
      ['Stop service "db"', 'Start service "db"'],
    ]);
  });

  it('waits while Pebble is not up', async () => {
    const db = new Container('db', { canConnect: false });
    const out = await ctx.run(ctx.on.configChanged(), new State({ containers: [db] }));
    expect(out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for Pebble in the db container' });
  });

  it('the leader creates the database with the admin tool and publishes credentials in a secret', async () => {
    const rel = new Relation('database', { id: 7, remoteAppName: 'k8s-webapp', remoteAppData: REQUEST });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel], containers: [runningDb()] }),
    );
    const [exec] = out.getContainer('db').execs;
    expect(exec?.command).toEqual(createDatabaseCommand('webapp', 'relation-7', null));
    const password = exec?.environment?.[PASSWORD_ENV];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const bag = out.getRelation(rel.id).localAppData;
    expect(bag).toMatchObject({ database: 'webapp', endpoints: ENDPOINT, version: '1.0' });
    // The requirer asked for credentials and TLS fields in secrets: none is in the databag.
    expect(Object.keys(bag).sort()).toEqual([
      'data',
      'database',
      'endpoints',
      'secret-tls',
      'secret-user',
      'version',
    ]);
    const secret = out.getSecret({ id: bag['secret-user'] ?? '' });
    expect(secret?.revisions.at(-1)).toEqual({ username: 'relation-7', password });
    expect(secret?.label).toBe('database.7.user.secret');
    expect(secret?.grants).toContain('7');
    expect(out.unitStatus).toEqual({ name: 'active', message: 'serving 1 database' });
  });

  it('defers the request while the server is not up, and creates the database once it is', async () => {
    const rel = new Relation('database', { id: 8, remoteAppName: 'k8s-webapp', remoteAppData: REQUEST });
    const down = new Container('db', { canConnect: false });
    const deferred = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel], containers: [down] }),
    );
    expect(deferred.deferred.map((d) => d.kind)).toEqual(['database_requested']);
    expect(deferred.getRelation(rel.id).localAppData).not.toHaveProperty('secret-user');

    const up = await ctx.run(ctx.on.pebbleReady(runningDb()), deferred.with({ containers: [runningDb()] }));
    expect(up.deferred).toEqual([]);
    expect(up.getRelation(rel.id).localAppData).toHaveProperty('secret-user');
  });

  it('a failing admin tool fails the hook (Juju retries it, discarding its writes)', async () => {
    const rel = new Relation('database', { remoteAppName: 'k8s-webapp', remoteAppData: REQUEST });
    await expect(
      ctx.run(
        ctx.on.relationChanged(rel, { remoteUnit: 0 }),
        new State({ leader: true, relations: [rel], containers: [runningDb(1)] }),
      ),
    ).rejects.toBeInstanceOf(UncaughtCharmError);
  });

  it('a non-leader creates nothing', async () => {
    const rel = new Relation('database', { remoteAppName: 'k8s-webapp', remoteAppData: REQUEST });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: false, relations: [rel], containers: [runningDb()] }),
    );
    expect(out.getContainer('db').execs).toEqual([]);
    expect(out.getRelation(rel.id).localAppData).toEqual({});
  });

  it('a request that is not the interface blocks with the field named, and the hook succeeds', async () => {
    const rel = new Relation('database', {
      remoteAppName: 'k8s-webapp',
      remoteAppData: { database: 'webapp', 'requested-secrets': 'username,password' },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel], containers: [runningDb()] }),
    );
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'database: app k8s-webapp sent invalid requested-secrets',
    });
    expect(out.getContainer('db').execs).toEqual([]);
  });

  it('the leader re-sends the endpoints when the port changes', async () => {
    const rel = new Relation('database', {
      remoteAppName: 'k8s-webapp',
      remoteAppData: REQUEST,
      localAppData: { database: 'webapp', endpoints: ENDPOINT },
    });
    const out = await ctx.run(
      ctx.on.configChanged(),
      new State({ leader: true, config: { port: 6543 }, relations: [rel], containers: [runningDb()] }),
    );
    expect(out.getRelation(rel.id).localAppData.endpoints).toBe('k8s-db.test-model.svc.cluster.local:6543');
  });

  it('timing: average Context run with a container (printed, not asserted)', async () => {
    const rel = new Relation('database', { id: 9, remoteAppName: 'k8s-webapp', remoteAppData: REQUEST });
    const state = new State({ leader: true, relations: [rel], containers: [runningDb()] });
    const runs = 200;
    // A few runs first, so the figure is the steady state and not module loading and JIT.
    for (let i = 0; i < 20; i++) await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    const started = performance.now();
    for (let i = 0; i < runs; i++) await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    const perRun = (performance.now() - started) / runs;
    console.log(
      `k8s-db: ${runs} Context runs (database requested, exec, secret): ${perRun.toFixed(3)} ms per run`,
    );
  });
});
