import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageBusyError, StorageError } from '@charmkit/ops';
import { SqliteStorage } from '@charmkit/ops/internal';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, StateFileError, stateCommand, type UnitStateReport } from '../src/index.js';
import { captureIo, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

function makeDb(): string {
  const dir = tempDir('charmkit-state-');
  const path = join(dir, '.unit-state.db');
  const storage = new SqliteStorage(path);
  storage.begin();
  storage.saveSnapshot('WebCharm/StoredStateData[stored]', '{"port":8080}');
  storage.saveSnapshot('WebCharm/on/config_changed[3]', '{}');
  storage.saveSnapshot('WebCharm/on/restart_requested[4]', '{"ctx":{"greeting":"hi"},"services":["web"]}');
  const base = { observerPath: 'WebCharm', failures: 0, lastError: null };
  storage.saveNotice({
    ...base,
    sequence: 1,
    eventPath: 'WebCharm/on/config_changed[3]',
    methodName: 'onConfigChanged',
    deferredAt: Date.now() - 90_000,
  });
  storage.saveNotice({
    ...base,
    sequence: 2,
    eventPath: 'WebCharm/on/restart_requested[4]',
    methodName: 'onRestart',
    deferredAt: Date.now() - 5000,
    failures: 3,
    lastError: 'Error: boom\n  at x',
  });
  storage.parkNotice(2, Date.now());
  storage.commit();
  storage.close();
  return dir;
}

describe('charmkit state', () => {
  it('shows stored state, the deferred queue and parked notices (JSON)', async () => {
    const dir = makeDb();
    const io = captureIo(dir);
    await stateCommand(undefined, { json: true }, io);
    const report = JSON.parse(io.out.join('')) as UnitStateReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.storedState).toEqual({ 'WebCharm/StoredStateData[stored]': { port: 8080 } });
    expect(report.deferred).toHaveLength(1);
    expect(report.deferred[0]).toMatchObject({
      sequence: 1,
      kind: 'config_changed',
      observer: 'WebCharm.onConfigChanged',
      failures: 0,
    });
    expect(report.deferred[0]?.ageSeconds).toBeGreaterThanOrEqual(89);
    expect(report.parked[0]).toMatchObject({
      sequence: 2,
      kind: 'restart_requested',
      failures: 3,
      snapshot: { ctx: { greeting: 'hi' }, services: ['web'] },
    });
  });

  it('prints a readable report for a charm directory', async () => {
    const dir = makeDb();
    const io = captureIo(dir);
    await stateCommand(dir, {}, io);
    const text = io.out.join('');
    expect(text).toContain('schema 1');
    expect(text).toContain('#1 config_changed');
    expect(text).toContain('observer  WebCharm.onConfigChanged');
    expect(text).toMatch(/age {7}1m 3\ds/);
    expect(text).toContain('Parked notices (1)');
  });

  it('--drop asks first, and does nothing when the answer is no', async () => {
    const dir = makeDb();
    const io = captureIo(dir, false);
    await expect(stateCommand(undefined, { drop: '1' }, io)).rejects.toBeInstanceOf(AbortedError);
    expect(io.asked[0]).toContain('#1 config_changed → WebCharm.onConfigChanged');
    const after = await stateCommand(undefined, { json: true }, captureIo(dir));
    expect(after.deferred).toHaveLength(1);
  });

  it('--drop --yes removes the notice and its event snapshot; --requeue puts a parked one back', async () => {
    const dir = makeDb();
    const dropped = await stateCommand(undefined, { drop: '1', yes: true }, captureIo(dir));
    expect(dropped.deferred).toEqual([]);
    const requeued = await stateCommand(undefined, { requeue: '2' }, captureIo(dir, true));
    expect(requeued.deferred.map((n) => [n.sequence, n.failures])).toEqual([[2, 0]]);
    expect(requeued.parked).toEqual([]);
    await expect(stateCommand(undefined, { drop: '9', yes: true }, captureIo(dir))).rejects.toThrow(
      /no deferred or parked notice #9/,
    );
  });

  it('refuses a missing path or a file that is not a unit-state database, creating nothing', async () => {
    const dir = tempDir('charmkit-state-');
    await expect(stateCommand('nope.db', {}, captureIo(dir))).rejects.toThrow(/nope.db: no such file/);
    writeFileSync(join(dir, 'text.db'), 'hello');
    await expect(stateCommand('text.db', {}, captureIo(dir))).rejects.toBeInstanceOf(StateFileError);
    expect(readdirSync(dir)).toEqual(['text.db']);
  });

  it('names a SQLite file that is not charmkit’s, keeping the storage error as the cause', async () => {
    const dir = tempDir('charmkit-state-');
    const db = new Database(join(dir, 'ops.db'));
    db.exec('CREATE TABLE snapshot (handle TEXT PRIMARY KEY, data BLOB)');
    db.close();
    const failure = await stateCommand('ops.db', {}, captureIo(dir)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StateFileError);
    expect((failure as Error).message).toContain(
      'ops.db is not a charmkit unit-state database (tables: snapshot',
    );
    expect((failure as Error).cause).toBeInstanceOf(StorageError);
  });

  it('reads without changing the file or leaving files beside it', async () => {
    const dir = makeDb();
    const path = join(dir, '.unit-state.db');
    const before = readFileSync(path);
    const files = readdirSync(dir).sort();
    await stateCommand(undefined, { json: true }, captureIo(dir));
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(files);
  });

  it('says the file is in use while a hook holds it', async () => {
    const dir = makeDb();
    const hook = new SqliteStorage(join(dir, '.unit-state.db'));
    hook.begin();
    try {
      const failure = await stateCommand(undefined, {}, captureIo(dir)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StateFileError);
      expect((failure as Error).cause).toBeInstanceOf(StorageBusyError);
      expect((failure as Error).message).toContain('.unit-state.db is in use by another process');
    } finally {
      hook.close();
    }
  }, 60_000);
});
