import type { Handle } from '../handle.js';
import type { JsonObject } from '../json.js';
import { StorageInstance } from '../model/storage-instance.js';
import { HookEvent } from './hook-events.js';

/** The base of storage events: `storage` is the instance attached or detaching. */
export class StorageEvent extends HookEvent {
  storage: StorageInstance;

  constructor(handle: Handle, storage: StorageInstance) {
    super(handle);
    this.storage = storage;
  }

  override snapshot(): JsonObject {
    return {
      storage_name: this.storage.name,
      storage_index: this.storage.index,
      storage_location: this.storage.location,
    };
  }

  override restore(snapshot: JsonObject): void {
    const location = snapshot.storage_location;
    this.storage = new StorageInstance(
      String(snapshot.storage_name),
      Number(snapshot.storage_index),
      typeof location === 'string' ? location : null,
    );
  }
}
/** `<storage>-storage-attached`. */
export class StorageAttachedEvent extends StorageEvent {
  declare protected readonly brandStorageAttached: undefined;
}
/** `<storage>-storage-detaching`. */
export class StorageDetachingEvent extends StorageEvent {
  declare protected readonly brandStorageDetaching: undefined;
}
