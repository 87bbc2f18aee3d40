import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteStorage, StorageInspector } from '@charmkit/ops/internal';
import pc from 'picocolors';
import { displayPath } from '../display-path.js';
import { AbortedError, StateFileError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  checkStateFile,
  formatAge,
  type NoticeReport,
  readUnitState,
  type UnitStateReport,
} from '../state/unit-state-report.js';

/** Options of `charmkit state`. */
export interface StateCommandOptions {
  readonly json?: boolean;
  /** Remove this queued (or parked) notice. */
  readonly drop?: string;
  /** Put this parked notice back in the queue. */
  readonly requeue?: string;
  /** Do not ask before changing the file. */
  readonly yes?: boolean;
}

function sequenceOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} ${value}: expected a notice sequence number (1, 2, …)`);
  return n;
}

function describeNotice(n: NoticeReport): string {
  return `#${n.sequence} ${n.kind} → ${n.observer}`;
}

/**
 * `charmkit state [path]`: a unit's stored state, deferred notices (event, observer, age,
 * failures) and schema version; `--drop <sequence>` removes a stuck notice, `--requeue
 * <sequence>` puts a parked one back, each after asking (or with `--yes`).
 */
export async function stateCommand(
  path: string | undefined,
  options: StateCommandOptions,
  io: CliIo,
): Promise<UnitStateReport> {
  let file = resolve(io.cwd, path ?? '.unit-state.db');
  // A charm directory is accepted too: its database is inside it.
  try {
    if (statSync(file).isDirectory()) file = join(file, '.unit-state.db');
  } catch {
    // reported by readUnitState
  }
  const shown = displayPath(io.cwd, file);
  if (options.drop !== undefined && options.requeue !== undefined) {
    throw new UsageError('give either --drop or --requeue, not both');
  }
  const report = readUnitState(file, shown);
  if (options.drop !== undefined) {
    const sequence = sequenceOption('drop', options.drop);
    const queued = report.deferred.find((n) => n.sequence === sequence);
    const parked = report.parked.find((n) => n.sequence === sequence);
    const notice = queued ?? parked;
    if (!notice) throw new StateFileError(`${shown} has no deferred or parked notice #${sequence}`);
    await confirmOrAbort(
      io,
      options,
      `Drop ${queued ? 'deferred' : 'parked'} notice ${describeNotice(notice)} from ${shown}?`,
    );
    withStorage(file, shown, (storage) => {
      if (queued) storage.dropNotice(sequence);
      else storage.dropParkedNotice(sequence);
      // The event's snapshot goes too, unless another observer's notice still needs it.
      const inspector = new StorageInspector(storage);
      const stillUsed = [...inspector.notices(), ...inspector.parkedNotices()].some(
        (n) => n.eventPath === notice.event,
      );
      if (!stillUsed) storage.dropSnapshot(notice.event);
    });
    io.stdout(`dropped notice ${describeNotice(notice)}\n`);
    return readUnitState(file, shown);
  }
  if (options.requeue !== undefined) {
    const sequence = sequenceOption('requeue', options.requeue);
    const notice = report.parked.find((n) => n.sequence === sequence);
    if (!notice) throw new StateFileError(`${shown} has no parked notice #${sequence}`);
    await confirmOrAbort(
      io,
      options,
      `Put parked notice ${describeNotice(notice)} back in the queue of ${shown}?`,
    );
    withStorage(file, shown, (storage) => storage.requeueParkedNotice(sequence));
    io.stdout(`requeued notice ${describeNotice(notice)}; the next hook re-emits it\n`);
    return readUnitState(file, shown);
  }
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, shown));
  return report;
}

async function confirmOrAbort(io: CliIo, options: StateCommandOptions, question: string): Promise<void> {
  if (options.yes) return;
  if (!(await io.confirm(question)))
    throw new AbortedError('nothing changed (pass --yes to skip the question)');
}

/** Changes go through the framework's own storage class: same schema checks, one transaction. */
function withStorage(file: string, shown: string, change: (storage: SqliteStorage) => void): void {
  checkStateFile(file, shown);
  const storage = new SqliteStorage(file, { busyTimeoutMs: 5000 });
  try {
    storage.begin();
    change(storage);
    storage.commit();
  } finally {
    storage.close();
  }
}

function formatNotice(n: NoticeReport): string {
  const parts = [
    `  ${pc.bold(`#${n.sequence}`)} ${n.kind}`,
    `    event     ${n.event}`,
    `    observer  ${n.observer}`,
    `    age       ${formatAge(n.ageSeconds)} (deferred ${n.deferredAt})`,
    `    failures  ${n.failures}`,
  ];
  if (n.parkedAt) parts.push(`    parked    ${n.parkedAt}`);
  if (n.snapshot !== null && !(typeof n.snapshot === 'object' && Object.keys(n.snapshot).length === 0)) {
    parts.push(`    data      ${JSON.stringify(n.snapshot)}`);
  }
  if (n.lastError) parts.push(`    error     ${n.lastError.split('\n')[0]}`);
  return parts.join('\n');
}

function formatReport(report: UnitStateReport, shown: string): string {
  const lines = [`${pc.bold(shown)}: ${report.format} unit state, schema ${report.schemaVersion}`, ''];
  const stored = Object.entries(report.storedState);
  lines.push(pc.bold(`Stored state (${stored.length})`));
  for (const [handle, data] of stored) lines.push(`  ${handle}  ${JSON.stringify(data)}`);
  lines.push('', pc.bold(`Deferred events (${report.deferred.length})`));
  for (const n of report.deferred) lines.push(formatNotice(n));
  if (report.parked.length > 0) {
    lines.push(
      '',
      pc.bold(`Parked notices (${report.parked.length}): failed too often; --requeue or --drop`),
    );
    for (const n of report.parked) lines.push(formatNotice(n));
  }
  return `${lines.join('\n')}\n`;
}
