import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, Context, PeerRelation, State } from '@charmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEADER_HOST_KEY, REDIS_PASSWORD_KEY } from '../src/literals.js';
import { RedisK8sCharm } from '../src/redis-k8s-charm.js';
import { RespError, respCommands } from '../src/resp-client.js';
import { RespSentinel } from '../src/sentinel.js';

// The configuration the charm renders, run by the real redis-server and redis-sentinel (Debian's
// redis-server and redis-sentinel packages). Each unit gets its own loopback address, so both
// servers keep the ports the charm configures.
function installed(program: string): boolean {
  try {
    execFileSync('which', [program], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveRedis = installed('redis-server') && installed('redis-sentinel');
if (!haveRedis) {
  console.warn(
    'redis-server / redis-sentinel are not installed: skipping the real-Redis checks (apt-get install redis-server redis-sentinel)',
  );
}

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ip = (unit: number) => `127.0.0.${20 + unit}`;
// Made only when the test runs: a skipped file runs no afterAll to remove it.
let work = '';
const processes: ChildProcess[] = [];

function runWithRenderedConf(program: string, rendered: string, unit: number, name: string): void {
  // Only where to listen and where to keep data change; passwords, replication and monitoring are the charm's.
  const dir = join(work, `${name}-${unit}`);
  execFileSync('mkdir', ['-p', dir]);
  let conf = rendered.replace('bind 0.0.0.0', `bind ${ip(unit)}`).replace('dir /var/lib/redis', `dir ${dir}`);
  if (program === 'redis-sentinel') conf = `bind ${ip(unit)}\ndir ${dir}\n${conf}`;
  const path = join(dir, `${name}.conf`);
  writeFileSync(path, conf);
  const child = spawn(program, [path], { stdio: 'ignore' });
  processes.push(child);
}

/** Both workload containers, served in memory by the Context. */
const containers = () => [new Container('redis'), new Container('sentinel')];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!haveRedis) return;
  work = mkdtempSync(join(tmpdir(), 'redis-k8s-real-'));
  RedisK8sCharm.hostnameOf = (_app, unit) => ip(unit);
  RedisK8sCharm.sentinelAt = (host, port, password, master) => new RespSentinel(host, port, password, master);
});
afterAll(async () => {
  // SIGKILL: their data is throwaway, and a server still saving must not outlive the test.
  for (const child of processes) child.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!haveRedis)('redis-k8s against a real Redis and Sentinel', () => {
  it('the rendered passwords, replication and Sentinel monitoring work, and a later election passes the failover check', async () => {
    const leaderCtx = new Context(RedisK8sCharm, { charmDir, unitId: 0 });
    const peers0 = new PeerRelation('redis-peers', { peersData: { 1: {} } });
    const elected = await leaderCtx.run(
      leaderCtx.on.leaderElected(),
      new State({ leader: true, relations: [peers0], containers: containers() }),
    );
    const appData = elected.getRelation(peers0.id).localAppData;
    const password = appData[REDIS_PASSWORD_KEY] as string;
    expect(appData[LEADER_HOST_KEY]).toBe(ip(0));

    const followerCtx = new Context(RedisK8sCharm, { charmDir, unitId: 1 });
    const peers1 = new PeerRelation('redis-peers', { peersData: { 0: {} }, localAppData: appData });
    const follower = await followerCtx.run(
      followerCtx.on.configChanged(),
      new State({ relations: [peers1], containers: containers() }),
    );

    // What each unit's charm wrote into its containers is what the real servers run.
    for (const [unit, out] of [elected, follower].entries()) {
      runWithRenderedConf(
        'redis-server',
        out.getContainer('redis').readText('/etc/redis/redis.conf'),
        unit,
        'redis',
      );
      runWithRenderedConf(
        'redis-sentinel',
        out.getContainer('sentinel').readText('/etc/redis/sentinel.conf'),
        unit,
        'sentinel',
      );
    }

    // The password guards the master: without it, NOAUTH.
    const [unauthenticated] = await until('redis on unit 0', async () =>
      respCommands(ip(0), 6379, [['PING']]),
    );
    expect(unauthenticated).toBeInstanceOf(RespError);
    expect(
      await respCommands(ip(0), 6379, [
        ['AUTH', password],
        ['SET', 'seed', '004'],
      ]),
    ).toEqual(['OK', 'OK']);
    // Unit 1 replicates from the leader-host with masterauth, and serves the write.
    const replicated = await until('replication to unit 1', async () => {
      const [, value] = await respCommands(ip(1), 6379, [
        ['AUTH', password],
        ['GET', 'seed'],
      ]);
      return value === '004' ? value : undefined;
    });
    expect(replicated).toBe('004');

    // Sentinel monitors the leader's redis, behind the sentinel password.
    const sentinel = new RespSentinel(ip(1), 26379, appData['sentinel-password'] as string, 'redis-k8s');
    const master = await until('sentinel on unit 1', async () => sentinel.masterAddress());
    expect(master).toEqual({ host: ip(0), port: 6379 });
    expect(await sentinel.failoverInProgress()).toBe(false);

    // Leadership moves to unit 1: its failover check asks the real sentinels and passes.
    const peersLater = new PeerRelation('redis-peers', { peersData: { 0: {} }, localAppData: appData });
    const later = await followerCtx.run(
      followerCtx.on.leaderElected(),
      new State({ leader: true, relations: [peersLater], containers: containers() }),
    );
    expect(later.deferred).toEqual([]);
    expect(later.getRelation(peersLater.id).localAppData[LEADER_HOST_KEY]).toBe(ip(0));
  }, 180_000);
});
