import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import { invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { stringList } from './schemas.js';
import { ENDPOINT_NAME, requireInteger, requireMatch, requireRecord } from './validate.js';

/** A storage instance id, `<name>/<n>`. */
const STORAGE_ID = /^[a-zA-Z][\w-]*\/\d+$/;

/** What `storage-get` reports about a storage instance. */
export interface StorageInfo {
  /** `filesystem` or `block` (kept as a string). */
  readonly kind: string;
  /** Mount point (filesystem) or device path (block). */
  readonly location: string;
}

/** Options of {@link storageGet}. */
export interface StorageGetOptions {
  /** The storage instance, `data/0`; default: the one of the current storage hook. */
  readonly id?: string;
}

/**
 * Storage instances attached to this unit (`data/0`), optionally only those of one storage name:
 * `storage-list --format=json [-- <name>]`.
 */
export function storageList(runner: ToolRunner, name?: string): string[] {
  const args =
    name === undefined
      ? []
      : ['--', requireMatch('storage-list', 'storage name', name, ENDPOINT_NAME, 'a storage name')];
  return runner.runJson('storage-list', args, stringList);
}

const storageInfoOutput = lazy(() => z.looseObject({ kind: z.string(), location: z.string() }));

/** A storage instance's kind and location: `storage-get --format=json [-s <id>]`. */
export function storageGet(runner: ToolRunner, options: StorageGetOptions = {}): StorageInfo {
  const args =
    options.id === undefined
      ? []
      : [
          '-s',
          requireMatch('storage-get', 'storage id', options.id, STORAGE_ID, 'a storage id like "data/0"'),
        ];
  const info = runner.runJson('storage-get', args, storageInfoOutput);
  return { kind: info.kind, location: info.location };
}

/**
 * Requests more storage instances, `{ data: 2 }` → `storage-add -- data=2`. Applied when the hook
 * exits 0; each new instance then gets `<name>-storage-attached`. Nothing is spawned for `{}`.
 */
export function storageAdd(runner: ToolRunner, counts: Readonly<Record<string, number>>): void {
  const args = requireRecord('storage-add', 'storage counts', counts).map(([name, count]) => {
    if (!ENDPOINT_NAME.test(name))
      throw invalidArgument('storage-add', `${JSON.stringify(name)} is not a storage name`);
    return `${name}=${requireInteger('storage-add', `count of ${JSON.stringify(name)}`, count, 1, 1_000_000)}`;
  });
  if (args.length === 0) return;
  runner.run('storage-add', ['--', ...args]);
}
