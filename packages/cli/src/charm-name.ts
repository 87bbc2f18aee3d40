import { CharmNameError } from './errors.js';

// Juju's rule for charm names: lowercase letters and digits in dash-separated words, starting with
// a letter, no word made of digits only.
const CHARM_NAME = /^[a-z][a-z0-9]*(-(?![0-9]+(-|$))[a-z0-9]+)*$/;

/** True when Juju accepts `name` as a charm (application) name. */
export function isValidCharmName(name: string): boolean {
  return CHARM_NAME.test(name);
}

/**
 * Refuses a name Juju would refuse at deploy, before anything is built or written.
 *
 * @param from where the name came from, for the message (`its metadata`, `the directory's name`).
 * @param hint what the user can do about it, appended to the message.
 * @throws {CharmNameError}
 */
export function checkCharmName(name: string, from: string, hint = ''): void {
  if (isValidCharmName(name)) return;
  throw new CharmNameError(
    `${JSON.stringify(name)} (from ${from}) is not a valid charm name: Juju accepts lowercase letters, digits and dashes, starting with a letter, no part made of digits only${hint}`,
  );
}
