import { InvalidHandleError } from './errors.js';

const FORBIDDEN = /[/[\]]/;

/**
 * The persistent name of an object or event: `parent/kind[key]`. Paths are the keys of stored
 * state and deferred events, so they must not change between releases of a charm.
 *
 * @example new Handle(new Handle(null, 'MyCharm', null), 'on', null).nest('config_changed', '12').path
 * // 'MyCharm/on/config_changed[12]'
 */
export class Handle {
  /** The full path, e.g. `MyCharm/on/config_changed[12]`. */
  readonly path: string;

  constructor(
    readonly parent: Handle | null,
    readonly kind: string,
    readonly key: string | null,
  ) {
    if (!kind || FORBIDDEN.test(kind)) {
      throw new InvalidHandleError(
        `handle kind ${JSON.stringify(kind)} must be non-empty and contain no '/', '[' or ']'`,
      );
    }
    if (key !== null && (key === '' || FORBIDDEN.test(key))) {
      throw new InvalidHandleError(
        `handle key ${JSON.stringify(key)} must be non-empty and contain no '/', '[' or ']'`,
      );
    }
    const own = key === null ? kind : `${kind}[${key}]`;
    this.path = parent ? `${parent.path}/${own}` : own;
  }

  /** A child handle under this one. */
  nest(kind: string, key: string | null = null): Handle {
    return new Handle(this, kind, key);
  }

  /** Parses a path written by {@link Handle.path} back into a handle chain. */
  static fromPath(path: string): Handle {
    let handle: Handle | null = null;
    for (const part of path.split('/')) {
      const match = /^([^[\]]+)(?:\[([^[\]]+)\])?$/.exec(part);
      if (!match)
        throw new InvalidHandleError(
          `cannot parse handle path ${JSON.stringify(path)} at ${JSON.stringify(part)}`,
        );
      handle = new Handle(handle, match[1] as string, match[2] ?? null);
    }
    if (!handle) throw new InvalidHandleError('cannot parse an empty handle path');
    return handle;
  }

  toString(): string {
    return this.path;
  }
}
