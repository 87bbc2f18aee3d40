import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PebbleAPIError,
  PebbleClient,
  PebbleExecError,
  PebbleExecTimeoutError,
  PebblePathError,
} from '@charmkit/ops/pebble';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';
import { PebbleSocketServer } from '../../src/simulator/pebble-socket-server.js';

// The production client against a MemoryPebble served on a socket: what a process-mode charm sees.
let dir: string;
let pebble: MemoryPebble;
let server: PebbleSocketServer;
let client: PebbleClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'charmkit-pebble-sock-'));
  pebble = new MemoryPebble({
    name: 'web',
    execHandlers: [
      { command: ['echo'], run: (call) => ({ stdout: `${call.command.slice(1).join(' ')}\n` }) },
      { command: ['cat'], run: (call) => ({ stdout: call.stdin.toUpperCase(), stderr: 'read stdin\n' }) },
      { command: ['env'], run: (call) => ({ stdout: `${call.environment.GREETING} in ${call.workingDir}` }) },
      { command: ['false'], stdout: 'partial', stderr: 'it failed\n', exitCode: 3 },
      { command: ['sleep'], timedOut: true },
    ],
  });
  server = await PebbleSocketServer.listen(join(dir, 'web', 'pebble.socket'), () => pebble);
  client = new PebbleClient({ socketPath: server.socketPath });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PebbleSocketServer', () => {
  it('layers, plan, replan and services', async () => {
    expect((await client.systemInfo()).version).toBe('1.19.0');
    await client.addLayer(
      'base',
      {
        services: {
          'my-app': {
            override: 'replace',
            command: 'serve',
            startup: 'enabled',
            environment: { LOG_LEVEL: 'debug' },
            workingDir: '/srv',
          },
        },
        checks: { alive: { override: 'replace', level: 'alive', http: { url: 'http://localhost/' } } },
      },
      { combine: true },
    );
    const plan = await client.getPlan();
    expect(plan.services['my-app']).toEqual({
      override: 'replace',
      command: 'serve',
      startup: 'enabled',
      environment: { LOG_LEVEL: 'debug' },
      workingDir: '/srv',
    });
    expect(plan.checks.alive?.http?.url).toBe('http://localhost/');
    await client.replan();
    expect((await client.getServices()).map((s) => [s.name, s.current])).toEqual([['my-app', 'active']]);
    expect(pebble.serviceStatuses).toEqual({ 'my-app': 'active' });
    await client.sendSignal('SIGHUP', ['my-app']);
    expect(pebble.signals).toEqual([{ signal: 'SIGHUP', services: ['my-app'] }]);
    await client.stopServices(['my-app']);
    expect(pebble.serviceStatuses).toEqual({ 'my-app': 'inactive' });
    await expect(client.startServices(['nope'])).rejects.toBeInstanceOf(PebbleAPIError);
  });

  it('files: push, pull, list, make-dirs, remove, and per-path errors', async () => {
    await client.push('/etc/app/config.yaml', 'port: 80\n', { makeDirs: true, permissions: 0o600 });
    expect(pebble.readText('/etc/app/config.yaml')).toBe('port: 80\n');
    expect(await client.pull('/etc/app/config.yaml')).toBe('port: 80\n');
    const [info] = await client.listFiles('/etc/app/config.yaml', { itself: true });
    expect(info).toMatchObject({ name: 'config.yaml', type: 'file', permissions: 0o600 });
    expect(await client.exists('/etc/app')).toBe(true);
    expect(await client.exists('/nowhere')).toBe(false);
    await client.makeDir('/var/lib/app', { makeParents: true });
    expect(await client.isDir('/var/lib/app')).toBe(true);
    await client.removePath('/var/lib/app');
    expect(await client.exists('/var/lib/app')).toBe(false);
    await expect(client.pull('/missing')).rejects.toBeInstanceOf(PebblePathError);
    await expect(client.push('/no/parent/file', 'x')).rejects.toBeInstanceOf(PebblePathError);
  });

  it('checks and notices', async () => {
    await client.addLayer('c', { checks: { ready: { override: 'replace', tcp: { port: 80 } } } });
    pebble.setCheck({ name: 'ready', status: 'down', failures: 3 });
    expect(await client.getChecks()).toEqual([
      { name: 'ready', startup: 'enabled', status: 'down', failures: 3, threshold: 3 },
    ]);
    expect(await client.stopChecks(['ready'])).toEqual(['ready']);
    const id = await client.notify('example.com/done', { data: { Size: '42' }, repeatAfter: 1500 });
    const notice = await client.getNotice(id);
    expect(notice).toMatchObject({ key: 'example.com/done', lastData: { Size: '42' }, repeatAfter: 1500 });
    expect((await client.getNotices({ keys: ['example.com/done'] })).map((n) => n.id)).toEqual([id]);
    await expect(client.getNotice('999')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('identities', async () => {
    await client.replaceIdentities({ bob: { access: 'admin', local: { userId: 42 } } });
    expect(await client.getIdentities()).toEqual({ bob: { access: 'admin', local: { userId: 42 } } });
    await client.removeIdentities(['bob']);
    expect(await client.getIdentities()).toEqual({});
  });

  it('exec over the task websockets: output, stdin, environment, exit codes, timeouts', async () => {
    expect(await (await client.exec(['echo', 'hello', 'there'])).waitOutput()).toEqual({
      stdout: 'hello there\n',
      stderr: '',
    });
    const cat = await client.exec(['cat'], { stdin: 'shout this' });
    expect(await cat.waitOutput()).toEqual({ stdout: 'SHOUT THIS', stderr: 'read stdin\n' });
    const combined = await client.exec(['cat'], { stdin: 'x', combineStderr: true });
    expect((await combined.waitOutput()).stdout).toBe('Xread stdin\n');
    const env = await client.exec(['env'], { environment: { GREETING: 'hi' }, workingDir: '/srv' });
    expect((await env.waitOutput()).stdout).toBe('hi in /srv');
    const failing = await client.exec(['false']);
    const error = await failing.waitOutput().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleExecError);
    expect(error).toMatchObject({ exitCode: 3, stdout: 'partial', stderr: 'it failed\n' });
    const slow = await client.exec(['sleep', '10'], { timeout: 500 });
    await expect(slow.wait()).rejects.toBeInstanceOf(PebbleExecTimeoutError);
    // What ran is recorded on the in-memory Pebble, as in process.
    expect(pebble.execs.map((e) => e.command[0])).toEqual(['echo', 'cat', 'cat', 'env', 'false', 'sleep']);
    expect(pebble.execs[1]?.stdin).toBe('shout this');
  });

  it('exec of a command no handler answers is refused at once, naming the command', async () => {
    const refused = await client.exec(['rm', '-rf', '/']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PebbleAPIError);
    expect(String(refused)).toMatch(/cannot find executable "rm".*exec handler/s);
  });

  it('serves whatever Pebble the getter returns now (a restarted container)', async () => {
    await client.push('/a', 'one');
    pebble = new MemoryPebble({ name: 'web' });
    expect(await client.exists('/a')).toBe(false);
  });
});
