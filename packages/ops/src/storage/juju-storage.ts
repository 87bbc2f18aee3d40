import { StorageError } from '../errors.js';
import { MemoryStorage } from './memory-storage.js';
import type { ParkedNotice, Storage, StorageSchema, StoredNotice } from './storage.js';

/** The unit-state hook tools JujuStorage needs (`HookTools` has them). */
export interface UnitStateTools {
  stateGet(): Record<string, string>;
  stateSet(values: Readonly<Record<string, string>>): void;
  stateDelete(key: string): void;
}

const META_KEY = 'charmkit.meta';
const MAX_KEY_BYTES = 256;
const MAX_VALUE_BYTES = 64 * 1024;

/**
 * Storage kept by the Juju controller (`state-get`/`state-set`), for Kubernetes pods whose disk
 * does not survive a reschedule. It reads everything with one `state-get` when the dispatch
 * begins, works in memory, and at commit writes only the keys that changed (one `state-set`, plus
 * one `state-delete` per removed key). Juju applies those only if the hook succeeds, which is
 * exactly the dispatch transaction. One key per snapshot and per notice keeps every value under
 * Juju's 64 KiB limit however long the queue grows.
 */
export class JujuStorage implements Storage {
  readonly location = 'juju unit state (state-get/state-set)';
  #work = new MemoryStorage();
  #baseline = new Map<string, string>();
  /** The highest sequence as Juju holds it, so a rise is saved even when no other key changed. */
  #baselineMaxSequence = 0;

  constructor(private readonly tools: UnitStateTools) {}

  begin(): void {
    const state = this.tools.stateGet();
    const work = new MemoryStorage();
    const metaText = state[META_KEY];
    if (metaText !== undefined) {
      let meta: { format?: unknown; schema_version?: unknown; max_sequence?: unknown };
      try {
        meta = JSON.parse(metaText) as typeof meta;
      } catch (cause) {
        throw new StorageError(
          `Juju unit state key ${META_KEY} is not JSON; charmkit will not overwrite it`,
          { cause },
        );
      }
      if (meta.format !== 'charmkit' || meta.schema_version !== 1) {
        throw new StorageError(
          `Juju unit state key ${META_KEY} says format ${JSON.stringify(meta.format)} schema ${JSON.stringify(meta.schema_version)}; this charmkit reads charmkit schema 1 only`,
        );
      }
      work.raiseMaxSequence(Number(meta.max_sequence) || 0);
    }
    for (const [key, value] of Object.entries(state)) {
      try {
        if (key.startsWith('charmkit.snapshot.'))
          work.saveSnapshot(key.slice('charmkit.snapshot.'.length), value);
        else if (key.startsWith('charmkit.notice.')) work.saveNotice(JSON.parse(value) as StoredNotice);
        else if (key.startsWith('charmkit.parked.')) {
          const parked = JSON.parse(value) as ParkedNotice;
          const { parkedAt, ...notice } = parked;
          work.saveNotice(notice);
          work.parkNotice(notice.sequence, parkedAt);
        }
      } catch (cause) {
        throw new StorageError(`Juju unit state key ${key} is not valid charmkit data`, { cause });
      }
    }
    this.#work = work;
    this.#baseline = new Map(Object.entries(state).filter(([key]) => key.startsWith('charmkit.')));
    this.#baselineMaxSequence = work.maxSequence();
    work.begin();
  }

  #serialise(): Map<string, string> {
    const out = new Map<string, string>();
    out.set(
      META_KEY,
      JSON.stringify({ format: 'charmkit', schema_version: 1, max_sequence: this.#work.maxSequence() }),
    );
    for (const [path, json] of this.#work.snapshots()) out.set(`charmkit.snapshot.${path}`, json);
    for (const notice of this.#work.notices())
      out.set(`charmkit.notice.${notice.sequence}`, JSON.stringify(notice));
    for (const parked of this.#work.parkedNotices())
      out.set(`charmkit.parked.${parked.sequence}`, JSON.stringify(parked));
    return out;
  }

  commit(): void {
    const next = this.#serialise();
    const changed: Record<string, string> = {};
    let any = false;
    for (const [key, value] of next) {
      if (this.#baseline.get(key) === value) continue;
      if (Buffer.byteLength(key) > MAX_KEY_BYTES)
        throw new StorageError(`Juju unit state key ${key} is longer than ${MAX_KEY_BYTES} bytes`);
      if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
        throw new StorageError(
          `Juju unit state value for ${key} is larger than Juju's 64 KiB limit (${Buffer.byteLength(value)} bytes)`,
        );
      }
      changed[key] = value;
      any = true;
    }
    // The meta key alone costs a process only when the highest sequence rose (a notice queued
    // and dropped or parked-and-dropped in one dispatch): otherwise a later dispatch would hand
    // that sequence out again. A dispatch that stored nothing writes nothing.
    const maxSequence = this.#work.maxSequence();
    if (
      any &&
      (Object.keys(changed).some((key) => key !== META_KEY) || maxSequence !== this.#baselineMaxSequence)
    ) {
      this.tools.stateSet(changed);
    }
    for (const key of this.#baseline.keys()) if (!next.has(key)) this.tools.stateDelete(key);
    this.#work.commit();
    this.#baseline = next;
    this.#baselineMaxSequence = maxSequence;
  }

  rollback(): void {
    this.#work.rollback();
  }
  close(): void {
    this.#work.close();
  }
  savepoint(): void {
    this.#work.savepoint();
  }
  releaseSavepoint(): void {
    this.#work.releaseSavepoint();
  }
  rollbackSavepoint(): void {
    this.#work.rollbackSavepoint();
  }
  loadSnapshot(handlePath: string): string | null {
    return this.#work.loadSnapshot(handlePath);
  }
  saveSnapshot(handlePath: string, json: string): void {
    this.#work.saveSnapshot(handlePath, json);
  }
  dropSnapshot(handlePath: string): void {
    this.#work.dropSnapshot(handlePath);
  }
  snapshots(): ReadonlyMap<string, string> {
    return this.#work.snapshots();
  }
  schema(): StorageSchema | null {
    // The one layout it reads and writes (begin() refuses any other).
    return { format: 'charmkit', version: 1 };
  }
  notices(): StoredNotice[] {
    return this.#work.notices();
  }
  maxSequence(): number {
    return this.#work.maxSequence();
  }
  saveNotice(notice: StoredNotice): void {
    this.#work.saveNotice(notice);
  }
  setNoticeFailures(sequence: number, failures: number, lastError: string | null): void {
    this.#work.setNoticeFailures(sequence, failures, lastError);
  }
  dropNotice(sequence: number): void {
    this.#work.dropNotice(sequence);
  }
  parkNotice(sequence: number, parkedAt: number): void {
    this.#work.parkNotice(sequence, parkedAt);
  }
  parkedNotices(): ParkedNotice[] {
    return this.#work.parkedNotices();
  }
  dropParkedNotice(sequence: number): void {
    this.#work.dropParkedNotice(sequence);
  }
  requeueParkedNotice(sequence: number): void {
    this.#work.requeueParkedNotice(sequence);
  }
}
