/** A workload container of a Kubernetes sidecar charm, reached through its Pebble socket. */
export class Container {
  constructor(
    /** The container name from metadata. */
    readonly name: string,
    /** Path of the container's Pebble socket. */
    readonly socketPath: string = `/charm/containers/${name}/pebble.socket`,
  ) {}

  toString(): string {
    return this.name;
  }
}
