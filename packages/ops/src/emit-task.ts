/**
 * The promise `BoundEvent.emit()` returns. It starts when first awaited (or `.then`ed), so
 * `await this.on.x.emit()` runs the observers right there; an emit nobody awaits runs as soon as
 * the handler that made it returns. Either way handlers never interleave: tasks of one handler
 * run one after another, in the order they were emitted.
 */
export class EmitTask implements Promise<void> {
  readonly [Symbol.toStringTag] = 'EmitTask';
  #promise: Promise<undefined> | null = null;
  /** True once charm code awaited it: its errors are then the caller's to handle. */
  awaitedByCaller = false;

  constructor(
    private readonly frame: EmitFrame,
    private readonly run: () => Promise<void>,
  ) {}

  /** @internal Starts the task (after the frame's previous task) and returns its promise. */
  start(): Promise<void> {
    if (!this.#promise) {
      const promise = this.frame.tail.then(async () => {
        await this.run();
        return undefined;
      });
      this.frame.tail = promise.then(
        () => undefined,
        () => undefined,
      );
      this.#promise = promise;
    }
    return this.#promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: an EmitTask is a promise on purpose; awaiting it starts it.
  then<R1 = void, R2 = never>(
    // biome-ignore lint/suspicious/noConfusingVoidType: the signature of Promise<void>.then.
    onfulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.awaitedByCaller = true;
    return this.start().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<undefined | R> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<void> {
    this.awaitedByCaller = true;
    return this.start().finally(onfinally);
  }
}

/** The emits made while one handler runs. */
export class EmitFrame {
  readonly tasks: EmitTask[] = [];
  tail: Promise<void> = Promise.resolve();

  /**
   * Runs every task the handler did not await, in order, and waits for the ones it did. Errors
   * of tasks nobody awaited fail the dispatch; errors of awaited ones were the handler's to catch.
   */
  async settle(): Promise<void> {
    for (let i = 0; i < this.tasks.length; i++) {
      const task = this.tasks[i] as EmitTask;
      if (task.awaitedByCaller) {
        await task.start().catch(() => undefined);
      } else {
        await task.start();
      }
    }
  }
}
