/** `T` with every property that may be `undefined` made optional and `undefined` removed. */
export type OmitUndefined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * Copies `value` without its `undefined` properties. With `exactOptionalPropertyTypes` an
 * optional field may be absent but not `undefined`, and mapping Pebble's JSON field by field
 * produces `undefined` for every field Pebble left out.
 */
export function omitUndefined<T extends object>(value: T): OmitUndefined<T> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = item;
  }
  return out as OmitUndefined<T>;
}
