/**
 * A source of read-only, derived flags that the reactive layer reads at every test: leadership's
 * `LeaderSettings` (`leadership.*`), the coordinator (`coordinator.*`), {@link ConfigFlags}
 * (`config.*`). Its flags are never stored by the reactive layer and cannot be set or cleared
 * through it; the provider answers from its own state.
 */
export interface FlagProvider {
  /** The flags that are set right now. */
  flags(): Iterable<string>;
}

/** How a provider is registered. */
export interface FlagProviderOptions {
  /**
   * The namespace the provider owns, e.g. `leadership.`: flags under it can only come from the
   * provider, so `set('leadership.is_leader')` throws instead of silently shadowing it. Without
   * a prefix only the flags the provider reports at the moment are protected.
   */
  readonly prefix?: string;
}
