import { jujuMajorVersion } from '../juju-context.js';
import { RemovedInJuju4Error } from './errors.js';

const LEADER_SETTINGS =
  'share leader-chosen data through the peer relation application databag (LeaderSettings from @charmkit/leadership does, by default)';
const POD_SPEC = 'pod-spec charms are gone: write a sidecar charm and configure its workload through Pebble';

/**
 * The hook tools Juju 4 removed, each with what to use instead (juju-contract, "Juju 4"). Keys are
 * tool names as spawned.
 */
export const REMOVED_IN_JUJU_4: Readonly<Record<string, string>> = {
  'leader-get': LEADER_SETTINGS,
  'leader-set': LEADER_SETTINGS,
  'add-metric': 'Juju 4 collects no charm metrics: expose them to a metrics endpoint (e.g. COS) instead',
  'pod-spec-get': POD_SPEC,
  'pod-spec-set': POD_SPEC,
  'k8s-spec-get': POD_SPEC,
  'k8s-spec-set': POD_SPEC,
  'k8s-raw-get': POD_SPEC,
  'k8s-raw-set': POD_SPEC,
};

/** Whether `tool` is one Juju 4 removed. */
export function isRemovedInJuju4(tool: string): boolean {
  return Object.hasOwn(REMOVED_IN_JUJU_4, tool);
}

/**
 * The error for calling `tool` on a unit whose `JUJU_VERSION` is `jujuVersion`, or null when the
 * tool exists there (any tool before Juju 4, or a tool Juju 4 kept). An unknown version counts as
 * before 4, so nothing is refused without evidence; the tool's own "not found" then speaks.
 */
export function removedInJuju4Error(
  tool: string,
  args: readonly string[],
  jujuVersion: string | undefined | null,
): RemovedInJuju4Error | null {
  if (!isRemovedInJuju4(tool) || jujuMajorVersion(jujuVersion) < 4) return null;
  return new RemovedInJuju4Error(
    `${tool} was removed in Juju 4 (this unit runs Juju ${jujuVersion}): ${REMOVED_IN_JUJU_4[tool]}`,
    { tool, args, exitCode: null, stderr: '' },
  );
}
