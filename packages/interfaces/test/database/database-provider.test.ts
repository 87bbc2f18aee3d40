import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  DatabagWriteError,
  DatabaseProvider,
  type DatabasePublication,
  DatabaseRequestedEvent,
  InterfaceNotLeaderError,
} from '../../src/database/index.js';
import { fixture } from './helpers.js';

const meta = { metadata: { name: 'postgresql', provides: { database: { interface: 'postgresql_client' } } } };

const seen: { database: string; extraUserRoles: string | null }[] = [];
let answer: DatabasePublication | null = null;
let refused: unknown = null;

class DbCharm extends CharmBase {
  static override readonly handleKind = 'DbCharm';
  readonly db: DatabaseProvider;
  constructor(framework: Framework) {
    super(framework);
    this.db = new DatabaseProvider(this);
    this.observe(this.db.on.databaseRequested, this.onRequested);
    this.observe(this.on.relation('database').changed, this.onChanged);
    this.observe(this.on.relation('database').created, this.onCreated);
  }
  onCreated(event: { relation: import('@charmkit/ops').Relation }): void {
    if (!answer) return;
    try {
      this.db.publish(event.relation, answer);
    } catch (error) {
      refused = error;
    }
  }
  onRequested(event: DatabaseRequestedEvent): void {
    seen.push({ database: event.database, extraUserRoles: event.extraUserRoles });
    if (answer) this.db.publish(event.relation, answer);
  }
  onChanged(event: { relation: import('@charmkit/ops').Relation }): void {
    if (this.unit.isLeader() || !answer) return;
    try {
      this.db.publish(event.relation, answer);
    } catch (error) {
      refused = error;
    }
  }
}

const ctx = new Context(DbCharm, { meta });

function pythonRequirer(id = 5, databag = fixture('requirer-app.json').databag) {
  return new Relation('database', { id, remoteAppName: 'webapp', remoteAppData: databag });
}

const credentials: DatabasePublication = {
  database: 'myappA',
  username: 'relation-5',
  password: 'pw-0123456789abcdef',
  endpoints: 'postgresql-k8s-primary:5432',
  readOnlyEndpoints: 'postgresql-k8s-replicas:5432',
  uris: 'postgresql://relation-5:pw-0123456789abcdef@postgresql-k8s-primary:5432/myappA',
  version: '16.8',
  tls: true,
  tlsCa: '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----',
};

describe('DatabaseProvider (Context)', () => {
  it('the leader emits databaseRequested once for a Python requirer’s request', async () => {
    seen.length = 0;
    answer = null;
    const rel = pythonRequirer();
    const state = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(seen).toEqual([{ database: 'myappA', extraUserRoles: 'admin' }]);
    expect(ctx.emittedEvents.filter((e) => e instanceof DatabaseRequestedEvent)).toHaveLength(1);
    // The requirer bag seen is kept in this app's `data` field, as data_interfaces keeps it.
    expect(JSON.parse(state.getRelation(rel.id).localAppData.data ?? '{}')).toEqual(
      fixture('requirer-app.json').databag,
    );
    await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    expect(seen).toHaveLength(1);
  });

  it('a non-leader emits nothing and may not publish', async () => {
    seen.length = 0;
    answer = credentials;
    refused = null;
    const rel = pythonRequirer();
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: false, relations: [rel] }),
    );
    expect(seen).toEqual([]);
    expect(refused).toBeInstanceOf(InterfaceNotLeaderError);
    expect(out.getRelation(rel.id).localAppData).toEqual({});
    expect(out.secrets).toEqual([]);
  });

  it('publishes requested fields in secrets granted to the relation, the rest in the databag', async () => {
    answer = credentials;
    const rel = pythonRequirer();
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    const bag = out.getRelation(rel.id).localAppData;
    const user = out.getSecret({ label: 'database.5.user.secret' });
    const tls = out.getSecret({ label: 'database.5.tls.secret' });
    expect(user).toMatchObject({
      owner: 'application',
      grants: ['5'],
      revisions: [{ username: 'relation-5', password: 'pw-0123456789abcdef', uris: credentials.uris }],
    });
    expect(tls).toMatchObject({
      owner: 'application',
      grants: ['5'],
      revisions: [{ tls: 'true', 'tls-ca': credentials.tlsCa }],
    });
    const { data: _seen, ...published } = bag;
    expect(published).toEqual({
      database: 'myappA',
      endpoints: 'postgresql-k8s-primary:5432',
      'read-only-endpoints': 'postgresql-k8s-replicas:5432',
      version: '16.8',
      'secret-user': user?.id,
      'secret-tls': tls?.id,
    });
    // What the interface's schema (postgresql_client v0, ProviderSchema) requires of the bag, with
    // username and password moved into the `user` secret as its README says.
    for (const key of ['database', 'endpoints'] as const) expect(typeof published[key]).toBe('string');
    expect(published['secret-user']).toMatch(/^secret:\/\/[0-9a-f-]{36}\/[0-9a-v]{20}$/);
    expect(published).not.toHaveProperty('password');
  });

  it('updates the existing secret rather than adding another', async () => {
    answer = credentials;
    const rel = pythonRequirer();
    const first = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    // A new request (the requirer's bag was emptied and filled again) re-publishes a new password.
    answer = { password: 'rotated-password-123' };
    const emptied = first.with({
      relations: [
        first
          .getRelation(rel.id)
          .with({ localAppData: { ...first.getRelation(rel.id).localAppData, data: '{}' } }),
      ],
    });
    const out = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), emptied);
    const users = out.secrets.filter((s) => s.label === 'database.5.user.secret');
    expect(users).toHaveLength(1);
    expect(users[0]?.revisions.at(-1)).toEqual({
      username: 'relation-5',
      password: 'rotated-password-123',
      uris: credentials.uris,
    });
  });

  it('publishes plain fields to a requirer that did not ask for secrets', async () => {
    answer = { username: 'u1', password: 'p1', endpoints: 'h:5432', tls: false };
    const rel = pythonRequirer(6, { database: 'legacy' });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    const { data: _seen, ...published } = out.getRelation(rel.id).localAppData;
    expect(published).toEqual({ username: 'u1', password: 'p1', endpoints: 'h:5432', tls: 'false' });
    expect(out.secrets).toEqual([]);
  });

  it('blocks on a bad requirer bag, naming the field, and emits nothing', async () => {
    seen.length = 0;
    answer = null;
    const rel = pythonRequirer(7, { database: 'x', 'requested-secrets': 'username,password' });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(seen).toEqual([]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'database: app webapp sent invalid requested-secrets',
    });
    expect(
      ctx.jujuLog.some(
        (l) => l.level === 'WARNING' && l.message.includes('requested-secrets: expected a JSON value'),
      ),
    ).toBe(true);
  });

  it('refuses to publish credentials before the requirer asked', async () => {
    answer = credentials;
    refused = null;
    const rel = new Relation('database', { id: 9, remoteAppName: 'webapp' });
    const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: true, relations: [rel] }));
    expect(refused).toBeInstanceOf(DatabagWriteError);
    expect((refused as Error).message).toContain('before the requirer asked');
    expect(out.getRelation(rel.id).localAppData).toEqual({});
    expect(out.secrets).toEqual([]);
    answer = null;
  });

  it('does not block on a requirer that has not written yet', async () => {
    const rel = new Relation('database', { id: 8, remoteAppName: 'webapp' });
    const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: true, relations: [rel] }));
    expect(out.unitStatus.name).toBe('unknown');
  });
});
