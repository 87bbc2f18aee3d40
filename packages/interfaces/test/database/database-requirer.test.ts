import { CharmBase, type Framework, type RelationEvent } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  DatabaseCreatedEvent,
  type DatabaseCredentials,
  DatabaseCredentialsChangedEvent,
  DatabaseEndpointsChangedEvent,
  DatabaseReadOnlyEndpointsChangedEvent,
  DatabaseRequirer,
} from '../../src/database/index.js';
import { fixture } from './helpers.js';

const meta = {
  metadata: { name: 'webapp', requires: { database: { interface: 'postgresql_client', limit: 1 } } },
};

const seen: { event: string; credentials: DatabaseCredentials | null }[] = [];

class AppCharm extends CharmBase {
  static override readonly handleKind = 'AppCharm';
  readonly db: DatabaseRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.db = new DatabaseRequirer(this, { database: 'myapp', extraUserRoles: 'admin' });
    this.observe(this.db.on.databaseCreated, this.onDb);
    this.observe(this.db.on.endpointsChanged, this.onDb);
    this.observe(this.db.on.readOnlyEndpointsChanged, this.onDb);
    this.observe(this.db.on.credentialsChanged, this.onDb);
  }
  onDb(event: RelationEvent): void {
    seen.push({ event: event.constructor.name, credentials: this.db.credentials(event.relation) });
  }
}

const ctx = new Context(AppCharm, { meta });
const USER_URI = 'secret://59060ecc-0495-4a80-8006-5f1fc13fd783/cjqub6vubg2s77p3nio0';

function pythonProvider(file: string, id = 3) {
  const { databag, secrets = {} } = fixture(file);
  const relation = new Relation('database', { id, remoteAppName: 'postgresql-k8s', remoteAppData: databag });
  const secretStates = Object.entries(secrets).map(([sid, content]) => ({ id: sid, revisions: [content] }));
  return { relation, secretStates };
}

