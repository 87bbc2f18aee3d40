import type {
  ExecOptions,
  ExecProcess,
  ExecResultType,
  GetChecksOptions,
  ListFilesOptions,
  MakeDirOptions,
  NoticeFilters,
  NotifyOptions,
  Pebble,
  PullBytesOptions,
  PullTextOptions,
  PushOptions,
  RemovePathOptions,
  ServiceActionOptions,
} from '../pebble/pebble-api.js';
import type { CheckInfo, FileInfo, Layer, Notice, Plan, ServiceInfo } from '../pebble/types.js';
import { CheckNotFoundError, ServiceNotFoundError } from './container-errors.js';

/**
 * A workload container of a Kubernetes sidecar charm: `this.unit.container('redis')`. Its methods
 * are ops' `Container` methods, each a call to the container's {@link Pebble} (a client on the
 * container's socket in a real hook, an in-memory Pebble in tests); {@link Container.pebble}
 * gives the whole API. Ask {@link Container.canConnect} first when the container may not be up
 * yet (before its `pebbleReady`).
 */
export class Container {
  constructor(
    /** The container name from metadata. */
    readonly name: string,
    /** The container's Pebble. */
    readonly pebble: Pebble,
  ) {}

  /**
   * True when Pebble answers `systemInfo()` within `timeoutMs`. Connection errors (and no answer in
   * time) mean false; any other failure (a Pebble that answers with garbage) is thrown, since it
   * is a bug.
   */
  async canConnect(timeoutMs = 2000): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.pebble.systemInfo().then(() => true as const), gaveUp]);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'CHARMKIT_PEBBLE_CONNECTION')
        return false;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  // --- layers and services ---------------------------------------------------------------

  /** Adds a layer, or with `combine` merges it into the layer with the same label. */
  addLayer(label: string, layer: Layer | string, options?: { combine?: boolean }): Promise<void> {
    return this.pebble.addLayer(label, layer, options);
  }

  /** The plan: all layers combined. */
  getPlan(): Promise<Plan> {
    return this.pebble.getPlan();
  }

  /** Starts `startup: enabled` services that are not running and restarts changed ones. */
  async replan(options?: ServiceActionOptions): Promise<void> {
    await this.pebble.replan(options);
  }

  /** Starts every `startup: enabled` service. */
  async autostart(options?: ServiceActionOptions): Promise<void> {
    await this.pebble.autostartServices(options);
  }

  /** Starts the named services. */
  async start(...names: string[]): Promise<void> {
    requireNames('start', names);
    await this.pebble.startServices(names);
  }

  /** Stops the named services. */
  async stop(...names: string[]): Promise<void> {
    requireNames('stop', names);
    await this.pebble.stopServices(names);
  }

  /** Restarts the named services (starting those that are stopped). */
  async restart(...names: string[]): Promise<void> {
    requireNames('restart', names);
    await this.pebble.restartServices(names);
  }

  /** The state of the named services, or of every service when `names` is omitted or empty. */
  getServices(names?: readonly string[]): Promise<ServiceInfo[]> {
    return this.pebble.getServices(names);
  }

  /** The state of one service; {@link ServiceNotFoundError} when the plan has no such service. */
  async getService(name: string): Promise<ServiceInfo> {
    const info = (await this.pebble.getServices([name])).find((service) => service.name === name);
    if (info === undefined) {
      throw new ServiceNotFoundError(
        `container ${JSON.stringify(this.name)} has no service ${JSON.stringify(name)}`,
      );
    }
    return info;
  }

  /** Sends a signal (e.g. `'SIGHUP'`) to the named services. */
  async sendSignal(signal: string, ...services: string[]): Promise<void> {
    requireNames('sendSignal', services);
    await this.pebble.sendSignal(signal, services);
  }

  // --- checks -----------------------------------------------------------------------------

  /** The state of checks: all of them, or those with the given names or level. */
  getChecks(options?: GetChecksOptions): Promise<CheckInfo[]> {
    return this.pebble.getChecks(options);
  }

  /** The state of one check; {@link CheckNotFoundError} when the plan has no such check. */
  async getCheck(name: string): Promise<CheckInfo> {
    const info = (await this.pebble.getChecks({ names: [name] })).find((check) => check.name === name);
    if (info === undefined) {
      throw new CheckNotFoundError(
        `container ${JSON.stringify(this.name)} has no check ${JSON.stringify(name)}`,
      );
    }
    return info;
  }

  /** Starts the named checks; returns those that were stopped before. */
  startChecks(...names: string[]): Promise<string[]> {
    requireNames('startChecks', names);
    return this.pebble.startChecks(names);
  }

  /** Stops the named checks; returns those that were running before. */
  stopChecks(...names: string[]): Promise<string[]> {
    requireNames('stopChecks', names);
    return this.pebble.stopChecks(names);
  }

  // --- files ------------------------------------------------------------------------------

  /** Writes a file in the container. */
  push(path: string, data: string | Uint8Array, options?: PushOptions): Promise<void> {
    return this.pebble.push(path, data, options);
  }

  /** Reads a file as text. */
  pull(path: string, options?: PullTextOptions): Promise<string>;
  /** Reads a file as bytes. */
  pull(path: string, options: PullBytesOptions): Promise<Uint8Array>;
  pull(path: string, options?: PullTextOptions | PullBytesOptions): Promise<string | Uint8Array> {
    if (options !== undefined && 'encoding' in options && options.encoding === null) {
      return this.pebble.pull(path, { encoding: null });
    }
    return this.pebble.pull(path, options as PullTextOptions | undefined);
  }

  /** Lists a directory (or describes one file). */
  listFiles(path: string, options?: ListFilesOptions): Promise<FileInfo[]> {
    return this.pebble.listFiles(path, options);
  }

  /** Whether anything exists at `path`. */
  exists(path: string): Promise<boolean> {
    return this.pebble.exists(path);
  }

  /** Whether `path` is a directory. */
  isDir(path: string): Promise<boolean> {
    return this.pebble.isDir(path);
  }

  /** Creates a directory. */
  makeDir(path: string, options?: MakeDirOptions): Promise<void> {
    return this.pebble.makeDir(path, options);
  }

  /** Removes a file or directory. */
  removePath(path: string, options?: RemovePathOptions): Promise<void> {
    return this.pebble.removePath(path, options);
  }

  // --- exec and notices ---------------------------------------------------------------------

  /** Runs a command in the container; see {@link ExecOptions}. */
  exec<E extends BufferEncoding | null = 'utf8'>(
    command: readonly string[],
    options?: ExecOptions<E>,
  ): Promise<ExecProcess<ExecResultType<E>>> {
    return this.pebble.exec(command, options);
  }

  /** Notices matching the filters. */
  getNotices(filters?: NoticeFilters): Promise<Notice[]> {
    return this.pebble.getNotices(filters);
  }

  /** One notice by id. */
  getNotice(id: string): Promise<Notice> {
    return this.pebble.getNotice(id);
  }

  /** Records a custom notice (e.g. `'example.com/reload'`); returns its id. */
  notify(key: string, options?: NotifyOptions): Promise<string> {
    return this.pebble.notify(key, options);
  }

  toString(): string {
    return this.name;
  }
}

// Pebble reads an empty list as "every service", which `stop()` with no names must not mean.
function requireNames(method: string, names: readonly string[]): void {
  if (names.length === 0) throw new TypeError(`container.${method}() needs at least one name`);
}
