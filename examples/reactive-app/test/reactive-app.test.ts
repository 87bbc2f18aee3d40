import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, Relation, State } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReactiveAppCharm } from '../src/reactive-app-charm.js';
import { installFakeSystemctl, systemctlCalls } from './helpers/fake-systemctl.js';

const exampleDir = join(import.meta.dirname, '..');
let charmDir: string;
let fakeBin: string;

beforeAll(() => {
  // A copy of the charm directory per run: the handlers write the config and systemctl.log there.
  charmDir = mkdtempSync(join(tmpdir(), 'reactive-app-'));
  cpSync(join(exampleDir, 'reactive'), join(charmDir, 'reactive'), { recursive: true });
  process.env.JUJU_CHARM_DIR = charmDir;
  fakeBin = installFakeSystemctl();
});
afterAll(() => {
  rmSync(charmDir, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

const ctx = new Context(ReactiveAppCharm, { charmDir: exampleDir });
const config = { 'admin-pass': 'correct-horse', 'config-file': 'app.conf' };
const credentials = { host: '10.1.2.3', port: '5432', user: 'myapp', password: 'db-secret' };

/** Every handler run of the last hook, as `round:handler`. */
const trace = (): string[] =>
  ctx.charm?.reactive.trace.map((t) => `${t.phase === 'hook' ? 'hook' : `r${t.round}`}:${t.handler}`) ?? [];

describe('reactive-app (Context)', () => {
  it('deploys with the config first and the database later: renders once complete, restarts only on change', async () => {
    const hooks: string[] = [];
    const run = async (name: string, event: Parameters<typeof ctx.run>[0], state: State): Promise<State> => {
      const out = await ctx.run(event, state);
      hooks.push(
        `${name}: ${trace().join(', ') || '-'} => ${out.unitStatus.name} "${out.unitStatus.message}"`,
      );
      return out;
    };
    let state = new State({ config });
    state = await run('install', ctx.on.install(), state);
    state = await run('config-changed', ctx.on.configChanged(), state);
    state = await run('start', ctx.on.start(), state);
    expect(state.unitStatus).toEqual({ name: 'waiting', message: 'Waiting on database' });

    // The database relation arrives after the config: first no data, then the credentials.
    const created = new Relation('db', { id: 7, remoteAppName: 'postgresql', remoteUnitsData: {} });
    state = await run(
      'db-relation-created',
      ctx.on.relationCreated(created),
      state.with({ relations: [created] }),
    );
    const db = created.with({ remoteUnitsData: { 0: {} } });
    state = await run('db-relation-joined', ctx.on.relationJoined(db), state.with({ relations: [db] }));
    expect(state.getRelation(7).localUnitData).toEqual({ database: 'myapp' });
    const answered = db.with({ remoteUnitsData: { 0: credentials } });
    state = await run(
      'db-relation-changed',
      ctx.on.relationChanged(answered),
      state.with({ relations: [answered] }),
    );
    expect(state.unitStatus).toEqual({ name: 'active', message: '' });
    const conf = join(charmDir, 'app.conf');
    expect(readFileSync(conf, 'utf8')).toContain('postgresql://myapp:db-secret@10.1.2.3:5432/myapp');
    expect(statSync(conf).mode & 0o777).toBe(0o600);
    expect(systemctlCalls(charmDir)).toEqual(['restart myapp']);

    // Same config again: rendered, unchanged, no restart.
    state = await run('update-status', ctx.on.updateStatus(), state);
    expect(systemctlCalls(charmDir)).toEqual(['restart myapp']);
    // A new password: re-rendered, restarted once.
    state = await run(
      'config-changed',
      ctx.on.configChanged(),
      state.with({ config: { ...config, 'admin-pass': 'battery-staple' } }),
    );
    expect(systemctlCalls(charmDir)).toEqual(['restart myapp', 'restart myapp']);
    expect(readFileSync(conf, 'utf8')).toContain('battery-staple');

    expect(hooks).toEqual([
      'install: - => waiting "Waiting on database"',
      'config-changed: - => waiting "Waiting on database"',
      'start: - => waiting "Waiting on database"',
      'db-relation-created: - => waiting "Waiting on database"',
      'db-relation-joined: r0:db.requestDatabase => waiting "Waiting on database"',
      'db-relation-changed: r0:db.updateAvailable, r1:renderConfig, r2:reactive/restart-service.sh:restart_service => active ""',
      'update-status: r0:renderConfig => active ""',
      'config-changed: r0:renderConfig, r1:reactive/restart-service.sh:restart_service => active ""',
    ]);
  });

  it('is blocked without an admin password, and forgets the database when it leaves', async () => {
    const db = new Relation('db', {
      id: 8,
      remoteAppName: 'postgresql',
      remoteUnitsData: { 0: credentials },
    });
    // The provider's data is there when the unit joins: joined raises endpoint.db.changed too.
    let state = await ctx.run(ctx.on.relationJoined(db), new State({ relations: [db] }));
    expect(trace()).toEqual(['r0:db.requestDatabase', 'r0:db.updateAvailable']);
    state = await ctx.run(ctx.on.relationChanged(db), state);
    expect(trace()).toEqual([]);
    expect(state.unitStatus).toEqual({ name: 'blocked', message: 'Missing admin password' });
    const gone = db.with({ remoteUnitsData: {} });
    state = await ctx.run(
      ctx.on.relationDeparted(gone, { remoteUnit: 0 }),
      state.with({ relations: [gone] }),
    );
    expect(trace()).toEqual(['r0:db.forget']);
    const flags = state.getStoredState('ReactiveAppCharm/Reactive', 'state')?.flags;
    expect(flags).toEqual(['endpoint.db.departed']);
  });
});
