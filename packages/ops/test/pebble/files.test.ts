import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PebbleClient, PebblePathError } from '../../src/pebble/index.js';
import { FakePebbleServer } from './fake-pebble-server.js';

let fake: FakePebbleServer;
let client: PebbleClient;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
  client = new PebbleClient({ socketPath: fake.socketPath, timeout: 5000 });
  await fs.mkdir(fake.hostPath('/etc/redis'), { recursive: true });
});

afterEach(async () => {
  await fake.close();
});

async function mode(containerPath: string): Promise<number> {
  return (await fs.stat(fake.hostPath(containerPath))).mode & 0o777;
}

async function put(containerPath: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(dirname(fake.hostPath(containerPath)), { recursive: true });
  await fs.writeFile(fake.hostPath(containerPath), data);
}

describe('push and pull', () => {
  it('round-trips UTF-8 text with the default permissions', async () => {
    const text = 'port 6379\n# naïve ☃ 🚀\r\nbind 0.0.0.0\n';
    await client.push('/etc/redis/redis.conf', text);
    expect(await fs.readFile(fake.hostPath('/etc/redis/redis.conf'), 'utf8')).toBe(text);
    expect(await mode('/etc/redis/redis.conf')).toBe(0o644);
    expect(fake.writes).toEqual([{ path: '/etc/redis/redis.conf' }]);
    expect(fake.requests.at(-1)?.contentType).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{48}$/);
    expect(await client.pull('/etc/redis/redis.conf')).toBe(text);
  });

  it('round-trips binary data with bytes that look like multipart syntax', async () => {
    const boundaryLike = `\r\n--${'a'.repeat(48)}\r\n`;
    const data = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from(
        `\r\n--\r\n\r\n--${boundaryLike}--\r\nContent-Disposition: form-data; name="files"\r\n\r\n`,
      ),
      Buffer.from([0, 0, 13, 10, 13, 10, 45, 45]),
      randomBytes(4096),
      Buffer.from('\r\n'),
    ]);
    await client.push('/data/blob.bin', new Uint8Array(data), { makeDirs: true });
    expect((await fs.readFile(fake.hostPath('/data/blob.bin'))).equals(data)).toBe(true);
    const pulled = await client.pull('/data/blob.bin', { encoding: null });
    expect(pulled).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(pulled).equals(data)).toBe(true);
  });

  it('round-trips an empty file and a 2 MiB file', async () => {
    await client.push('/etc/empty', '');
    expect(await client.pull('/etc/empty')).toBe('');
    const big = randomBytes(2 * 1024 * 1024);
    await client.push('/etc/big', big);
    expect(Buffer.from(await client.pull('/etc/big', { encoding: null })).equals(big)).toBe(true);
  });

  it('sets permissions and sends ownership in the metadata', async () => {
    await client.push('/etc/redis/secret', 'hunter2', { permissions: 0o600, user: 'redis', group: 'redis' });
    expect(await mode('/etc/redis/secret')).toBe(0o600);
    await client.push('/etc/redis/ids', 'x', { permissions: 0o640, userId: 999, groupId: 1000 });
    expect(await mode('/etc/redis/ids')).toBe(0o640);
    expect(fake.writes).toEqual([
      { path: '/etc/redis/secret', permissions: '600', user: 'redis', group: 'redis' },
      { path: '/etc/redis/ids', permissions: '640', 'user-id': 999, 'group-id': 1000 },
    ]);
  });

  it('encodes and decodes text with another encoding', async () => {
    await client.push('/etc/latin', 'café', { encoding: 'latin1' });
    expect([...(await fs.readFile(fake.hostPath('/etc/latin')))]).toEqual([0x63, 0x61, 0x66, 0xe9]);
    expect(await client.pull('/etc/latin', { encoding: 'latin1' })).toBe('café');
  });

  it('needs makeDirs for a missing parent directory', async () => {
    const error = await client.push('/srv/app/config.yaml', 'a: 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebblePathError);
    expect(error).toMatchObject({
      code: 'CHARMKIT_PEBBLE_PATH',
      kind: 'not-found',
      path: '/srv/app/config.yaml',
    });
    await client.push('/srv/app/config.yaml', 'a: 1', { makeDirs: true });
    expect(fake.writes.at(-1)).toMatchObject({ 'make-dirs': true });
    expect(await client.pull('/srv/app/config.yaml')).toBe('a: 1');
  });

  it('rejects impossible permissions before sending anything', async () => {
    const before = fake.requests.length;
    await expect(client.push('/etc/x', 'x', { permissions: 0o1777 })).rejects.toThrow(RangeError);
    await expect(client.push('/etc/x', 'x', { permissions: 6.5 })).rejects.toThrow(/0o777/);
    expect(fake.requests.length).toBe(before);
  });

  it('reports a missing file on pull as PebblePathError', async () => {
    const error = await client.pull('/etc/missing.conf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebblePathError);
    expect(error).toMatchObject({ kind: 'not-found', path: '/etc/missing.conf' });
    expect((error as Error).message).toContain('"/etc/missing.conf"');
    const request = fake.requests.at(-1);
    expect(request?.query.get('action')).toBe('read');
    expect(request?.query.get('path')).toBe('/etc/missing.conf');
  });

  it('pulls a file whose name needs quoting in the multipart header', async () => {
    const path = '/etc/we"ird\\name; filename="x".txt';
    await put(path, 'odd');
    expect(await client.pull(path)).toBe('odd');
  });
});

