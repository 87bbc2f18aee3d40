import { PebbleAPIError } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';

const layer = {
  checks: {
    up: { override: 'replace' as const, level: 'alive' as const, http: { url: 'http://localhost/' } },
    lazy: { override: 'replace' as const, startup: 'disabled' as const, threshold: 5, tcp: { port: 80 } },
  },
};

describe('MemoryPebble checks', () => {
  it('reports plan checks, with the states the test set, and starts and stops them', async () => {
    const pebble = new MemoryPebble({
      layers: { base: layer },
      checks: [{ name: 'up', status: 'down', failures: 4 }],
    });
    expect(await pebble.getChecks()).toEqual([
      { name: 'lazy', startup: 'disabled', status: 'inactive', failures: 0, threshold: 5 },
      { name: 'up', startup: 'enabled', status: 'down', failures: 4, threshold: 3 },
    ]);
    expect((await pebble.getChecks({ level: 'alive' })).map((c) => c.name)).toEqual([]);
    expect((await pebble.getChecks({ names: ['lazy'] })).map((c) => c.name)).toEqual(['lazy']);
    expect(await pebble.startChecks(['lazy', 'up'])).toEqual(['lazy']);
    expect(await pebble.stopChecks(['up'])).toEqual(['up']);
    expect(pebble.checkInfos.map((c) => [c.name, c.status])).toEqual([
      ['lazy', 'up'],
      ['up', 'inactive'],
    ]);
    await expect(pebble.startChecks(['nope'])).rejects.toMatchObject({
      pebbleMessage: 'cannot start checks: cannot find checks in plan: nope',
    });
  });
});

describe('MemoryPebble notices', () => {
  it('records custom notices, repeats a key as occurrences, and filters', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const pebble = new MemoryPebble({
      now: () => now,
      notices: [{ key: 'example.com/old', type: 'custom' }],
    });
    const id = await pebble.notify('example.com/reload', { data: { n: '1' } });
    now = new Date('2026-01-01T00:01:00Z');
    expect(await pebble.notify('example.com/reload', { data: { n: '2' } })).toBe(id);
    const notice = await pebble.getNotice(id);
    expect(notice).toMatchObject({
      key: 'example.com/reload',
      type: 'custom',
      occurrences: 2,
      lastData: { n: '2' },
    });
    expect(notice.lastRepeated).toEqual(now);
    expect((await pebble.getNotices({ keys: ['example.com/reload'] })).map((n) => n.id)).toEqual([id]);
    expect((await pebble.getNotices({ after: new Date('2026-01-01T00:00:30Z') })).map((n) => n.id)).toEqual([
      id,
    ]);
    expect(await pebble.getNotices()).toHaveLength(2);
    await expect(pebble.notify('not a key')).rejects.toBeInstanceOf(PebbleAPIError);
    await expect(pebble.getNotice('999')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('MemoryPebble identities', () => {
  it('adds, replaces and removes identities', async () => {
    const pebble = new MemoryPebble({ identities: { alice: { access: 'admin', local: { userId: 1000 } } } });
    await pebble.replaceIdentities({ bob: { access: 'read', local: { userId: 1001 } }, alice: null });
    expect(await pebble.getIdentities()).toEqual({ bob: { access: 'read', local: { userId: 1001 } } });
    await expect(pebble.removeIdentities(['carol'])).rejects.toThrow('identity "carol" does not exist');
    await pebble.removeIdentities(['bob']);
    expect(await pebble.getIdentities()).toEqual({});
  });
});
