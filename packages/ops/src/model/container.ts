import { PebbleClient, pebbleSocketPath } from '../pebble/pebble-client.js';

/**
 * A workload container of a Kubernetes sidecar charm: `this.unit.container('redis')`. Talk to it
 * through {@link Container.pebble}; ask {@link Container.canConnect} first when the container may
 * not be up yet (before its `pebbleReady`).
 */
export class Container {
  #pebble: PebbleClient | null = null;

  constructor(
    /** The container name from metadata. */
    readonly name: string,
    /** Path of the container's Pebble socket. */
    readonly socketPath: string = pebbleSocketPath(name),
  ) {}

  /** The Pebble client for this container (created on first use; no connection until a call). */
  get pebble(): PebbleClient {
    this.#pebble ??= new PebbleClient({ socketPath: this.socketPath });
    return this.#pebble;
  }

  /**
   * True when Pebble answers (`GET /v1/system-info`) within `timeoutMs`. Connection errors mean
   * false; any other failure (a Pebble that answers with garbage) is thrown, since it is a bug.
   */
  async canConnect(timeoutMs = 2000): Promise<boolean> {
    try {
      await new PebbleClient({ socketPath: this.socketPath, timeout: timeoutMs }).systemInfo();
      return true;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'CHARMKIT_PEBBLE_CONNECTION')
        return false;
      throw error;
    }
  }

  toString(): string {
    return this.name;
  }
}
