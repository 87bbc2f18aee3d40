/** The exit code of a command stopped by a signal, as shells report it: 128 + the signal's number. */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** The signals that interrupt a command. */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/** Where the signals come from: `process`, or a plain emitter in a test. */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  off(event: InterruptSignal, listener: () => void): unknown;
}

/** Options of {@link InterruptGuard.install}. */
export interface InterruptGuardOptions {
  /** Runs once, on the first signal: stop what the command started, remove its files, say so. */
  readonly cleanup: (signal: InterruptSignal) => Promise<void>;
  /** Ends the process (default `process.exit`). */
  readonly exit?: (code: number) => void;
  /** Default `process`. */
  readonly source?: SignalSource;
  /** Told when `cleanup` throws (the exit happens anyway); default: nothing. */
  readonly onCleanupError?: (error: unknown) => void;
}

/**
 * Turns SIGINT/SIGTERM during a long command into: clean up, then exit 130/143. A second signal
 * while cleaning up exits at once. Installing replaces Node's default (die at once, leave
 * everything behind) only until {@link dispose}, so in-process callers do not inherit the handlers.
 */
export class InterruptGuard {
  #signal: InterruptSignal | null = null;
  #disposed = false;
  readonly #listeners: ReadonlyArray<readonly [InterruptSignal, () => void]>;

  private constructor(private readonly options: InterruptGuardOptions) {
    this.#listeners = (Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[]).map(
      (signal) => [signal, () => this.#onSignal(signal)] as const,
    );
  }

  /** Starts listening; call {@link dispose} when the command ends. */
  static install(options: InterruptGuardOptions): InterruptGuard {
    const guard = new InterruptGuard(options);
    const source = options.source ?? process;
    for (const [signal, listener] of guard.#listeners) source.on(signal, listener);
    return guard;
  }

  /** The signal that interrupted the command, or null. */
  get interrupted(): InterruptSignal | null {
    return this.#signal;
  }

  /**
   * Returns at once normally; once interrupted it never settles, so the command's own flow stops
   * there (and starts nothing new) while the cleanup runs and the process exits.
   */
  async checkpoint(): Promise<void> {
    if (this.#signal !== null) await new Promise<never>(() => {});
  }

  /** Stops listening (idempotent). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const source = this.options.source ?? process;
    for (const [signal, listener] of this.#listeners) source.off(signal, listener);
  }

  #onSignal(signal: InterruptSignal): void {
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    if (this.#signal !== null) {
      exit(INTERRUPT_EXIT_CODES[signal]); // impatient: a second signal skips the rest of the cleanup
      return;
    }
    this.#signal = signal;
    const code = INTERRUPT_EXIT_CODES[signal];
    this.options.cleanup(signal).then(
      () => exit(code),
      (error: unknown) => {
        this.options.onCleanupError?.(error);
        exit(code);
      },
    );
  }
}
