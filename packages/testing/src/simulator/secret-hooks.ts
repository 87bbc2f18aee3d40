import { makeHook, type QueuedHook } from './hook-queue.js';
import type { SimSecretEvent } from './secret-store.js';
import type { World } from './world.js';

/**
 * Queues the hook a secret event asks for on this world's unit, if the unit is here (the store is
 * model-wide: other applications' worlds get the events of their units): `secret-changed` on the
 * consumer; `secret-remove` on the owner unit, or for an application's secret on its leader.
 * Returns the unit it queued on, or null.
 */
export function queueSecretHook(world: World, event: SimSecretEvent): string | null {
  let target: string | null;
  let hook: QueuedHook;
  if (event.kind === 'secret-changed') {
    target = event.unit;
    hook = { ...makeHook('secret-changed'), secret: { uri: event.uri, label: event.label, revision: null } };
  } else {
    target =
      event.owner.kind === 'unit' ? event.owner.unit : event.owner.app === world.app ? world.leader : null;
    hook = {
      ...makeHook('secret-remove'),
      secret: { uri: event.uri, label: event.label, revision: event.revision },
    };
  }
  const unit = target === null ? undefined : world.units.get(target);
  if (unit?.life !== 'alive') return null;
  unit.queue.push(hook);
  return unit.name;
}

/** The `JUJU_SECRET_*` variables of a secret hook (juju-contract §3). */
export function secretHookEnv(hook: QueuedHook): Record<string, string> {
  if (!hook.secret) return {};
  return {
    JUJU_SECRET_ID: hook.secret.uri,
    JUJU_SECRET_LABEL: hook.secret.label ?? '',
    ...(hook.secret.revision === null ? {} : { JUJU_SECRET_REVISION: String(hook.secret.revision) }),
  };
}
