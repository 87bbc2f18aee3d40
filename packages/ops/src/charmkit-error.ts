/**
 * The base class of every error charmkit throws. Each subclass carries a stable `code`
 * (`CHARMKIT_*`) that callers can match on; messages may change between releases, codes do not.
 * Each package lists its codes as a union type (`OpsErrorCode` here); every code, when it is
 * thrown and what to do about it is in `docs/reference/errors.md`.
 */
export abstract class CharmkitError extends Error {
  /** Stable, documented identifier of the failure, e.g. `CHARMKIT_STORED_STATE`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Subclasses get their own name without repeating it by hand.
    this.name = new.target.name;
  }
}
