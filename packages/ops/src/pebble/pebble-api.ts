/**
 * What a charm can ask of one Pebble daemon. {@link PebbleClient} implements it over the
 * container's unix socket; `@charmkit/testing` implements it in memory for Context tests and the
 * simulator. `Container` talks to whichever the model's backend hands it, so charm code under test
 * is the production code.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import type { Change, CheckInfo, FileInfo, Layer, Notice, Plan, ServiceInfo, SystemInfo } from './types.js';

/** Options of the service actions (start, stop, restart, replan, autostart). */
export interface ServiceActionOptions {
  /** Wait for the change to finish (default true). With false, return the change id at once. */
  wait?: boolean;
  /** Milliseconds to wait for the change (default 30000). */
  timeout?: number;
}

/** Options of {@link Pebble.waitChange}. */
export interface WaitChangeOptions {
  /** Milliseconds to wait in total (default 30000). */
  timeout?: number;
  /** Milliseconds between polls, only used against a Pebble without the wait endpoint. */
  pollInterval?: number;
}

/** Owner of a file or directory written by Pebble; names win over ids when both are given. */
export interface FileOwnership {
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
}

/** Options of {@link Pebble.push}. */
export interface PushOptions extends FileOwnership {
  /** Permission bits, e.g. `0o600` (Pebble's default is `0o644`). */
  permissions?: number;
  /** Create missing parent directories (mode `0o755`). */
  makeDirs?: boolean;
  /** Encoding of string data (default `utf8`). */
  encoding?: BufferEncoding;
}

/** Options of {@link Pebble.pull} returning text. */
export interface PullTextOptions {
  /** Decode with this encoding (default `utf8`). */
  encoding?: BufferEncoding;
}

/** Options of {@link Pebble.pull} returning bytes. */
export interface PullBytesOptions {
  /** `null` returns the raw bytes. */
  encoding: null;
}

/** Options of {@link Pebble.listFiles}. */
export interface ListFilesOptions {
  /** Glob (Go `path.Match` syntax) that entry names must match, e.g. `'*.conf'`. */
  pattern?: string;
  /** For a directory, describe the directory itself instead of listing it. */
  itself?: boolean;
}

/** Options of {@link Pebble.makeDir}. */
export interface MakeDirOptions extends FileOwnership {
  /** Create missing parents and succeed if the directory exists (like `mkdir -p`). */
  makeParents?: boolean;
  /** Permission bits, e.g. `0o750` (Pebble's default is `0o755`). */
  permissions?: number;
}

/** Options of {@link Pebble.removePath}. */
export interface RemovePathOptions {
  /** Remove a directory and its contents; a missing path is then not an error. */
  recursive?: boolean;
}

/** Filters of {@link Pebble.getChecks}. */
export interface GetChecksOptions {
  level?: CheckInfo['level'];
  names?: readonly string[];
}

/** Filters of {@link Pebble.getNotices}; all given filters must match. */
export interface NoticeFilters {
  /** Only notices of this user (root only may ask for others). */
  userId?: number;
  /** `'all'`: notices of every user (root only). */
  users?: 'all';
  types?: readonly (Notice['type'] | (string & {}))[];
  keys?: readonly string[];
  /** Only notices last repeated after this time. */
  after?: Date;
}

/** Options of {@link Pebble.notify}. */
export interface NotifyOptions {
  /** Data to attach to this occurrence. */
  data?: Record<string, string>;
  /** Milliseconds within which a repeat of the same key does not count as a new occurrence. */
  repeatAfter?: number;
}

/** Options of {@link Pebble.exec}. Output is text (`encoding`, default `utf8`) or bytes (`null`). */
export interface ExecOptions<E extends BufferEncoding | null = 'utf8'> extends FileOwnership {
  /** Environment of the command (Pebble starts from an empty one plus the service defaults). */
  environment?: Readonly<Record<string, string>>;
  /** Working directory; default the user's home directory. */
  workingDir?: string;
  /** Milliseconds after which Pebble kills the command; the wait then throws a timeout. */
  timeout?: number;
  /**
   * Input for the command: all of it at once (`string`, bytes) or a stream that is piped in.
   * Omitted: `process.stdin` is a writable stream the caller ends.
   */
  stdin?: string | Uint8Array | Readable;
  /** Stream the command's stdout into this instead of collecting it. */
  stdout?: Writable;
  /** Stream the command's stderr into this instead of collecting it. */
  stderr?: Writable;
  /** Send stderr into stdout (as a terminal would); `waitOutput().stderr` is then empty. */
  combineStderr?: boolean;
  /** Decoding of collected output; `null` gives bytes. Default `utf8`. */
  encoding?: E;
}

