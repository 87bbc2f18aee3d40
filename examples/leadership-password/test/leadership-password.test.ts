import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeadershipPasswordCharm } from '../src/leadership-password-charm.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = new Context(LeadershipPasswordCharm, { charmDir });
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadership-password-'));
  file = join(dir, 'secret', 'admin-password');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = () => ({ 'password-file': file });

describe('leadership-password (Context)', () => {
  it('the leader generates a strong password once, publishes it and writes it with mode 0600', async () => {
    const peers = new PeerRelation('cluster');
    const out = await ctx.run(
      ctx.on.leaderElected(),
      new State({ leader: true, config: config(), relations: [peers] }),
    );
    const password = out.getRelation(peers.id).localAppData['admin-password'] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes = 192 bits
    expect(readFileSync(file, 'utf8')).toBe(password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(out.unitStatus).toEqual({ name: 'active', message: 'password ready' });

    const again = await ctx.run(ctx.on.leaderElected(), out);
    expect(again.getRelation(peers.id).localAppData['admin-password']).toBe(password);
    expect(ctx.toolCalls.filter((c) => c.startsWith('relation-set'))).toEqual([]);
  });

  it('waits for the peer relation before anything (install runs before relation-created)', async () => {
    const out = await ctx.run(ctx.on.install(), new State({ leader: true, config: config() }));
    expect(out.unitStatus).toEqual({ name: 'waiting', message: 'waiting for the peer relation' });
    expect(existsSync(file)).toBe(false);
    const created = await ctx.run(
      ctx.on.relationCreated(new PeerRelation('cluster', { id: 9 })),
      out.with({ relations: [new PeerRelation('cluster', { id: 9 })] }),
    );
    expect(created.getRelation(9).localAppData['admin-password']).toBeDefined();
    expect(created.unitStatus.name).toBe('active');
  });

  it('a follower waits for the leader, then writes what the leader published', async () => {
    const empty = new PeerRelation('cluster', { peersData: { 1: {} } });
    const waiting = await ctx.run(
      ctx.on.configChanged(),
      new State({ config: config(), relations: [empty] }),
    );
    expect(waiting.unitStatus).toEqual({
      name: 'waiting',
      message: 'waiting for the leader to generate the password',
    });
    expect(existsSync(file)).toBe(false);

    const published = empty.with({ localAppData: { 'admin-password': 'x'.repeat(32) } });
    const out = await ctx.run(
      ctx.on.relationChanged(published, { remoteUnit: null }),
      waiting.with({ relations: [published] }),
    );
    expect(readFileSync(file, 'utf8')).toBe('x'.repeat(32));
    expect(out.unitStatus).toEqual({ name: 'active', message: 'password ready' });
  });

  it('rewrites a file whose content is wrong, and follows a new path from config', async () => {
    const peers = new PeerRelation('cluster', { localAppData: { 'admin-password': 'y'.repeat(32) } });
    const state = await ctx.run(ctx.on.updateStatus(), new State({ config: config(), relations: [peers] }));
    writeFileSync(file, 'tampered');
    await ctx.run(ctx.on.updateStatus(), state);
    expect(readFileSync(file, 'utf8')).toBe('y'.repeat(32));
    const moved = join(dir, 'elsewhere', 'pw');
    await ctx.run(ctx.on.configChanged(), state.with({ config: { 'password-file': moved } }));
    expect(readFileSync(moved, 'utf8')).toBe('y'.repeat(32));
    expect(statSync(moved).mode & 0o777).toBe(0o600);
  });

  it('a follower never generates a password', async () => {
    const out = await ctx.run(
      ctx.on.leaderSettingsChanged(),
      new State({ config: config(), relations: [new PeerRelation('cluster')] }),
    );
    expect(out.getRelation('cluster').localAppData).toEqual({});
  });
  it('never writes shared data that breaks the schema: a follower waits, the leader replaces it', async () => {
    const bad = new PeerRelation('cluster', { localAppData: { 'admin-password': 'short' } });
    const follower = await ctx.run(ctx.on.updateStatus(), new State({ config: config(), relations: [bad] }));
    expect(existsSync(file)).toBe(false);
    expect(follower.unitStatus).toEqual({
      name: 'waiting',
      message: 'the shared admin-password is invalid; waiting for the leader to replace it',
    });

    const leader = await ctx.run(
      ctx.on.updateStatus(),
      new State({ leader: true, config: config(), relations: [bad] }),
    );
    const replaced = leader.getRelation(bad.id).localAppData['admin-password'] ?? '';
    expect(replaced).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(file, 'utf8')).toBe(replaced);
    expect(leader.unitStatus).toEqual({ name: 'active', message: 'password ready' });
  });
});
