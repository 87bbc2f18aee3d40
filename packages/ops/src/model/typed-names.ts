import type { ActionNameOf, ActionParamsOf, CharmTypes, UntypedCharm } from '../charm-types.js';
import type { ConfigValue } from './model-backend.js';
import type { Relation } from './relation.js';

// How `Model<T>` turns a charm's generated types into its signatures. Each falls back to the
// untyped form when `T` does not name things (UntypedCharm), so `Model` stays what it was, and
// each is written so that a `Model<MyTypes>` is still assignable to a plain `Model` (what
// libraries take): conditional types here, rather than `Readonly<T['config']>` directly, keep
// TypeScript from requiring `MyTypes` itself to be assignable to UntypedCharm.

type AnyConfig = Readonly<Record<string, ConfigValue>>;

/**
 * What `model.config` is for charm types `T`: the declared options when `T` types them (the
 * types `charmkit typegen` writes), else a record of any option.
 */
export type ModelConfig<T extends CharmTypes = UntypedCharm> = T['config'] extends AnyConfig
  ? Readonly<T['config']>
  : AnyConfig;

/**
 * What `model.getRelation(endpoint)` and `model.relations(endpoint)` hand out: a `Relation<E>`,
 * whose `name` is the endpoint, when `T` names its endpoints; a plain {@link Relation} otherwise.
 */
export type RelationOf<T extends CharmTypes, E extends string> = string extends T['relations']
  ? Relation
  : Relation<E>;

/**
 * The name parameter of `model.actionParams()`: `N` when `T` declares it, else the declared names
 * (so a misspelt action fails to compile and the error lists the declared ones).
 */
export type ActionNameArg<T extends CharmTypes, N extends string> =
  N extends ActionNameOf<T> ? N : ActionNameOf<T>;

/** What `model.actionParams(name)` returns: action `N`'s declared parameters, or a record. */
export type ModelActionParams<T extends CharmTypes, N extends string> =
  string extends ActionNameOf<T> ? Readonly<Record<string, unknown>> : ActionParamsOf<T, N>;
