import { describe, expect, it } from 'vitest';
import { CheckNotFoundError, Container, ModelError, ServiceNotFoundError } from '../../src/index.js';
import {
  type CheckInfo,
  PebbleConnectionError,
  PebbleProtocolError,
  type ServiceInfo,
} from '../../src/pebble/index.js';
import { stubPebble } from '../helpers/stub-pebble.js';

const redis: ServiceInfo = { name: 'redis', startup: 'enabled', current: 'active' };
const alive: CheckInfo = { name: 'alive', startup: 'enabled', status: 'down', failures: 3, threshold: 3 };

describe('Container over any Pebble', () => {
  it('canConnect asks systemInfo: an answer is true, a connection error false', async () => {
    const up = stubPebble({ systemInfo: async () => ({ version: '1.19.0' }) });
    expect(await new Container('redis', up.pebble).canConnect()).toBe(true);
    expect(up.calls.map((c) => c.method)).toEqual(['systemInfo']);

    const down = stubPebble({
      systemInfo: async () => {
        throw new PebbleConnectionError('no socket', { socketPath: '/x', reason: 'socket-missing' });
      },
    });
    expect(await new Container('redis', down.pebble).canConnect()).toBe(false);
  });

  it('canConnect is false when Pebble does not answer in time', async () => {
    const hung = stubPebble({ systemInfo: () => new Promise(() => {}) });
    expect(await new Container('redis', hung.pebble).canConnect(20)).toBe(false);
  });

  it('canConnect rethrows failures that are not about connecting', async () => {
    const garbled = stubPebble({
      systemInfo: async () => {
        throw new PebbleProtocolError('not JSON');
      },
    });
    await expect(new Container('redis', garbled.pebble).canConnect()).rejects.toBeInstanceOf(
      PebbleProtocolError,
    );
  });

  it('delegates service actions with their names and options', async () => {
    const { pebble, calls } = stubPebble({
      startServices: async () => '1',
      stopServices: async () => '2',
      restartServices: async () => '3',
      replan: async () => '4',
      autostartServices: async () => '5',
      sendSignal: async () => {},
    });
    const container = new Container('redis', pebble);
    await container.start('a', 'b');
    await container.stop('a');
    await container.restart('b');
    await container.replan({ timeout: 100 });
    await container.autostart();
    await container.sendSignal('SIGHUP', 'a', 'b');
    expect(calls).toEqual([
      { method: 'startServices', args: [['a', 'b']] },
      { method: 'stopServices', args: [['a']] },
      { method: 'restartServices', args: [['b']] },
      { method: 'replan', args: [{ timeout: 100 }] },
      { method: 'autostartServices', args: [undefined] },
      { method: 'sendSignal', args: ['SIGHUP', ['a', 'b']] },
    ]);
  });

  it('refuses service actions without names (Pebble would read "all")', async () => {
    const { pebble, calls } = stubPebble({});
    const container = new Container('redis', pebble);
    await expect(container.stop()).rejects.toThrow(TypeError);
    await expect(container.start()).rejects.toThrow('container.start() needs at least one name');
    await expect(container.sendSignal('SIGHUP')).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });

  it('getService returns the one service, or ServiceNotFoundError', async () => {
    const { pebble, calls } = stubPebble({
      getServices: async (names?: readonly string[]) => (names?.includes('redis') ? [redis] : []),
    });
    const container = new Container('redis', pebble);
    expect(await container.getService('redis')).toEqual(redis);
    expect(calls[0]).toEqual({ method: 'getServices', args: [['redis']] });
    const error = await container.getService('nginx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ServiceNotFoundError).code).toBe('CHARMKIT_NO_SUCH_SERVICE');
    expect((error as Error).message).toBe('container "redis" has no service "nginx"');
  });

  it('getCheck returns the one check, or CheckNotFoundError', async () => {
    const { pebble, calls } = stubPebble({
      getChecks: async (options) => (options?.names?.includes('alive') ? [alive] : []),
    });
    const container = new Container('redis', pebble);
    expect(await container.getCheck('alive')).toEqual(alive);
    expect(calls[0]).toEqual({ method: 'getChecks', args: [{ names: ['alive'] }] });
    const error = await container.getCheck('ready').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckNotFoundError);
    expect((error as CheckNotFoundError).code).toBe('CHARMKIT_NO_SUCH_CHECK');
  });

  it('passes files, exec, checks and notices through unchanged', async () => {
    const bytes = new Uint8Array([1, 2]);
    const { pebble, calls } = stubPebble({
      push: async () => {},
      pull: (async (_path: string, options?: { encoding?: BufferEncoding | null }) =>
        options?.encoding === null ? bytes : 'text') as never,
      listFiles: async () => [],
      exists: async () => true,
      isDir: async () => false,
      makeDir: async () => {},
      removePath: async () => {},
      exec: (async () => ({ command: ['ls'] })) as never,
      getChecks: async () => [alive],
      startChecks: async (names) => [...names],
      stopChecks: async () => [],
      getNotices: async () => [],
      notify: async () => '7',
      addLayer: async () => {},
      getPlan: async () => ({ services: {}, checks: {}, logTargets: {} }),
    });
    const c = new Container('redis', pebble);
    await c.push('/a', 'x', { makeDirs: true });
    expect(await c.pull('/a')).toBe('text');
    expect(await c.pull('/a', { encoding: null })).toBe(bytes);
    await c.listFiles('/', { pattern: '*.conf' });
    expect(await c.exists('/a')).toBe(true);
    expect(await c.isDir('/a')).toBe(false);
    await c.makeDir('/d', { makeParents: true });
    await c.removePath('/d', { recursive: true });
    await c.exec(['ls'], { workingDir: '/' });
    expect(await c.getChecks({ level: 'alive' })).toEqual([alive]);
    expect(await c.startChecks('alive')).toEqual(['alive']);
    await c.stopChecks('alive');
    await c.getNotices({ keys: ['example.com/a'] });
    expect(await c.notify('example.com/a', { data: { k: 'v' } })).toBe('7');
    await c.addLayer('base', { summary: 's' }, { combine: true });
    await c.getPlan();
    expect(calls.map((call) => [call.method, ...call.args])).toEqual([
      ['push', '/a', 'x', { makeDirs: true }],
      ['pull', '/a', undefined],
      ['pull', '/a', { encoding: null }],
      ['listFiles', '/', { pattern: '*.conf' }],
      ['exists', '/a'],
      ['isDir', '/a'],
      ['makeDir', '/d', { makeParents: true }],
      ['removePath', '/d', { recursive: true }],
      ['exec', ['ls'], { workingDir: '/' }],
      ['getChecks', { level: 'alive' }],
      ['startChecks', ['alive']],
      ['stopChecks', ['alive']],
      ['getNotices', { keys: ['example.com/a'] }],
      ['notify', 'example.com/a', { data: { k: 'v' } }],
      ['addLayer', 'base', { summary: 's' }, { combine: true }],
      ['getPlan'],
    ]);
    expect(c.pebble).toBe(pebble);
    expect(String(c)).toBe('redis');
  });
});
