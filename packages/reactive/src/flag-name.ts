import { FlagNameError } from './errors.js';

// No whitespace (flags travel one per line to external handlers and as shell words), no comma
// (the external protocol joins handler lists with commas), and no leading `!` (that is negation).
const FLAG = /^[^\s!,][^\s,]*$/;

/**
 * Checks a flag name and returns it: any non-empty text without whitespace or commas, not
 * starting with `!`. Dots separate namespaces by convention (`endpoint.db.joined`).
 *
 * @throws {FlagNameError} the name is not valid.
 */
export function checkFlagName(flag: string): string {
  if (typeof flag !== 'string' || !FLAG.test(flag)) {
    throw new FlagNameError(
      `invalid flag name ${JSON.stringify(flag)}: use non-empty text without spaces or commas, not starting with '!'`,
    );
  }
  return flag;
}
