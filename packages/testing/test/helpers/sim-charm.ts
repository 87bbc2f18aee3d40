import { join } from 'node:path';
import { type CharmMeta, loadCharmMeta } from '@charmkit/ops';
import type { SimSnapshot } from '../../src/simulator/index.js';

/** The simulator test charm's directory. */
export const simCharmDir = join(import.meta.dirname, '../fixtures/sim-charm');

/** Its metadata. */
export const simCharmMeta: CharmMeta = loadCharmMeta(simCharmDir);

/** The token in the peer app databag, or undefined. */
export function appToken(world: SimSnapshot): string | undefined {
  return world.relations.find((r) => r.endpoint === 'cluster')?.appData['sim-charm']?.token;
}

/**
 * Why the model is not in the state the test charm converges to (every alive unit active with the
 * app token, copied into its own databag), or null when it is.
 */
export function convergenceProblem(world: SimSnapshot): string | null {
  const token = appToken(world);
  if (!token) return 'no token in the peer app databag';
  const cluster = world.relations.find((r) => r.endpoint === 'cluster');
  for (const [name, unit] of Object.entries(world.units)) {
    if (unit.life !== 'alive') continue;
    if (unit.status.status !== 'active' || unit.status.message !== `token ${token}`) {
      return `${name} is ${unit.status.status} "${unit.status.message}", expected active "token ${token}"`;
    }
    if (cluster?.unitData[name]?.token !== token)
      return `${name}'s databag has token ${cluster?.unitData[name]?.token}`;
  }
  return null;
}