describe('DatabaseRequirer (Context)', () => {
  it('the leader asks for the database on relation-created, as data_interfaces does', async () => {
    const rel = new Relation('database', { remoteAppName: 'postgresql-k8s' });
    const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: true, relations: [rel] }));
    const bag = out.getRelation(rel.id).localAppData;
    expect(bag).toEqual({
      database: 'myapp',
      'extra-user-roles': 'admin',
      'requested-secrets':
        '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]',
    });
    expect(out.getRelation(rel.id).localUnitData).toEqual({});
  });

  it('a non-leader writes nothing on relation-created', async () => {
    const rel = new Relation('database');
    const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: false, relations: [rel] }));
    expect(out.getRelation(rel.id).localAppData).toEqual({});
    expect(ctx.toolCalls.filter((c) => c.startsWith('relation-set'))).toEqual([]);
  });

  it('a new leader sends the request it finds missing', async () => {
    const rel = new Relation('database');
    const out = await ctx.run(ctx.on.leaderElected(), new State({ leader: true, relations: [rel] }));
    expect(out.getRelation(rel.id).localAppData.database).toBe('myapp');
  });

  for (const leader of [true, false]) {
    it(`reads credentials from the secrets a Python provider sent (leader: ${leader})`, async () => {
      seen.length = 0;
      const { relation, secretStates } = pythonProvider('provider-app-secrets.json');
      const out = await ctx.run(
        ctx.on.relationChanged(relation, { remoteUnit: 0 }),
        new State({ leader, relations: [relation], secrets: secretStates }),
      );
      expect(seen.map((s) => s.event)).toEqual([DatabaseCreatedEvent.name]);
      expect(seen[0]?.credentials).toEqual({
        relationId: 3,
        app: 'postgresql-k8s',
        database: 'myappB',
        username: 'relation-14',
        password: 'Q3b1xU8pZz0aYpJq',
        endpoints: 'postgresql-k8s-primary:5432',
        readOnlyEndpoints: 'postgresql-k8s-replicas:5432',
        uris: 'postgresql://relation-14:Q3b1xU8pZz0aYpJq@postgresql-k8s-primary:5432/myappB',
        readOnlyUris: null,
        version: '16.8',
        tls: true,
        tlsCa: '-----BEGIN CERTIFICATE-----\nexample\n-----END CERTIFICATE-----',
        extra: {},
      });
      // The secrets now carry data_interfaces' labels, so secret-changed finds the relation.
      expect(out.getSecret({ id: USER_URI })?.label).toBe('database.3.user.secret');
      expect(out.unitStatus.name).not.toBe('blocked');
    });
  }

  it('reads plain credentials from a provider without secrets', async () => {
    seen.length = 0;
    const { relation } = pythonProvider('provider-app-plain.json');
    await ctx.run(ctx.on.relationChanged(relation, { remoteUnit: 0 }), new State({ relations: [relation] }));
    expect(seen.map((s) => s.event)).toEqual([DatabaseCreatedEvent.name]);
    expect(seen[0]?.credentials).toMatchObject({
      username: 'relation-7',
      password: 'alphanum-32byte-random',
      endpoints: '10.1.2.3:3306',
      tls: false,
      version: '8.0.36-0ubuntu0.22.04.1',
    });
  });

  it('emits endpointsChanged, then readOnlyEndpointsChanged, only for what changed', async () => {
    seen.length = 0;
    const { relation, secretStates } = pythonProvider('provider-app-secrets.json');
    let state = new State({ relations: [relation], secrets: secretStates });
    state = await ctx.run(ctx.on.relationChanged(relation, { remoteUnit: 0 }), state);
    const moved = relation.with({
      remoteAppData: { ...relation.remoteAppData, endpoints: 'postgresql-k8s-primary:6432' },
    });
    state = await ctx.run(
      ctx.on.relationChanged(moved, { remoteUnit: 0 }),
      state.with({ relations: [moved] }),
    );
    const replicas = moved.with({
      remoteAppData: { ...moved.remoteAppData, 'read-only-endpoints': 'r1:5432,r2:5432' },
    });
    state = await ctx.run(
      ctx.on.relationChanged(replicas, { remoteUnit: 0 }),
      state.with({ relations: [replicas] }),
    );
    // Nothing changed: no event.
    await ctx.run(ctx.on.relationChanged(replicas, { remoteUnit: 0 }), state);
    expect(seen.map((s) => s.event)).toEqual([
      DatabaseCreatedEvent.name,
      DatabaseEndpointsChangedEvent.name,
      DatabaseReadOnlyEndpointsChangedEvent.name,
    ]);
    expect(seen[1]?.credentials?.endpoints).toBe('postgresql-k8s-primary:6432');
  });

  it('emits credentialsChanged when the provider rotates the user secret', async () => {
    seen.length = 0;
    const { relation, secretStates } = pythonProvider('provider-app-secrets.json');
    const state = await ctx.run(
      ctx.on.relationChanged(relation, { remoteUnit: 0 }),
      new State({ relations: [relation], secrets: secretStates }),
    );
    const user = state.getSecret({ id: USER_URI });
    const rotated = state.with({
      secrets: state.secrets.map((s) =>
        s === user
          ? { ...s, revisions: [...s.revisions, { username: 'relation-14', password: 'new-password' }] }
          : s,
      ),
    });
    await ctx.run(ctx.on.secretChanged(USER_URI, 'database.3.user.secret'), rotated);
    expect(seen.map((s) => s.event)).toEqual([
      DatabaseCreatedEvent.name,
      DatabaseCredentialsChangedEvent.name,
    ]);
    expect(seen[1]?.credentials?.password).toBe('new-password');
  });

  it('has no credentials while the provider has sent only part of them', async () => {
    seen.length = 0;
    const rel = new Relation('database', { remoteAppData: { endpoints: 'pg:5432', username: 'u' } });
    await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), new State({ relations: [rel] }));
    expect(seen).toEqual([{ event: DatabaseEndpointsChangedEvent.name, credentials: null }]);
  });

  it('blocks on a bad provider bag, naming the app and fields, and does not crash', async () => {
    seen.length = 0;
    const rel = new Relation('database', {
      remoteAppName: 'pg',
      remoteAppData: { 'secret-user': 'cjqub6vubg2s77p3nio0', tls: 'maybe', endpoints: 'pg:5432' },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel] }),
    );
    expect(seen).toEqual([]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'database: app pg sent invalid tls, secret-user',
    });
    const warning = ctx.jujuLog.find((l) => l.level === 'WARNING')?.message ?? '';
    expect(warning).toContain('relation database:');
    expect(warning).toContain('secret-user: expected a Juju secret URI');
    expect(warning).not.toContain('maybe'); // values are never logged: they may be credentials

    // Fixed by the provider: the status no longer says blocked.
    const fixed = rel.with({ remoteAppData: { endpoints: 'pg:5432' } });
    const after = await ctx.run(
      ctx.on.relationChanged(fixed, { remoteUnit: 0 }),
      out.with({ relations: [fixed] }),
    );
    expect(after.unitStatus).toEqual({ name: 'active', message: '' });
  });

  it('forgets a relation on relation-broken', async () => {
    const { relation, secretStates } = pythonProvider('provider-app-secrets.json');
    const state = await ctx.run(
      ctx.on.relationChanged(relation, { remoteUnit: 0 }),
      new State({ relations: [relation], secrets: secretStates }),
    );
    const path = 'AppCharm/DatabaseRequirer[database]';
    expect(Object.keys((state.getStoredState(path, 'seen')?.bags ?? {}) as object)).toEqual(['3']);
    const out = await ctx.run(ctx.on.relationBroken(relation), state);
    expect(out.getStoredState(path, 'seen')?.bags).toEqual({});
  });

  it('refuses an endpoint that is not a requires endpoint at construction', async () => {
    class Wrong extends CharmBase {
      static override readonly handleKind = 'Wrong';
      constructor(framework: Framework) {
        super(framework);
        new DatabaseRequirer(this, { endpoint: 'db', database: 'x' });
      }
    }
    const wrong = new Context(Wrong, {
      meta: { metadata: { name: 'w', provides: { db: { interface: 'x' } } } },
    });
    await expect(wrong.run(wrong.on.install(), new State())).rejects.toThrow(
      /DatabaseRequirer needs a "requires" endpoint, but db is declared under "provides"/,
    );
  });
});
