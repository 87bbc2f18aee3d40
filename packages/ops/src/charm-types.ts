import type { ConfigValue } from './model/model-backend.js';

/**
 * What a charm's metadata declares, as types: the shape `charmkit typegen` writes for a charm and
 * {@link CharmBase} takes as its type argument. With it, `this.config` has the declared options
 * and their types, `this.on.relation()`, `.container()`, `.storage()` and `.action()` accept only
 * declared names, and an action event's `params` has the declared parameters.
 *
 * ```ts
 * import type { WebTypes } from './charm-types.js';   // written by `charmkit typegen`
 * export class WebCharm extends CharmBase<WebTypes> { ... }
 * ```
 */
export interface CharmTypes {
  /** The config, option name → value (what `this.config` returns). */
  readonly config: object;
  /** Each action's parameters, action name → parameters. */
  readonly actions: object;
  /** The relation endpoint names (requires, provides and peers). */
  readonly relations: string;
  /** The workload container names. */
  readonly containers: string;
  /** The storage names. */
  readonly storages: string;
}

/**
 * The types of a charm without generated types: any name, config values of any declared type,
 * parameters as a record. `class MyCharm extends CharmBase` uses it; names are still checked
 * against the metadata when the charm starts.
 */
export interface UntypedCharm extends CharmTypes {
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly actions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly relations: string;
  readonly containers: string;
  readonly storages: string;
}

/** The parameters of action `N` of charm types `T` (a record when `T` does not declare it). */
export type ActionParamsOf<T extends CharmTypes, N extends string> = N extends keyof T['actions']
  ? T['actions'][N] extends object
    ? Readonly<T['actions'][N]>
    : Readonly<Record<string, unknown>>
  : Readonly<Record<string, unknown>>;

/** The action names `T` declares (any string for {@link UntypedCharm}). */
export type ActionNameOf<T extends CharmTypes> = keyof T['actions'] & string;
