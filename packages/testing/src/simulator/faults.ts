import type { ConfigValue } from '@charmkit/ops';
import type { HookFault } from './hook-session.js';
import { SeededRandom } from './seeded-random.js';

/** A fault at a fixed point of the run: applied once `at` hooks have run. */
export type ScheduledFault =
  | { readonly at: number; readonly kind: 'leader-change'; readonly unit?: string }
  | { readonly at: number; readonly kind: 'remove-unit'; readonly unit?: string }
  | { readonly at: number; readonly kind: 'add-unit' }
  | {
      readonly at: number;
      /** A workload container restarts: a fresh Pebble, then `<container>-pebble-ready`. */
      readonly kind: 'container-restart';
      readonly unit?: string;
      readonly container?: string;
    }
  | {
      readonly at: number;
      readonly kind: 'config-change';
      readonly values?: Readonly<Record<string, ConfigValue | null>>;
    }
  | {
      readonly at: number;
      /** The next matching hook run fails (`hook-failure`) or is SIGKILLed (`sigkill`, process mode). */
      readonly kind: 'hook-failure' | 'sigkill';
      readonly unit?: string;
      /** The hook name, e.g. `leader-elected` or `cluster-relation-changed`. */
      readonly hook?: string;
      /** 0: before the hook starts; n: at its n-th tool call; a tool name: at that tool's first call. */
      readonly atCall?: number | string;
    };

/**
 * Seeded, reproducible fault injection. Probabilities are per hook: topology faults are rolled
 * before each hook, hook faults for each hook run. The same seed and the same charm give the same
 * faults at the same points.
 */
export interface FaultOptions {
  /** Seed of the fault stream (default: derived from the simulator's seed). */
  readonly seed?: number;
  /** Probability that leadership moves to another unit (it gets leader-elected). */
  readonly leaderChange?: number;
  /** Probability that a hook run fails: a tool call answers an error, or the hook fails before it starts. */
  readonly hookFailure?: number;
  /** Probability that a hook process is SIGKILLed (process mode; in-process it counts as a failure). */
  readonly sigkill?: number;
  /** Probability that a unit is removed. */
  readonly removeUnit?: number;
  /** Probability that a unit is added. */
  readonly addUnit?: number;
  /** Probability that one config option changes (config-changed everywhere). */
  readonly configChange?: number;
  /**
   * Probability that a workload container of a Kubernetes charm restarts, as when Kubernetes
   * restarts its process: a fresh Pebble with no layers or running services, then
   * `<container>-pebble-ready`. Rolled on a stream of its own, so setting it moves no other fault.
   */
  readonly containerRestart?: number;
  /** Cap on random container restarts (default 3). */
  readonly maxContainerRestarts?: number;
  /** Cap on random leader changes, removals, additions and config changes together (default 6). */
  readonly maxTopologyChanges?: number;
  /** Removals never leave fewer alive units (default 1). */
  readonly minUnits?: number;
  /** Additions never make more units (default: the initial count + 3). */
  readonly maxUnits?: number;
  /** Faults at fixed points, applied besides the random ones. */
  readonly schedule?: readonly ScheduledFault[];
}

/** A topology fault to apply before the next hook. */
export type TopologyFault =
  | { readonly kind: 'leader-change'; readonly unit?: string; readonly origin: string }
  | { readonly kind: 'remove-unit'; readonly unit?: string; readonly origin: string }
  | { readonly kind: 'add-unit'; readonly origin: string }
  | {
      readonly kind: 'container-restart';
      readonly unit?: string;
      readonly container?: string;
      readonly origin: string;
    }
  | {
      readonly kind: 'config-change';
      readonly values?: Readonly<Record<string, ConfigValue | null>>;
      readonly origin: string;
    };

interface ArmedHookFault {
  readonly kind: 'fail' | 'kill';
  readonly unit?: string;
  readonly hook?: string;
  readonly atCall: number | string;
  readonly origin: string;
}

/** The most tool calls a random fault aims at; hooks that make fewer calls escape it. */
const MAX_FAULT_CALL = 4;

