import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * In the charm directory while `main()` dispatches: the dispatching process's pid and start time.
 * A charm that runs itself again from a handler (its `dispatch` script, its bundle) would otherwise
 * start a second dispatch that waits on the first one's exclusive database lock.
 */
export const DISPATCH_MARKER_FILE = '.charmkit-dispatching';

// Per process, not per module copy: a charm that bundles charmkit twice still shares it.
const ACTIVE = Symbol.for('charmkit.dispatch.active');
type GlobalWithFlag = typeof globalThis & { [ACTIVE]?: boolean };

/** Where an already running dispatch was found: this process, or an ancestor process (its pid). */
export type RunningDispatch =
  | { readonly where: 'this process' }
  | { readonly where: 'ancestor'; readonly pid: number };

/** A claimed dispatch; `release()` once it is over. */
export interface DispatchClaim {
  release(): void;
}

/**
 * Claims the dispatch for this process, or says where one is already running. Nothing in the
 * environment counts: an inherited or stale variable cannot make a hook skip, and no variable is
 * passed to processes the charm starts. A stale marker (its process gone, or not an ancestor of
 * this one) is ignored and replaced.
 */
export function claimDispatch(charmDir: string): DispatchClaim | RunningDispatch {
  const global = globalThis as GlobalWithFlag;
  if (global[ACTIVE]) return { where: 'this process' };
  const marker = join(charmDir, DISPATCH_MARKER_FILE);
  const holder = readMarker(marker);
  if (holder !== null && holder.pid !== process.pid && isLiveAncestor(holder.pid, holder.start)) {
    return { where: 'ancestor', pid: holder.pid };
  }
  global[ACTIVE] = true;
  const content = `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`;
  const wrote = writeMarker(marker, content);
  return {
    release(): void {
      global[ACTIVE] = false;
      if (!wrote) return;
      try {
        if (readFileSync(marker, 'utf8') === content) unlinkSync(marker);
      } catch {
        // Gone already; a stale one is ignored by the next dispatch anyway.
      }
    },
  };
}

function readMarker(path: string): { pid: number; start: string | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const match = /^(\d+) (\d*)\n$/.exec(text);
  if (!match) return null;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, start: match[2] || null } : null;
}

/** Best effort: a charm directory that cannot be written only loses the cross-process check. */
function writeMarker(path: string, content: string): boolean {
  try {
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` (started at `start`, when known) is this process's parent or further ancestor. */
function isLiveAncestor(pid: number, start: string | null): boolean {
  let current = process.ppid;
  for (let hops = 0; current > 1 && hops < 64; hops++) {
    if (current === pid) {
      const actual = startTimeOf(pid);
      return start === null || actual === null || actual === start;
    }
    const parent = parentOf(current);
    if (parent === null) return false;
    current = parent;
  }
  return false;
}

/** Fields of `/proc/<pid>/stat` after the command name (Linux); null elsewhere or when gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const ppid = Number(statFields(pid)?.[1]);
  return Number.isSafeInteger(ppid) && ppid > 0 ? ppid : null;
}

/** Start time in clock ticks since boot: tells a live process from a later one reusing its pid. */
function startTimeOf(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}
