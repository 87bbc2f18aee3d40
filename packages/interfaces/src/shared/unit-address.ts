import type { Relation, Unit } from '@charmkit/ops';

/**
 * The address `unit` is reached at in `relation`: the `ingress-address` Juju writes into every
 * unit's databag. Never `private-address`, which Juju 4 no longer writes. Null until Juju has
 * written it (before the unit joined).
 */
export function unitAddress(relation: Relation, unit: Unit): string | null {
  const address = relation.data(unit).get('ingress-address');
  return address === undefined || address === '' ? null : address;
}
