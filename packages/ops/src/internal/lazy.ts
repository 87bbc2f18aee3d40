/**
 * `lazy(() => z.object(...))`: a function that builds the value on its first call and returns the
 * same one after. Schemas are declared this way so that a hook builds only the ones it uses:
 * building every schema of the hook tools at start-up cost a few milliseconds of every hook
 * (docs/explanation/performance.md).
 */
export function lazy<T>(build: () => T): () => T {
  let value: T;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}
