import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, PeerRelation, State } from '@charmkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadershipPasswordMeta, ReactiveLeadershipCharm } from './fixtures/leadership-password-reactive.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reactive-leadership-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const steps = (ctx: Context<ReactiveLeadershipCharm>) =>
  ctx.charm?.reactive.trace.map((t) => `r${t.round}:${t.handler}`);

describe('seed 000 in reactive form, with leadership flags', () => {
  it('the leader generates the password once; every unit stores it in the hook it learns of it', async () => {
    const ctx = new Context(ReactiveLeadershipCharm, { meta: leadershipPasswordMeta });
    const file = join(dir, 'pw');
    const config = { 'password-file': file };

    // install: no peer relation yet, so the leader cannot write; the handler will run again.
    const installed = await ctx.run(ctx.on.install(), new State({ leader: true, config }));
    expect(steps(ctx)).toEqual(['r0:generatePassword']);

    const peers = new PeerRelation('cluster', { id: 2 });
    const elected = await ctx.run(ctx.on.leaderElected(), installed.with({ relations: [peers] }));
    // set() raises leadership.set.* and leadership.changed.* at once, so storePassword follows.
    expect(steps(ctx)).toEqual(['r0:generatePassword', 'r1:storePassword']);
    const password = elected.getRelation(2).localAppData['admin-password'] ?? '';
    expect(password).toHaveLength(32);
    expect(ReactiveLeadershipCharm.readPassword(file)).toBe(password);

    await ctx.run(ctx.on.updateStatus(), elected);
    expect(steps(ctx)).toEqual([]);

    // A follower learns of it in whatever hook comes next.
    const followerFile = join(dir, 'follower-pw');
    const published = new PeerRelation('cluster', { id: 2, localAppData: { 'admin-password': password } });
    const follower = await ctx.run(
      ctx.on.relationChanged(published, { remoteUnit: null }),
      new State({ config: { 'password-file': followerFile }, relations: [published] }),
    );
    expect(steps(ctx)).toEqual(['r0:storePassword']);
    expect(ReactiveLeadershipCharm.readPassword(followerFile)).toBe(password);
    await ctx.run(ctx.on.updateStatus(), follower);
    expect(steps(ctx)).toEqual([]);
  });
});
