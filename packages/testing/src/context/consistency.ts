import type { CharmMeta } from '@charmkit/ops';
import type { Container } from './container.js';
import { InconsistentStateError } from './errors.js';
import type { EventSpec } from './event-spec.js';
import type { State } from './state.js';

function safePlan(container: Container): { checks: Record<string, unknown> } {
  try {
    return container.plan;
  } catch {
    return { checks: {} };
  }
}

/**
 * Checks that `state` and `event` could happen with this charm's metadata, and throws an
 * {@link InconsistentStateError} listing every problem: a test that passes on an impossible
 * state proves nothing.
 */
export function checkConsistency(meta: CharmMeta, state: State, event: EventSpec): void {
  const problems: string[] = [];
  const ids = new Set<number>();
  for (const relation of state.relations) {
    const declared = meta.relations.get(relation.endpoint);
    if (!declared) {
      problems.push(
        `relation ${relation.endpoint}:${relation.id}: no endpoint ${JSON.stringify(relation.endpoint)} in metadata`,
      );
    } else if (declared.role === 'peers' && relation.kind !== 'peer') {
      problems.push(
        `relation ${relation.endpoint}:${relation.id}: ${relation.endpoint} is a peer endpoint; use PeerRelation`,
      );
    } else if (declared.role !== 'peers' && relation.kind === 'peer') {
      problems.push(
        `relation ${relation.endpoint}:${relation.id}: ${relation.endpoint} is a ${declared.role} endpoint; use Relation`,
      );
    }
    if (ids.has(relation.id)) problems.push(`relation id ${relation.id} is used twice`);
    ids.add(relation.id);
  }
  for (const [key, value] of Object.entries(state.config)) {
    const option = meta.config.get(key);
    if (!option) {
      problems.push(`config option ${JSON.stringify(key)} is not in config.yaml`);
      continue;
    }
    const ok =
      option.type === 'int'
        ? Number.isInteger(value)
        : option.type === 'float'
          ? typeof value === 'number'
          : option.type === 'boolean'
            ? typeof value === 'boolean'
            : typeof value === 'string';
    if (!ok) problems.push(`config option ${key} is a ${option.type}, got ${JSON.stringify(value)}`);
  }
  if (!state.leader && state.appStatus.name !== 'unknown') {
    problems.push(
      `appStatus is ${state.appStatus.name}, but only the leader can see the application status (leader: false)`,
    );
  }
  const eventRelation = event.relation;
  if (
    eventRelation &&
    !state.relations.some((r) => r.id === eventRelation.id && r.endpoint === eventRelation.endpoint)
  ) {
    problems.push(
      `the event's relation ${event.relation.endpoint}:${event.relation.id} is not in the state's relations`,
    );
  }
  const hookName = event.dispatchPath.split('/')[1] ?? '';
  if (event.dispatchPath.startsWith('actions/') && !meta.actions.has(hookName)) {
    problems.push(`action ${JSON.stringify(hookName)} is not in actions.yaml`);
  }
  const names = new Set<string>();
  for (const container of state.containers) {
    if (!meta.containers.has(container.name))
      problems.push(`container ${JSON.stringify(container.name)} is not in metadata`);
    try {
      void container.plan;
    } catch (error) {
      problems.push(
        `container ${JSON.stringify(container.name)} has layers Pebble refuses: ${(error as { pebbleMessage?: string }).pebbleMessage ?? (error as Error).message}`,
      );
    }
    if (names.has(container.name))
      problems.push(`container ${JSON.stringify(container.name)} is given twice`);
    names.add(container.name);
  }
  const workload = event.container ?? event.env.JUJU_WORKLOAD_NAME;
  if (workload !== undefined) {
    const container = state.containers.find((c) => c.name === workload);
    if (!meta.containers.has(workload)) {
      if (!names.has(workload)) problems.push(`container ${JSON.stringify(workload)} is not in metadata`);
    } else if (container === undefined) {
      problems.push(`the event's container ${JSON.stringify(workload)} is not in the state's containers`);
    } else {
      if (event.dispatchPath.endsWith('-pebble-ready') && !container.canConnect)
        problems.push(`pebble-ready for container ${JSON.stringify(workload)}, whose canConnect is false`);
      if (event.notice !== undefined && !container.notices.some((n) => n.id === event.notice))
        problems.push(`notice ${event.notice} is not in container ${JSON.stringify(workload)}'s notices`);
      if (
        event.check !== undefined &&
        !container.checks.some((c) => c.name === event.check) &&
        !(event.check in safePlan(container).checks)
      )
        problems.push(
          `check ${JSON.stringify(event.check)} is not in container ${JSON.stringify(workload)}'s checks or plan`,
        );
    }
  }
  const storage = event.env.JUJU_STORAGE_ID?.split('/')[0];
  if (storage !== undefined && !meta.storages.has(storage)) {
    problems.push(`storage ${JSON.stringify(storage)} is not in metadata`);
  }
  if (problems.length)
    throw new InconsistentStateError(`inconsistent test state:\n- ${problems.join('\n- ')}`);
}
