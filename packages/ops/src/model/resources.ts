import type { CharmMeta } from '../charm-meta.js';
import { UnknownEndpointError } from '../errors.js';
import { unknownNameMessage } from '../internal/closest-name.js';
import type { ModelBackend } from './model-backend.js';

/** The charm's resources (metadata `resources`), fetched on demand. */
export class Resources {
  readonly #paths = new Map<string, string>();

  constructor(
    private readonly meta: CharmMeta,
    private readonly backend: ModelBackend,
  ) {}

  /**
   * The local path of resource `name` (`resource-get`, which downloads it on first use; cached for
   * the hook). A name not declared in metadata is rejected before anything runs.
   */
  fetch(name: string): string {
    if (!this.meta.resources.has(name)) {
      throw new UnknownEndpointError(unknownNameMessage('resource', name, [...this.meta.resources.keys()]));
    }
    let path = this.#paths.get(name);
    if (path === undefined) {
      path = this.backend.resourceGet(name);
      this.#paths.set(name, path);
    }
    return path;
  }
}
