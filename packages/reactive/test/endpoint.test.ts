import { Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { Endpoint } from '../src/index.js';
import { PgsqlProvides, PgsqlRequires } from './helpers/pgsql.js';
import { contextFor, flagsOf, TestCharm, withFlags } from './helpers/test-charm.js';

const credentials = { host: '10.0.0.9', port: '5432', user: 'app', password: 's3cret-value' };

function requiresCharm() {
  let db: PgsqlRequires | undefined;
  const changedFlags: string[][] = [];
  const ctx = contextFor((_charm, r) => {
    // Registered before the stub's handlers, so it sees the flags before the stub clears them.
    r.when('endpoint.db.changed', function spy() {
      changedFlags.push(r.flags.stored().filter((f) => f.startsWith('endpoint.db.changed')));
    });
    db = new PgsqlRequires(r, 'db');
  });
  return { ctx, db: () => db as PgsqlRequires, changedFlags };
}

describe('Endpoint', () => {
  it('raises joined, changed and changed.<key> in its relation hooks, and the stub reacts', async () => {
    const { ctx, db, changedFlags } = requiresCharm();
    const empty = new Relation('db', { id: 4, remoteAppName: 'postgresql', remoteUnitsData: { 0: {} } });
    const joined = await ctx.run(ctx.on.relationJoined(empty), new State({ relations: [empty] }));
    expect(flagsOf(joined)).toEqual(['db.database.requested', 'endpoint.db.joined']);
    expect(joined.getRelation(4).localUnitData).toEqual({ database: 'app' });

    const answered = empty.with({ remoteUnitsData: { 0: credentials } });
    const changed = await ctx.run(ctx.on.relationChanged(answered), joined.with({ relations: [answered] }));
    // The stub consumed `changed` (it clears it) and raised its own flag.
    expect(flagsOf(changed)).toEqual([
      'db.database.available',
      'db.database.requested',
      'endpoint.db.joined',
    ]);
    expect(db().connectionString()).toBe('postgresql://app:s3cret-value@10.0.0.9:5432/app');
    expect(ctx.charm?.reactive.trace.map((t) => t.handler)).toEqual(['spy', 'db.updateAvailable']);
    expect(changedFlags).toEqual([
      [
        'endpoint.db.changed',
        'endpoint.db.changed.host',
        'endpoint.db.changed.password',
        'endpoint.db.changed.port',
        'endpoint.db.changed.user',
      ],
    ]);
    // Only hashes of the values are stored, never the values.
    expect(JSON.stringify(changed.storedStates)).not.toContain('s3cret-value');

    // Unchanged data: no changed flags; a changed key: only that key.
    const same = await ctx.run(ctx.on.relationChanged(answered), changed);
    expect(flagsOf(same)).toEqual(flagsOf(changed));
    const moved = answered.with({ remoteUnitsData: { 0: { ...credentials, port: '6432' } } });
    await ctx.run(ctx.on.relationChanged(moved), same.with({ relations: [moved] }));
    expect(changedFlags.at(-1)).toEqual(['endpoint.db.changed', 'endpoint.db.changed.port']);
    expect(db().connectionString()).toContain(':6432/');
  });

  it('checks data only in its own relation hooks, and counts removed keys and app data', async () => {
    const plain = contextFor((_charm, r) => void new Endpoint(r, 'db'));
    const relation = new Relation('db', {
      id: 5,
      remoteAppName: 'postgresql',
      remoteUnitsData: { 0: { host: 'a' } },
      remoteAppData: { version: '16' },
    });
    const other = await plain.run(plain.on.updateStatus(), new State({ relations: [relation] }));
    expect(flagsOf(other)).toEqual(['endpoint.db.joined']);
    const first = await plain.run(plain.on.relationChanged(relation), other);
    expect(flagsOf(first)).toEqual([
      'endpoint.db.changed',
      'endpoint.db.changed.host',
      'endpoint.db.changed.version',
      'endpoint.db.joined',
    ]);
    const removed = relation.with({ remoteUnitsData: { 0: {} } });
    const cleared = withFlags(first, ['endpoint.db.joined']).with({ relations: [removed] });
    const after = await plain.run(plain.on.relationChanged(removed), cleared);
    expect(flagsOf(after)).toEqual(['endpoint.db.changed', 'endpoint.db.changed.host', 'endpoint.db.joined']);
  });

  it('raises departed (kept until cleared) and drops joined when the last unit leaves', async () => {
    let endpoint: Endpoint | undefined;
    const departedSeen: string[][] = [];
    const ctx = contextFor((_charm, r) => {
      endpoint = new Endpoint(r, 'db');
      r.when('endpoint.db.departed', function onDeparted() {
        departedSeen.push((endpoint as Endpoint).departedUnits());
        (endpoint as Endpoint).clearDeparted();
      });
    });
    const two = new Relation('db', { id: 6, remoteAppName: 'postgresql', remoteUnitsData: { 0: {}, 1: {} } });
    const joined = await ctx.run(
      ctx.on.relationJoined(two, { remoteUnit: 1 }),
      new State({ relations: [two] }),
    );
    expect(flagsOf(joined)).toEqual(['endpoint.db.joined']);

    const one = two.with({ remoteUnitsData: { 0: {} } });
    const departed = await ctx.run(
      ctx.on.relationDeparted(one, { remoteUnit: 1 }),
      joined.with({ relations: [one] }),
    );
    expect(departedSeen).toEqual([['postgresql/1']]);
    expect(flagsOf(departed)).toEqual(['endpoint.db.joined']);

    const none = two.with({ remoteUnitsData: {} });
    const gone = await ctx.run(
      ctx.on.relationDeparted(none, { remoteUnit: 0 }),
      departed.with({ relations: [none] }),
    );
    expect(departedSeen).toEqual([['postgresql/1'], ['postgresql/0']]);
    expect(flagsOf(gone)).toEqual([]);
    expect(endpoint?.joinedUnits()).toEqual([]);
  });

  it('talks both sides of the conversation: requires asks, provides answers per relation', async () => {
    let provides: PgsqlProvides | undefined;
    const server = contextFor((_charm, r) => {
      provides = new PgsqlProvides(r, 'database');
    });
    const a = new Relation('database', {
      id: 7,
      remoteAppName: 'app-a',
      remoteUnitsData: { 0: { database: 'a' } },
    });
    const b = new Relation('database', { id: 8, remoteAppName: 'app-b', remoteUnitsData: { 0: {}, 1: {} } });
    const out = await server.run(server.on.relationChanged(a), new State({ relations: [a, b] }));
    expect(provides?.answered).toEqual(['7:a']);
    expect(out.getRelation(7).localUnitData).toMatchObject({ host: '10.0.0.9', user: 'u7' });
    expect(out.getRelation(8).localUnitData).toEqual({});
    expect(flagsOf(out)).toEqual(['endpoint.database.changed', 'endpoint.database.joined']);
    expect(
      provides?.conversations().map((c) => [c.relation.id, c.app?.name, c.units.map((u) => u.name)]),
    ).toEqual([
      [7, 'app-a', ['app-a/0']],
      [8, 'app-b', ['app-b/0', 'app-b/1']],
    ]);
  });

  it('refuses an endpoint that is not in the metadata', async () => {
    const ctx = contextFor((_charm, r) => void new Endpoint(r, 'nope'));
    await expect(ctx.run(ctx.on.install(), new State())).rejects.toThrow(
      /no relation endpoint "nope" in the charm's metadata \(known: db, website, admin, database, cluster\)/,
    );
    expect(TestCharm.handleKind).toBe('TestCharm');
  });
});
