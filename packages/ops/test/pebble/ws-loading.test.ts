import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakePebbleServer } from './fake-pebble-server.js';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

afterEach(() => {
  vi.doUnmock('ws');
  vi.resetModules();
});

describe('ws is loaded only by exec', () => {
  it('no source file imports ws at module level, except as types', () => {
    const offenders = sourceFiles(SRC).filter((file) =>
      /^\s*import\s+(?!type\b)[^;]*from\s+['"]ws['"]/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('importing @charmkit/ops and its pebble entry does not load ws; exec does', {
    timeout: 20_000,
  }, async () => {
    // The fake serves websockets with the real ws, imported above, before the mock.
    const fake = await FakePebbleServer.start();
    let loaded = false;
    vi.resetModules();
    vi.doMock('ws', async (importOriginal) => {
      loaded = true;
      return importOriginal();
    });
    try {
      await import('../../src/index.js');
      const pebble = await import('../../src/pebble/index.js');
      const client = new pebble.PebbleClient({ socketPath: fake.socketPath });
      await client.systemInfo();
      await client.getChecks();
      expect(loaded).toBe(false);
      await (await client.exec(['true'])).wait();
      expect(loaded).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
