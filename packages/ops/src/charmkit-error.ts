/**
 * The base class of every error charmkit throws. Each subclass carries a stable `code`
 * (`CHARMKIT_*`) that callers can match on; messages may change between releases, codes do not.
 */
export abstract class CharmkitError extends Error {
  /** Stable, documented identifier of the failure, e.g. `CHARMKIT_NO_SNAPSHOT`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Subclasses get their own name without repeating it by hand.
    this.name = new.target.name;
  }
}