describe('listing and checking paths', () => {
  beforeEach(async () => {
    await put('/srv/b.conf', 'bb');
    await put('/srv/a.conf', 'a');
    await put('/srv/notes.txt', 'n');
    await fs.mkdir(fake.hostPath('/srv/sub'));
    await fs.chmod(fake.hostPath('/srv/a.conf'), 0o600);
  });

  it('lists a directory', async () => {
    const files = await client.listFiles('/srv');
    expect(files.map((f) => `${f.name}:${f.type}`)).toEqual([
      'a.conf:file',
      'b.conf:file',
      'notes.txt:file',
      'sub:directory',
    ]);
    const a = files[0];
    expect(a).toMatchObject({ path: '/srv/a.conf', size: 1, permissions: 0o600 });
    expect(a?.lastModified).toBeInstanceOf(Date);
    expect(typeof a?.userId).toBe('number');
    expect(files[3]?.size).toBeUndefined();
  });

  it('filters by pattern and describes a directory itself', async () => {
    expect((await client.listFiles('/srv', { pattern: '*.conf' })).map((f) => f.name)).toEqual([
      'a.conf',
      'b.conf',
    ]);
    expect(fake.requests.at(-1)?.query.get('pattern')).toBe('*.conf');
    const [dir, ...rest] = await client.listFiles('/srv', { itself: true });
    expect(rest).toEqual([]);
    expect(dir).toMatchObject({ path: '/srv', name: 'srv', type: 'directory' });
    expect(fake.requests.at(-1)?.query.get('itself')).toBe('true');
  });

  it('reports a missing path as PebblePathError not-found', async () => {
    const error = await client.listFiles('/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebblePathError);
    expect(error).toMatchObject({ kind: 'not-found', path: '/nope' });
  });

  it('answers exists and isDir', async () => {
    expect(await client.exists('/srv/a.conf')).toBe(true);
    expect(await client.exists('/srv')).toBe(true);
    expect(await client.exists('/srv/zzz')).toBe(false);
    expect(await client.isDir('/srv')).toBe(true);
    expect(await client.isDir('/srv/a.conf')).toBe(false);
    expect(await client.isDir('/srv/zzz')).toBe(false);
  });
});

describe('makeDir and removePath', () => {
  it('makes a directory with permissions', async () => {
    await client.makeDir('/var/lib/redis', { makeParents: true, permissions: 0o750, user: 'redis' });
    expect((await fs.stat(fake.hostPath('/var/lib/redis'))).isDirectory()).toBe(true);
    expect(await mode('/var/lib/redis')).toBe(0o750);
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}')).toEqual({
      action: 'make-dirs',
      dirs: [{ path: '/var/lib/redis', 'make-parents': true, permissions: '750', user: 'redis' }],
    });
  });

  it('fails without makeParents when the parent is missing or the directory exists', async () => {
    await expect(client.makeDir('/a/b/c')).rejects.toMatchObject({ kind: 'not-found', path: '/a/b/c' });
    await client.makeDir('/a');
    const error = await client.makeDir('/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebblePathError);
    expect(error).toMatchObject({ kind: 'generic-file-error', path: '/a' });
    await client.makeDir('/a', { makeParents: true });
  });

  it('removes files and trees', async () => {
    await put('/tree/x/y.txt', 'y');
    await put('/tree/z.txt', 'z');
    await client.removePath('/tree/z.txt');
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '{}')).toEqual({
      action: 'remove',
      paths: [{ path: '/tree/z.txt', recursive: false }],
    });
    expect(await client.exists('/tree/z.txt')).toBe(false);

    const notEmpty = await client.removePath('/tree').catch((e: unknown) => e);
    expect(notEmpty).toBeInstanceOf(PebblePathError);
    expect(notEmpty).toMatchObject({ kind: 'generic-file-error', path: '/tree' });

    await client.removePath('/tree', { recursive: true });
    expect(await client.exists('/tree')).toBe(false);
  });

  it('treats a missing path as an error only when not recursive', async () => {
    await expect(client.removePath('/ghost')).rejects.toMatchObject({ kind: 'not-found' });
    await client.removePath('/ghost', { recursive: true });
  });
});
