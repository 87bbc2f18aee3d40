/**
 * A trigger: when a flag becomes set (`when`) or becomes unset (`whenNot`), set and clear other
 * flags and call `callback`, synchronously, at the moment of the change. Triggers live in memory
 * and are registered anew by every dispatch (usually in the charm's constructor).
 */
export type TriggerSpec = (
  | { readonly when: string; readonly whenNot?: never }
  | { readonly whenNot: string; readonly when?: never }
) & {
  /** Flags to set when the trigger fires. */
  readonly set?: readonly string[];
  /** Flags to clear when the trigger fires. */
  readonly clear?: readonly string[];
  /** Called after `set` and `clear`, with the flag that changed. */
  readonly callback?: (flag: string) => void;
};
