import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageBusyError, StorageCorruptError, StorageError, StorageNotAFileError } from '../src/index.js';
import { DEFAULT_BUSY_TIMEOUT_MS, SqliteStorage } from '../src/internal/index.js';
import { connectionOf } from '../src/storage/sqlite-storage.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'charmkit-storage-faults-'));
  path = join(dir, '.unit-state.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a locked database', () => {
  it('has a deliberate, documented default busy timeout', () => {
    expect(DEFAULT_BUSY_TIMEOUT_MS).toBe(30_000);
  });

  it('is reported as in use, not corrupt, when another connection holds a write lock', () => {
    new SqliteStorage(path).close();
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const error = errorOf(() => {
        const s = new SqliteStorage(path, { busyTimeoutMs: 50 });
        s.begin();
      });
      expect(error).toBeInstanceOf(StorageBusyError);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageBusyError).code).toBe('CHARMKIT_STORAGE_BUSY');
      const message = (error as Error).message;
      expect(message).toContain(path);
      expect(message).toMatch(/in use by another process/);
      expect(message).toMatch(/charmkit state/);
      expect(message).toMatch(/nothing is wrong with the file/);
      expect(message).not.toMatch(/corrupt|move it aside to start/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('is reported as in use when another SqliteStorage holds the dispatch transaction', () => {
    const holder = new SqliteStorage(path);
    holder.begin();
    try {
      const error = errorOf(() => {
        const s = new SqliteStorage(path, { busyTimeoutMs: 50 });
        s.begin();
      });
      expect(error).toBeInstanceOf(StorageBusyError);
    } finally {
      holder.close();
    }
  });

  it('keeps calling real corruption corrupt, with its own code', () => {
    writeFileSync(path, 'this is not sqlite at all, just some text that is long enough\n'.repeat(50));
    const error = errorOf(() => new SqliteStorage(path).begin());
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as StorageCorruptError).code).toBe('CHARMKIT_STORAGE_CORRUPT');
  });
});

describe('a full disk', () => {
  it('rolls back safely after SQLite has already rolled back, and close() does not throw', () => {
    const s = new SqliteStorage(path);
    s.begin();
    s.commit();
    const db = connectionOf(s);
    s.begin();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let first: unknown;
    try {
      for (let i = 0; i < 100; i++) s.saveSnapshot(`h${i}`, 'x'.repeat(10_000));
    } catch (error) {
      first = error;
    }
    expect((first as { code?: string }).code).toBe('SQLITE_FULL');
    expect(db.inTransaction).toBe(false);
    expect(() => s.rollback()).not.toThrow();
    expect(() => s.close()).not.toThrow();
  });
});

describe('a database path that is not a regular file', () => {
  const refused = (what: RegExp) => {
    const error = errorOf(() => new SqliteStorage(path));
    expect(error).toBeInstanceOf(StorageNotAFileError);
    expect((error as StorageNotAFileError).code).toBe('CHARMKIT_STORAGE_NOT_A_FILE');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(what);
  };

  it('refuses a directory', () => {
    mkdirSync(path);
    refused(/is a directory, not a regular file/);
  });

  it('refuses a dangling symbolic link, and creates nothing through it', () => {
    const target = join(dir, 'elsewhere.db');
    symlinkSync(target, path);
    refused(/is a symbolic link \(dangling\)/);
    expect(() => lstatSync(target)).toThrow();
  });

  it('refuses a symbolic link to a real database without changing the target mode', () => {
    const target = join(dir, 'real.db');
    new SqliteStorage(target).close();
    spawnSync('chmod', ['0644', target]);
    symlinkSync(target, path);
    refused(/is a symbolic link, not a regular file/);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(readlinkSync(path)).toBe(target);
  });

  it('refuses a FIFO', () => {
    spawnSync('mkfifo', [path]);
    refused(/is a FIFO/);
  });

  it('refuses a socket', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      refused(/is a socket/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
