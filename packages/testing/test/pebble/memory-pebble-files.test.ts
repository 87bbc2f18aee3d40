import { PebblePathError } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';

async function pathError(promise: Promise<unknown>): Promise<PebblePathError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PebblePathError);
  return error as PebblePathError;
}

describe('MemoryPebble files', () => {
  it('pushes and pulls text and bytes, recording permissions and owner', async () => {
    const pebble = new MemoryPebble({ files: { '/etc/app/app.conf': 'port: 80' } });
    expect(await pebble.pull('/etc/app/app.conf')).toBe('port: 80');
    await pebble.push('/etc/app/secret', new Uint8Array([1, 2, 3]), {
      permissions: 0o600,
      user: 'app',
      group: 'app',
    });
    expect(await pebble.pull('/etc/app/secret', { encoding: null })).toEqual(new Uint8Array([1, 2, 3]));
    const [info] = await pebble.listFiles('/etc/app/secret');
    expect(info).toMatchObject({
      path: '/etc/app/secret',
      name: 'secret',
      type: 'file',
      size: 3,
      permissions: 0o600,
      user: 'app',
      group: 'app',
    });
    expect(pebble.filesystem.entries()['/etc/app']).toEqual({ type: 'directory', permissions: 0o755 });
  });

  it('fails as Pebble does: missing parent, missing file, reading a directory', async () => {
    const pebble = new MemoryPebble({ files: { '/srv/data': { type: 'directory' } } });
    const noParent = await pathError(pebble.push('/a/b/c', 'x'));
    expect(noParent).toMatchObject({ kind: 'not-found', path: '/a/b/c' });
    await pebble.push('/a/b/c', 'x', { makeDirs: true });
    expect(await pebble.isDir('/a/b')).toBe(true);
    expect(await pathError(pebble.pull('/nope'))).toMatchObject({ kind: 'not-found' });
    const dir = await pathError(pebble.pull('/srv/data'));
    expect(dir.kind).toBe('generic-file-error');
    expect(dir.pebbleMessage).toBe('can only read a regular file: "/srv/data"');
    expect((await pathError(pebble.push('/srv/data', 'x'))).pebbleMessage).toContain('is a directory');
    expect((await pathError(pebble.pull('relative'))).pebbleMessage).toContain('paths must be absolute');
    expect((await pathError(pebble.listFiles('/missing'))).kind).toBe('not-found');
  });

  it('lists a directory by name with a glob, or the directory itself', async () => {
    const pebble = new MemoryPebble({
      files: { '/etc/a.conf': '1', '/etc/b.conf': '22', '/etc/c.txt': '', '/etc/sub/d.conf': '' },
    });
    expect((await pebble.listFiles('/etc')).map((f) => f.name)).toEqual(['a.conf', 'b.conf', 'c.txt', 'sub']);
    expect((await pebble.listFiles('/etc', { pattern: '*.conf' })).map((f) => f.path)).toEqual([
      '/etc/a.conf',
      '/etc/b.conf',
    ]);
    expect((await pebble.listFiles('/etc', { pattern: '[ab].c?nf' })).length).toBe(2);
    expect(await pebble.listFiles('/etc', { itself: true })).toMatchObject([
      { path: '/etc', type: 'directory' },
    ]);
    expect(await pebble.exists('/etc/sub/d.conf')).toBe(true);
    expect(await pebble.exists('/etc/sub/e.conf')).toBe(false);
  });

  it('makes directories and removes files and trees as Pebble does', async () => {
    const pebble = new MemoryPebble({ files: { '/srv/x/file': 'x' } });
    expect((await pathError(pebble.makeDir('/srv/x'))).pebbleMessage).toBe('mkdir /srv/x: file exists');
    expect((await pathError(pebble.makeDir('/a/b'))).kind).toBe('not-found');
    await pebble.makeDir('/a/b', { makeParents: true, permissions: 0o750, user: 'app' });
    await pebble.makeDir('/a/b', { makeParents: true });
    expect(pebble.filesystem.entries()['/a/b']).toEqual({
      type: 'directory',
      permissions: 0o750,
      user: 'app',
    });
    expect((await pathError(pebble.removePath('/srv/x'))).pebbleMessage).toBe(
      'remove /srv/x: directory not empty',
    );
    expect((await pathError(pebble.removePath('/nope'))).kind).toBe('not-found');
    await pebble.removePath('/nope', { recursive: true });
    await pebble.removePath('/srv/x', { recursive: true });
    expect(await pebble.exists('/srv/x/file')).toBe(false);
    expect(await pebble.exists('/srv')).toBe(true);
  });
});
