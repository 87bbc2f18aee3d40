/** Answers where a storage instance is (the model's cached `storage-get`). */
export type StorageLocator = (id: string) => string;

/**
 * One attached storage instance, e.g. `data/0`. Storage events and `model.storages()` hand them
 * out; `location` comes from the hook environment or, lazily, from one `storage-get`.
 */
export class StorageInstance {
  #location: string | null;

  constructor(
    /** The storage name from metadata. */
    readonly name: string,
    /** The instance index. */
    readonly index: number,
    /** Where it is mounted (filesystem) or its device (block), when already known. */
    location: string | null,
    private readonly locate: StorageLocator | null = null,
  ) {
    this.#location = location;
  }

  /** `name/index`, as Juju spells the storage id. */
  get id(): string {
    return `${this.name}/${this.index}`;
  }

  /**
   * Where it is mounted (filesystem) or its device (block). Read with `storage-get` on first use
   * when not known; null only for an instance made without the model that does not know it.
   */
  get location(): string | null {
    if (this.#location === null && this.locate !== null) this.#location = this.locate(this.id);
    return this.#location;
  }

  toString(): string {
    return this.id;
  }
}
