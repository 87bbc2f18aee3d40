import { GRANTS_KEY, REQUESTS_KEY } from '@charmkit/coordinator';
import type { SimSnapshot } from '@charmkit/testing';

function parseObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Units holding each lock of @charmkit/coordinator, read from the peer relations: the leader's
 * grant (app databag) must name the unit's current request id (its unit databag). A grant for an
 * older request is not a hold. Charms without a coordinator have none.
 */
export function lockHolders(world: SimSnapshot): Map<string, string[]> {
  const holders = new Map<string, string[]>();
  for (const relation of world.relations) {
    if (!relation.peer) continue;
    const grants = parseObject(relation.appData[relation.remoteApp]?.[GRANTS_KEY]);
    for (const [unit, locks] of Object.entries(grants)) {
      if (!(unit in world.units)) continue;
      const requests = parseObject(relation.unitData[unit]?.[REQUESTS_KEY]);
      for (const [lock, id] of Object.entries(typeof locks === 'object' && locks !== null ? locks : {})) {
        if (requests[lock] !== id) continue;
        holders.set(lock, [...(holders.get(lock) ?? []), unit]);
      }
    }
  }
  return holders;
}

/** The most units holding one lock right now. */
export function maxHoldersNow(world: SimSnapshot): number {
  let max = 0;
  for (const units of lockHolders(world).values()) max = Math.max(max, units.length);
  return max;
}
