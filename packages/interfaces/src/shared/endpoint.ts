import { type CharmBase, UnknownEndpointError } from '@charmkit/ops';

/**
 * Checks that `endpoint` is declared in the charm's metadata under `role` (`requires` for a
 * requirer object, `provides` for a provider), so a typo fails at construction, not at the first
 * relation hook.
 *
 * @throws {UnknownEndpointError} no such endpoint, or it has another role.
 */
export function checkEndpoint(
  charm: CharmBase,
  endpoint: string,
  role: 'requires' | 'provides',
  who: string,
): void {
  const meta = charm.framework.meta;
  if (meta[role].has(endpoint)) return;
  const declared = meta.relations.get(endpoint);
  const known = [...meta[role].keys()];
  throw new UnknownEndpointError(
    declared
      ? `${who} needs a "${role}" endpoint, but ${endpoint} is declared under "${declared.role}"`
      : `${who}: no "${role}" endpoint ${JSON.stringify(endpoint)} in metadata (known: ${known.length ? known.join(', ') : 'none'})`,
  );
}
