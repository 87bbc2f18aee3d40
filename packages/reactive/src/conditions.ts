import { HandlerDefinitionError } from './errors.js';
import { checkFlagName } from './flag-name.js';

/**
 * Flag conditions: a flag name means "set", `!name` means "not set". One string or a list:
 * `['db.ready', '!configured']`.
 */
export type FlagConditions = string | readonly string[];

/** One parsed condition. */
export interface FlagCondition {
  readonly flag: string;
  /** True for `!flag`: the condition holds while the flag is not set. */
  readonly negated: boolean;
}

/** Parses `['a', '!b']` into conditions, checking every flag name. */
export function parseConditions(conditions: FlagConditions | undefined, where: string): FlagCondition[] {
  if (conditions === undefined) return [];
  const list = typeof conditions === 'string' ? [conditions] : conditions;
  if (!Array.isArray(list)) {
    throw new HandlerDefinitionError(`${where}: conditions must be a flag name or a list of them`);
  }
  return list.map((text: unknown) => {
    if (typeof text !== 'string') {
      throw new HandlerDefinitionError(`${where}: conditions must be strings, got ${typeof text}`);
    }
    const negated = text.startsWith('!');
    return { flag: checkFlagName(negated ? text.slice(1) : text), negated };
  });
}

/** Whether one condition holds. */
export function holds(condition: FlagCondition, isSet: (flag: string) => boolean): boolean {
  return isSet(condition.flag) !== condition.negated;
}
