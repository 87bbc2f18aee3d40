import { PebbleAPIError, PebbleConnectionError } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';

const layer = {
  services: {
    web: { override: 'replace' as const, command: 'nginx', startup: 'enabled' as const, requires: ['db'] },
    db: { override: 'replace' as const, command: 'postgres' },
    worker: { override: 'replace' as const, command: 'work', startup: 'enabled' as const },
  },
};

const statuses = async (pebble: MemoryPebble) =>
  Object.fromEntries((await pebble.getServices()).map((s) => [s.name, s.current]));

describe('MemoryPebble services', () => {
  it('replan starts enabled services and what they require, as a change that is Done', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer } });
    expect(await statuses(pebble)).toEqual({ db: 'inactive', web: 'inactive', worker: 'inactive' });
    const id = await pebble.replan({ wait: false });
    const change = await pebble.waitChange(id);
    expect(change).toMatchObject({ id, kind: 'replan', status: 'Done', ready: true });
    expect(change.tasks.map((t) => t.summary)).toEqual([
      'Start service "db"',
      'Start service "web"',
      'Start service "worker"',
    ]);
    expect(await statuses(pebble)).toEqual({ db: 'active', web: 'active', worker: 'active' });
    expect((await pebble.getServices(['web']))[0]).toEqual({
      name: 'web',
      startup: 'enabled',
      current: 'active',
    });
  });

  it('replan restarts only the services whose definition changed', async () => {
    const pebble = new MemoryPebble({
      layers: { base: layer },
      services: { web: 'active', db: 'active', worker: 'active' },
    });
    const unchanged = await pebble.getChange(await pebble.replan());
    expect(unchanged.tasks).toEqual([]);
    await pebble.addLayer('v2', { services: { worker: { override: 'merge', environment: { V: '2' } } } });
    const changed = await pebble.getChange(await pebble.replan());
    expect(changed.tasks.map((t) => t.summary)).toEqual(['Stop service "worker"', 'Start service "worker"']);
  });

  it('stops dependants with a service, restarts, and autostarts the enabled ones', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer } });
    await pebble.startServices(['web']);
    expect(await statuses(pebble)).toEqual({ db: 'active', web: 'active', worker: 'inactive' });
    await pebble.stopServices(['db']);
    expect(await statuses(pebble)).toEqual({ db: 'inactive', web: 'inactive', worker: 'inactive' });
    await pebble.autostartServices();
    expect(await statuses(pebble)).toEqual({ db: 'active', web: 'active', worker: 'active' });
    const restart = await pebble.getChange(await pebble.restartServices(['worker']));
    expect(restart.tasks.map((t) => t.kind)).toEqual(['stop', 'start']);
    expect(pebble.changes.map((c) => c.kind)).toEqual(['start', 'stop', 'autostart', 'restart']);
  });

  it('refuses unknown services, empty requests and an autostart with nothing enabled', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer } });
    await expect(pebble.startServices(['nope'])).rejects.toMatchObject({
      statusCode: 400,
      pebbleMessage: 'cannot start services: service "nope" does not exist',
    });
    await expect(pebble.stopServices([])).rejects.toMatchObject({
      pebbleMessage: 'must specify services for stop action',
    });
    await expect(pebble.getChange('99')).rejects.toMatchObject({ statusCode: 404 });
    const empty = new MemoryPebble();
    const error = await empty.autostartServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect(error).toMatchObject({ kind: 'no-default-services' });
  });

  it('sends signals to running services only', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer }, services: { worker: 'active' } });
    await pebble.sendSignal('SIGHUP', ['worker']);
    expect(pebble.signals).toEqual([{ signal: 'SIGHUP', services: ['worker'] }]);
    await expect(pebble.sendSignal('SIGHUP', ['web'])).rejects.toThrow('service is not running');
    await expect(pebble.sendSignal('SIGNOPE', ['worker'])).rejects.toThrow('invalid signal name');
  });

  it('keeps a status the test set (error, backoff) until the charm acts', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer }, services: { worker: 'backoff' } });
    expect((await statuses(pebble)).worker).toBe('backoff');
    await pebble.restartServices(['worker']);
    expect((await statuses(pebble)).worker).toBe('active');
  });

  it('throws PebbleConnectionError for every call when it cannot connect', async () => {
    const pebble = new MemoryPebble({ name: 'web', canConnect: false, layers: { base: layer } });
    const calls: Array<() => Promise<unknown>> = [
      () => pebble.systemInfo(),
      () => pebble.getPlan(),
      () => pebble.replan(),
      () => pebble.pull('/x'),
      () => pebble.exec(['ls']),
      () => pebble.getChecks(),
      () => pebble.notify('example.com/x'),
      () => pebble.getIdentities(),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PebbleConnectionError);
      expect(error).toMatchObject({
        reason: 'socket-missing',
        socketPath: '/charm/containers/web/pebble.socket',
      });
    }
    pebble.canConnect = true;
    expect((await pebble.systemInfo()).version).toMatch(/^\d+\.\d+/);
  });
});
