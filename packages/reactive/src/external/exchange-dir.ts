import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_CLI } from './flag-cli.js';
import { REACTIVE_SH } from './reactive-sh.js';

/** What an external handler sees: the flags and the records its tests need. */
export interface ExchangeState {
  /** Every flag set, stored and provided. */
  readonly flags: readonly string[];
  /** Namespaces owned by flag providers (read-only for handlers). */
  readonly readOnly: readonly string[];
  /** Flags that changed in the previous round. */
  readonly changed: Iterable<string>;
  /** Stored file hashes: handler id → path → hash. */
  readonly hashes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Ids of only-once handlers that already ran. */
  readonly once: readonly string[];
}

/** One line of the journal an external handler appends to. */
export type JournalEntry =
  | { readonly kind: 'set' | 'clear'; readonly flag: string }
  | { readonly kind: 'file'; readonly id: string; readonly path: string; readonly hash: string }
  | { readonly kind: 'once' | 'ran'; readonly id: string };

/**
 * The directory shared with external handlers for one dispatch: the flag set and the records
 * their tests need (rewritten before each child runs), the journal of changes they make (read
 * back after), and `bin/` with `reactive.sh` and `charmkit-reactive`. It lives in the system's
 * temporary directory (mode 0700) and is removed when the dispatch's loop ends.
 */
export class ExchangeDir {
  readonly path: string;
  readonly binDir: string;

  constructor(endpoints: readonly { role: string; iface: string; name: string }[]) {
    this.path = mkdtempSync(join(tmpdir(), 'charmkit-reactive-'));
    this.binDir = join(this.path, 'bin');
    mkdirSync(this.binDir);
    writeExecutable(join(this.binDir, 'reactive.sh'), REACTIVE_SH);
    writeExecutable(join(this.binDir, 'charmkit-reactive'), FLAG_CLI);
    writeFileSync(
      join(this.path, 'endpoints'),
      lines(endpoints.map((e) => `${e.role} ${e.iface} ${e.name}`)),
    );
  }

  /** Writes the state a child process reads, and empties the journal. */
  write(state: ExchangeState): void {
    writeFileSync(join(this.path, 'flags'), lines(state.flags));
    writeFileSync(join(this.path, 'read-only'), lines(state.readOnly));
    writeFileSync(join(this.path, 'changed'), lines([...state.changed].sort()));
    const hashes: string[] = [];
    for (const [id, paths] of Object.entries(state.hashes)) {
      for (const [path, hash] of Object.entries(paths)) hashes.push(`${id}\t${path}\t${hash}`);
    }
    writeFileSync(join(this.path, 'hashes'), lines(hashes));
    writeFileSync(join(this.path, 'once'), lines(state.once));
    writeFileSync(join(this.path, 'journal'), '');
  }

  /** The changes the last child made, in order. Unknown lines are skipped. */
  readJournal(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const line of readFileSync(join(this.path, 'journal'), 'utf8').split('\n')) {
      const [kind, a, b, c] = line.split('\t');
      if ((kind === 'set' || kind === 'clear') && a) entries.push({ kind, flag: a });
      else if (kind === 'file' && a && b !== undefined) entries.push({ kind, id: a, path: b, hash: c ?? '' });
      else if ((kind === 'once' || kind === 'ran') && a) entries.push({ kind, id: a });
    }
    return entries;
  }

  /** Removes the directory. */
  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

function lines(items: Iterable<string>): string {
  let text = '';
  for (const item of items) text += `${item}\n`;
  return text;
}

function writeExecutable(path: string, content: string): void {
  writeFileSync(path, content);
  chmodSync(path, 0o755);
}