/** Decides, reproducibly, which faults happen when. */
export class FaultPlan {
  /** The fault stream (also used for the targets of topology faults). */
  readonly random: SeededRandom;
  /** The stream of container restarts and their targets, apart so that it shifts nothing else. */
  readonly containerRandom: SeededRandom;
  readonly #schedule: ScheduledFault[];
  readonly #armed: ArmedHookFault[] = [];
  #topologyChanges = 0;
  #containerRestarts = 0;

  constructor(
    readonly options: FaultOptions,
    seed: number,
    private readonly processMode: boolean,
  ) {
    this.random = new SeededRandom(options.seed ?? seed);
    this.containerRandom = new SeededRandom(((options.seed ?? seed) ^ 0x5bd1e995) >>> 0);
    this.#schedule = [...(options.schedule ?? [])].sort((a, b) => a.at - b.at);
  }

  /** Queues a hook fault by hand (`Simulator.failNextHook`). */
  arm(fault: ArmedHookFault): void {
    this.#armed.push(fault);
  }

  /** Topology faults due before hook number `hooksRun` (scheduled first, then random). */
  topologyFaults(hooksRun: number): TopologyFault[] {
    const due: TopologyFault[] = [];
    while (this.#schedule.length > 0 && (this.#schedule[0] as ScheduledFault).at <= hooksRun) {
      const fault = this.#schedule.shift() as ScheduledFault;
      if (fault.kind === 'hook-failure' || fault.kind === 'sigkill') {
        this.#armed.push({
          kind: fault.kind === 'sigkill' ? 'kill' : 'fail',
          ...(fault.unit === undefined ? {} : { unit: fault.unit }),
          ...(fault.hook === undefined ? {} : { hook: fault.hook }),
          atCall: fault.atCall ?? 1,
          origin: `schedule@${fault.at}`,
        });
      } else {
        // Narrowed above to a topology kind; the spread just loses the narrowing.
        due.push({ ...fault, origin: `schedule@${fault.at}` } as TopologyFault);
      }
    }
    const o = this.options;
    // Roll every probability every time, so one option's value never shifts another's stream.
    const rolls = {
      leaderChange: this.random.chance(o.leaderChange ?? 0),
      removeUnit: this.random.chance(o.removeUnit ?? 0),
      addUnit: this.random.chance(o.addUnit ?? 0),
      configChange: this.random.chance(o.configChange ?? 0),
    };
    const cap = o.maxTopologyChanges ?? 6;
    for (const kind of ['leader-change', 'remove-unit', 'add-unit', 'config-change'] as const) {
      const key =
        kind === 'leader-change'
          ? 'leaderChange'
          : kind === 'remove-unit'
            ? 'removeUnit'
            : kind === 'add-unit'
              ? 'addUnit'
              : 'configChange';
      if (rolls[key] && this.#topologyChanges < cap) {
        this.#topologyChanges++;
        due.push({ kind, origin: 'random' });
      }
    }
    if (
      this.containerRandom.chance(o.containerRestart ?? 0) &&
      this.#containerRestarts < (o.maxContainerRestarts ?? 3)
    ) {
      this.#containerRestarts++;
      due.push({ kind: 'container-restart', origin: 'random' });
    }
    return due;
  }

  /** The fault for one hook run, if any. */
  hookFault(unit: string, hook: string): HookFault | null {
    const index = this.#armed.findIndex(
      (f) => (f.unit === undefined || f.unit === unit) && (f.hook === undefined || f.hook === hook),
    );
    const failRoll = this.random.chance(this.options.hookFailure ?? 0);
    const killRoll = this.random.chance(this.options.sigkill ?? 0);
    const at = this.random.between(0, MAX_FAULT_CALL);
    if (index >= 0) {
      const [armed] = this.#armed.splice(index, 1) as [ArmedHookFault];
      return { kind: this.processMode ? armed.kind : 'fail', atCall: armed.atCall, origin: armed.origin };
    }
    if (killRoll) return { kind: this.processMode ? 'kill' : 'fail', atCall: at, origin: 'random' };
    if (failRoll) return { kind: 'fail', atCall: at, origin: 'random' };
    return null;
  }
}
