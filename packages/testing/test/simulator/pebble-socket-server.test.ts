import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleAPIError, PebbleClient, PebblePathError } from '@charmkit/ops/pebble';
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
  pebble = new MemoryPebble({ name: 'web' });
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

  it('exec fails with an error naming the limitation', async () => {
    await expect(client.exec(['ls'])).rejects.toThrow(/exec is not simulated in process mode/);
  });

  it('serves whatever Pebble the getter returns now (a restarted container)', async () => {
    await client.push('/a', 'one');
    pebble = new MemoryPebble({ name: 'web' });
    expect(await client.exists('/a')).toBe(false);
  });
});