/** What an exec'd command printed, once it exited 0. */
export interface ExecOutput<T extends string | Uint8Array> {
  stdout: T;
  stderr: T;
}

/** A command running in the workload container, from {@link Pebble.exec}. */
export interface ExecProcess<T extends string | Uint8Array = string> {
  /** The command as given. */
  readonly command: readonly string[];
  /**
   * Write here to feed the command, then `end()`; null when `stdin` was given in the options. The
   * first `wait()`/`waitOutput()` ends it if the caller has not, so write all input before waiting.
   */
  readonly stdin: Writable | null;
  /**
   * Waits for the exit; resolves on exit code 0, rejects with `PebbleExecError` otherwise, or with
   * `PebbleExecTimeoutError` when the exec's `timeout` passed.
   */
  wait(): Promise<void>;
  /**
   * Waits for the exit and returns what was collected; rejects with `PebbleExecError` (which
   * carries the output) on a non-zero exit. Not available when `stdout` was given as a stream.
   */
  waitOutput(): Promise<ExecOutput<T>>;
  /** Sends a signal such as `'SIGTERM'` to the running command. */
  sendSignal(signal: string): Promise<void>;
}

/** Output type of an exec with the given `encoding`. */
export type ExecResultType<E extends BufferEncoding | null> = E extends null ? Uint8Array : string;

/** One identity Pebble knows (Pebble ≥ 1.14): who may use its API and how. */
export interface Identity {
  /** `admin`, `read` (read-only API), `metrics` (the metrics endpoint) or `untrusted`. */
  access: 'admin' | 'read' | 'metrics' | 'untrusted';
  /** Identified by the peer's unix user id. */
  local?: { userId: number };
  /** Identified by HTTP basic auth; `password` is a sha512-crypt hash. */
  basic?: { password: string };
}

/**
 * The Pebble API as a charm uses it. Every method is a round trip to the workload's Pebble (or to
 * the in-memory stand-in in tests); nothing is cached.
 */
export interface Pebble {
  /** Pebble's version and boot id; also how `Container.canConnect()` asks. */
  systemInfo(): Promise<SystemInfo>;
  /** The plan: all layers combined. */
  getPlan(): Promise<Plan>;
  /** Adds a layer, or with `combine` merges it into the layer with the same label. */
  addLayer(label: string, layer: Layer | string, options?: { combine?: boolean }): Promise<void>;

  getServices(names?: readonly string[]): Promise<ServiceInfo[]>;
  startServices(names: readonly string[], options?: ServiceActionOptions): Promise<string>;
  stopServices(names: readonly string[], options?: ServiceActionOptions): Promise<string>;
  restartServices(names: readonly string[], options?: ServiceActionOptions): Promise<string>;
  replan(options?: ServiceActionOptions): Promise<string>;
  autostartServices(options?: ServiceActionOptions): Promise<string>;
  sendSignal(signal: string, services: readonly string[]): Promise<void>;
  getChange(id: string): Promise<Change>;
  waitChange(id: string, options?: WaitChangeOptions): Promise<Change>;

  push(path: string, data: string | Uint8Array, options?: PushOptions): Promise<void>;
  pull(path: string, options?: PullTextOptions): Promise<string>;
  pull(path: string, options: PullBytesOptions): Promise<Uint8Array>;
  listFiles(path: string, options?: ListFilesOptions): Promise<FileInfo[]>;
  exists(path: string): Promise<boolean>;
  isDir(path: string): Promise<boolean>;
  makeDir(path: string, options?: MakeDirOptions): Promise<void>;
  removePath(path: string, options?: RemovePathOptions): Promise<void>;

  /** Runs a command in the container; see {@link ExecOptions}. */
  exec<E extends BufferEncoding | null = 'utf8'>(
    command: readonly string[],
    options?: ExecOptions<E>,
  ): Promise<ExecProcess<ExecResultType<E>>>;

  getChecks(options?: GetChecksOptions): Promise<CheckInfo[]>;
  startChecks(names: readonly string[]): Promise<string[]>;
  stopChecks(names: readonly string[]): Promise<string[]>;

  getNotices(filters?: NoticeFilters): Promise<Notice[]>;
  getNotice(id: string): Promise<Notice>;
  notify(key: string, options?: NotifyOptions): Promise<string>;

  /** Identities by name (Pebble ≥ 1.14). */
  getIdentities(): Promise<Record<string, Identity>>;
  /** Adds or replaces the named identities; `null` removes one. */
  replaceIdentities(identities: Readonly<Record<string, Identity | null>>): Promise<void>;
  /** Removes the named identities. */
  removeIdentities(names: readonly string[]): Promise<void>;
}
