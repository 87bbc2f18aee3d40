import type { CharmBase } from '@charmkit/ops';

/**
 * Where telemetry comes from, as the COS libraries (`cosl.JujuTopology`) write it into databags:
 * the keys in this order, so `pythonJson()` of it is byte for byte what a Python charm sends.
 */
export type JujuTopology = {
  readonly model: string;
  readonly model_uuid: string;
  readonly application: string;
  readonly unit: string;
  readonly charm_name: string;
};

/** The topology of `charm`'s own unit. */
export function topologyOf(charm: CharmBase): JujuTopology {
  return {
    model: charm.model.name,
    model_uuid: charm.model.uuid,
    application: charm.model.app.name,
    unit: charm.model.unit.name,
    charm_name: charm.framework.meta.name,
  };
}

/**
 * The short name COS uses for an application in job and file names: `<model>_<uuid[:8]>_<app>`.
 */
export function topologyIdentifier(
  topology: Pick<JujuTopology, 'model' | 'model_uuid' | 'application'>,
): string {
  return `${topology.model}_${topology.model_uuid.slice(0, 8)}_${topology.application}`.replaceAll('/', '_');
}

/** The `juju_*` labels COS attaches to metrics, logs and alert rules of an application. */
export function topologyLabels(topology: JujuTopology): Record<string, string> {
  return {
    juju_model: topology.model,
    juju_model_uuid: topology.model_uuid,
    juju_application: topology.application,
    juju_charm: topology.charm_name,
  };
}
