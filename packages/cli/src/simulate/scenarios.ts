import type { ConfigValue } from '@charmkit/ops';
import type { Simulator } from '@charmkit/testing';
import { ScenarioError } from '../errors.js';

import type { ScenarioName } from './scenario-names.js';

export { SCENARIOS, type ScenarioName } from './scenario-names.js';

/** One step of a scenario: a change to the model (none for the deploy), then settle. */
export interface ScenarioPhase {
  /** What the progress shows, e.g. `deploy 5 units`. */
  readonly title: string;
  /** Changes the model before settling (the deploy is queued when the simulator is created). */
  readonly apply: (sim: Simulator) => void;
}

/** What a scenario needs from the command line and charmkit.yaml. */
export interface ScenarioInput {
  readonly units: number;
  /** The config change of config-change and rolling-restart. */
  readonly change: Readonly<Record<string, ConfigValue>>;
}

function describeChange(change: Readonly<Record<string, ConfigValue>>): string {
  return Object.entries(change)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/**
 * The phases of `scenario`. Every scenario starts with the deploy; then:
 * - `config-change`, `rolling-restart`: one config change on every unit (a charm with a coordinator
 *   restarts its units one lock holder at a time);
 * - `leader-failover`: leadership moves to another unit, which gets leader-elected;
 * - `scale-down`: the newest half of the units (at least one) is removed, the leader among them
 *   when it is there, so the survivors elect a new one.
 */
export function scenarioPhases(scenario: ScenarioName, input: ScenarioInput): ScenarioPhase[] {
  const phases: ScenarioPhase[] = [
    { title: `deploy ${input.units} unit${input.units === 1 ? '' : 's'}`, apply: () => undefined },
  ];
  switch (scenario) {
    case 'deploy':
      return phases;
    case 'config-change':
    case 'rolling-restart': {
      if (Object.keys(input.change).length === 0) {
        throw new ScenarioError(
          `${scenario} needs a config option to change: the charm declares none (or pass --set option=value)`,
        );
      }
      const title = `${scenario === 'rolling-restart' ? 'roll out' : 'change'} ${describeChange(input.change)}`;
      return [...phases, { title, apply: (sim) => void sim.setConfig(input.change) }];
    }
    case 'leader-failover':
      if (input.units < 2)
        throw new ScenarioError('leader-failover needs at least 2 units (--units 2 or more)');
      return [
        ...phases,
        { title: 'move leadership to another unit', apply: (sim) => void sim.changeLeader() },
      ];
    case 'scale-down': {
      if (input.units < 2) throw new ScenarioError('scale-down needs at least 2 units (--units 2 or more)');
      const remove = Math.max(1, Math.floor(input.units / 2));
      return [
        ...phases,
        {
          title: `remove ${remove} unit${remove === 1 ? '' : 's'}`,
          apply: (sim) => {
            for (const unit of sim.units().slice(-remove)) sim.removeUnit(unit);
          },
        },
      ];
    }
  }
}
