/** One attached storage instance, e.g. `data/0`. */
export class StorageInstance {
  constructor(
    /** The storage name from metadata. */
    readonly name: string,
    /** The instance index. */
    readonly index: number,
    /** Where it is mounted (filesystem) or its device (block), when known. */
    readonly location: string | null,
  ) {}

  /** `name/index`, as Juju spells the storage id. */
  get id(): string {
    return `${this.name}/${this.index}`;
  }

  toString(): string {
    return this.id;
  }
}
