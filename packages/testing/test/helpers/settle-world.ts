import type { World } from '../../src/simulator/world.js';

/** Runs every queued hook of every unit as a success (no charm: only the controller's bookkeeping). */
export function settle(world: World): void {
  let progress = true;
  while (progress) {
    progress = false;
    for (const unit of world.presentUnits()) {
      const hook = unit.queue.head();
      if (!hook) continue;
      world.beforeHook(unit, hook);
      unit.queue.shift();
      world.afterSuccess(unit, hook);
      progress = true;
    }
  }
}
