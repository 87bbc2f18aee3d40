import { PebbleAPIError } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';

const base = {
  summary: 'base',
  services: {
    web: {
      override: 'replace' as const,
      command: 'nginx -g daemon',
      startup: 'enabled' as const,
      environment: { A: '1' },
      after: ['db'],
    },
    db: { override: 'replace' as const, command: 'postgres', startup: 'disabled' as const },
  },
};

async function rejection(promise: Promise<unknown>): Promise<PebbleAPIError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PebbleAPIError);
  return error as PebbleAPIError;
}

describe('MemoryPebble layers and plan', () => {
  it('merges a later layer into the plan field by field, and replaces on override: replace', async () => {
    const pebble = new MemoryPebble();
    await pebble.addLayer('base', base);
    await pebble.addLayer('tune', {
      services: {
        web: { override: 'merge', environment: { B: '2' }, after: ['cache'], command: 'nginx' },
        db: { override: 'replace', command: 'postgres -D /data' },
      },
    });
    const plan = await pebble.getPlan();
    expect(plan.services.web).toEqual({
      override: 'merge',
      command: 'nginx',
      startup: 'enabled',
      environment: { A: '1', B: '2' },
      after: ['db', 'cache'],
    });
    // Replace drops what the lower layer said (startup).
    expect(plan.services.db).toEqual({ override: 'replace', command: 'postgres -D /data' });
    expect(plan.checks).toEqual({});
    expect(Object.keys(pebble.layers)).toEqual(['base', 'tune']);
  });

  it('refuses an entry without override, a label that exists, and a plan without a command', async () => {
    const pebble = new MemoryPebble({ layers: { base } });
    const missing = await rejection(
      pebble.addLayer('x', { services: { web: { command: 'nginx' } as never } }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.pebbleMessage).toBe('layer "x" must define "override" for service "web"');
    const exists = await rejection(pebble.addLayer('base', base));
    expect(exists.pebbleMessage).toBe('layer "base" already exists');
    const noCommand = await rejection(pebble.addLayer('y', { services: { new: { override: 'merge' } } }));
    expect(noCommand.pebbleMessage).toBe('plan must define "command" for service "new"');
    // Refused layers change nothing.
    expect(Object.keys(pebble.layers)).toEqual(['base']);
    expect(Object.keys((await pebble.getPlan()).services)).toEqual(['web', 'db']);
  });

  it('combines into the layer with the same label, keeping its place', async () => {
    const pebble = new MemoryPebble({
      layers: { base, top: { services: { web: { override: 'merge', user: 'www' } } } },
    });
    await pebble.addLayer(
      'base',
      { services: { web: { override: 'merge', user: 'root', group: 'g' } } },
      { combine: true },
    );
    expect(Object.keys(pebble.layers)).toEqual(['base', 'top']);
    // `top` still wins over the combined `base`.
    expect((await pebble.getPlan()).services.web?.user).toBe('www');
    expect((await pebble.getPlan()).services.web?.group).toBe('g');
  });

  it('reads a layer given as Pebble YAML, keeping user keys as they are', async () => {
    const pebble = new MemoryPebble();
    await pebble.addLayer(
      'yaml',
      [
        'services:',
        '  my-app:',
        '    override: replace',
        '    command: /bin/app',
        '    working-dir: /srv',
        '    environment: {LOG_LEVEL: debug, my-var: x}',
        '    on-check-failure: {up-check: restart}',
        'checks:',
        '  up-check:',
        '    override: replace',
        '    http: {url: "http://localhost:8080/"}',
      ].join('\n'),
    );
    const plan = await pebble.getPlan();
    expect(plan.services['my-app']).toEqual({
      override: 'replace',
      command: '/bin/app',
      workingDir: '/srv',
      environment: { LOG_LEVEL: 'debug', 'my-var': 'x' },
      onCheckFailure: { 'up-check': 'restart' },
    });
    expect(plan.checks['up-check']?.http?.url).toBe('http://localhost:8080/');
  });

  it('checks that a check has exactly one kind', async () => {
    const pebble = new MemoryPebble();
    const error = await rejection(
      pebble.addLayer('c', { checks: { c: { override: 'replace', period: '5s' } } }),
    );
    expect(error.pebbleMessage).toBe('plan must specify one of "http", "tcp", or "exec" for check "c"');
  });
});
