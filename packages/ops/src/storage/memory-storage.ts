import type { ParkedNotice, Storage, StoredNotice } from './storage.js';

/**
 * Storage in process memory: for tests and the testing package. It has the same transaction
 * and savepoint behaviour as {@link SqliteStorage}, kept with an undo log so a savepoint costs
 * nothing however large the queue is.
 */
export class MemoryStorage implements Storage {
  readonly location = 'memory';
  readonly #snapshots = new Map<string, string>();
  readonly #notices = new Map<number, StoredNotice>();
  readonly #parked = new Map<number, ParkedNotice>();
  #maxSequence = 0;
  #undo: (() => void)[] | null = null;
  readonly #savepoints: number[] = [];

  begin(): void {
    this.#undo = [];
    this.#savepoints.length = 0;
  }

  commit(): void {
    this.#undo = null;
    this.#savepoints.length = 0;
  }

  rollback(): void {
    this.#undoTo(0);
    this.#undo = null;
    this.#savepoints.length = 0;
  }

  close(): void {
    if (this.#undo) this.rollback();
  }

  savepoint(): void {
    this.#savepoints.push(this.#undo?.length ?? 0);
  }

  releaseSavepoint(): void {
    this.#savepoints.pop();
  }

  rollbackSavepoint(): void {
    this.#undoTo(this.#savepoints.pop() ?? 0);
  }

  #undoTo(length: number): void {
    const undo = this.#undo;
    if (!undo) return;
    while (undo.length > length) (undo.pop() as () => void)();
  }

  /** Records how to put `map[key]` back as it is now. */
  #remember<K, V>(map: Map<K, V>, key: K): void {
    if (!this.#undo) return;
    const had = map.has(key);
    const old = map.get(key) as V;
    this.#undo.push(() => {
      if (had) map.set(key, old);
      else map.delete(key);
    });
  }

  loadSnapshot(handlePath: string): string | null {
    return this.#snapshots.get(handlePath) ?? null;
  }

  saveSnapshot(handlePath: string, json: string): void {
    this.#remember(this.#snapshots, handlePath);
    this.#snapshots.set(handlePath, json);
  }

  dropSnapshot(handlePath: string): void {
    this.#remember(this.#snapshots, handlePath);
    this.#snapshots.delete(handlePath);
  }

  notices(): StoredNotice[] {
    return [...this.#notices.values()].sort((a, b) => a.sequence - b.sequence);
  }

  maxSequence(): number {
    return this.#maxSequence;
  }

  saveNotice(notice: StoredNotice): void {
    this.#remember(this.#notices, notice.sequence);
    this.#notices.set(notice.sequence, { ...notice });
    if (notice.sequence > this.#maxSequence) {
      const previous = this.#maxSequence;
      this.#undo?.push(() => {
        this.#maxSequence = previous;
      });
      this.#maxSequence = notice.sequence;
    }
  }

  setNoticeFailures(sequence: number, failures: number, lastError: string | null): void {
    const notice = this.#notices.get(sequence);
    if (!notice) return;
    this.#remember(this.#notices, sequence);
    this.#notices.set(sequence, { ...notice, failures, lastError });
  }

  dropNotice(sequence: number): void {
    this.#remember(this.#notices, sequence);
    this.#notices.delete(sequence);
  }

  parkNotice(sequence: number, parkedAt: number): void {
    const notice = this.#notices.get(sequence);
    if (!notice) return;
    this.#remember(this.#parked, sequence);
    this.#parked.set(sequence, { ...notice, parkedAt });
    this.dropNotice(sequence);
  }

  parkedNotices(): ParkedNotice[] {
    return [...this.#parked.values()].sort((a, b) => a.sequence - b.sequence);
  }

  dropParkedNotice(sequence: number): void {
    this.#remember(this.#parked, sequence);
    this.#parked.delete(sequence);
  }

  requeueParkedNotice(sequence: number): void {
    const parked = this.#parked.get(sequence);
    if (!parked) return;
    const { parkedAt: _parkedAt, ...notice } = parked;
    this.#remember(this.#notices, sequence);
    this.#notices.set(sequence, { ...notice, failures: 0, lastError: null });
    this.dropParkedNotice(sequence);
  }

  /** @internal Raises the highest sequence handed out (used when loading state from elsewhere). */
  raiseMaxSequence(sequence: number): void {
    if (sequence > this.#maxSequence) this.#maxSequence = sequence;
  }

  /** Every snapshot, by handle path: for tests and state inspection. */
  snapshots(): ReadonlyMap<string, string> {
    return this.#snapshots;
  }
}
