import type { JujuTopology } from './juju-topology.js';
import { topologyIdentifier, topologyLabels } from './juju-topology.js';
import type { AlertRules } from './schemas.js';

/**
 * `rules` ready to send: each group's name prefixed with the application's identifier (so rule
 * files of different applications never clash, as the COS libraries name them) and the topology
 * labels added to every rule that does not set them itself. Expressions are left as written: the
 * Python library narrows them with `cos-tool` when that binary is present, which the receiving
 * Prometheus or Loki does not need.
 */
export function labelAlertRules(rules: AlertRules, topology: JujuTopology): AlertRules {
  const prefix = topologyIdentifier(topology);
  const labels = topologyLabels(topology);
  return {
    groups: rules.groups.map((group) => ({
      ...group,
      name: group.name.startsWith(`${prefix}_`) ? group.name : `${prefix}_${group.name}`,
      rules: group.rules.map((rule) => ({ ...rule, labels: { ...labels, ...rule.labels } })),
    })),
  };
}
