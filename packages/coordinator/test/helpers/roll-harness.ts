import { parseCharmMeta } from '@charmkit/ops';
import { type SimSnapshot, Simulator } from '@charmkit/testing';
import { GRANTS_KEY, type PolicyChoice, REQUESTS_KEY, type Restarter } from '../../src/index.js';
import { RollCharm, useFleet } from './roll-charm.js';

export const rollMeta = parseCharmMeta({
  metadata: { name: 'roll', peers: { cluster: { interface: 'roll-peers' } } },
  config: { options: { greeting: { type: 'string', default: 'v0' } } },
});

/** A run of the rolling-restart proof. */
export interface RollOptions {
  readonly units: number;
  readonly seed: number;
  readonly policy?: PolicyChoice;
  /** The most holders the policy allows (1 for serial). */
  readonly k?: number;
  /** Random leader changes, removals, additions, hook failures and config changes. */
  readonly faults?: boolean;
  /** Chance that a restarted workload fails its first health check. */
  readonly unhealthyRate?: number;
  /** update-status rounds once queues are empty (default 2; 0 proves no timer is needed). */
  readonly updateStatusRounds?: number;
}

/** What a run measured. */
export interface RollResult {
  readonly settled: boolean;
  readonly reason: string;
  /** Every broken promise, with the hook it happened in. */
  readonly violations: string[];
  readonly units: number;
  /** Hooks run from the config change to the end. */
  readonly hooks: number;
  /** Hooks run from the config change until the last restart. */
  readonly hooksUntilLastRestart: number;
  /** Peer relation-changed hooks in that span (fan-out wake-ups). */
  readonly wakeups: number;
  readonly restarts: number;
  readonly maxHolders: number;
  readonly maxDown: number;
  readonly trace: () => string;
}

/** A small seeded generator (the proofs must be reproducible). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Units that hold a lock by the protocol: the grant names their current request id. */
export function holders(world: SimSnapshot): string[] {
  const peers = world.relations.find((r) => r.endpoint === 'cluster');
  if (!peers) return [];
  const grants = JSON.parse(peers.appData.roll?.[GRANTS_KEY] ?? '{}') as Record<
    string,
    Record<string, number>
  >;
  return Object.entries(grants)
    .filter(([unit, locks]) => {
      const requests = JSON.parse(peers.unitData[unit]?.[REQUESTS_KEY] ?? '{}') as Record<string, number>;
      return Object.entries(locks).some(([lock, id]) => requests[lock] === id);
    })
    .map(([unit]) => unit);
}

/** True while some unit holds a lock or asks for one. */
function pendingWork(world: SimSnapshot): boolean {
  const peers = world.relations.find((r) => r.endpoint === 'cluster');
  return (
    holders(world).length > 0 ||
    Object.values(peers?.unitData ?? {}).some((bag) => bag[REQUESTS_KEY] !== undefined)
  );
}

/**
 * Deploys `units`, waits for it to settle, changes the config so every unit needs a restart, and
 * checks after every hook and at every restart: at most K holders; at every restart at most K
 * workloads down or unhealthy (so N − K answer); at the end every live unit restarted onto the
 * new config, is healthy, and holds and asks for nothing.
 */
export async function runRoll(options: RollOptions): Promise<RollResult> {
  const k = options.k ?? 1;
  const random = mulberry32(options.seed * 7919 + 13);
  const violations: string[] = [];
  const workloads = new Map<
    string,
    { greeting: string; healthy: boolean; restarts: number; failedCheck?: boolean }
  >();
  let restartsTotal = 0;
  let maxDown = 0;
  let lastRestartHook = -1;
  let sim: Simulator | null = null;
  const greetingNow = () => String(sim?.snapshot().config.greeting ?? 'v0');

  useFleet({
    policy: options.policy ?? 'serial',
    started(unit, greeting) {
      workloads.set(unit, { greeting, healthy: true, restarts: 0 });
    },
    stopped(unit) {
      workloads.delete(unit);
    },
    restarterFor(unit): Restarter {
      return {
        async restart() {
          const self = workloads.get(unit) ?? { greeting: '', healthy: true, restarts: 0 };
          const down = [...workloads.entries()].filter(([u, w]) => u !== unit && !w.healthy).length + 1;
          maxDown = Math.max(maxDown, down);
          if (down > k)
            violations.push(
              `hook ${sim?.hooksRun}: ${unit} restarts while ${down - 1} other workloads are down (K=${k})`,
            );
          // A restart after a failed check comes back healthy: a slow start, not a broken service.
          const healthy = self.failedCheck === true || random() >= (options.unhealthyRate ?? 0);
          workloads.set(unit, { greeting: greetingNow(), healthy, restarts: self.restarts + 1 });
          restartsTotal += 1;
          lastRestartHook = sim?.hooksRun ?? -1;
        },
        async healthy() {
          const self = workloads.get(unit);
          if (!self) return false;
          // A workload that failed its check recovers by the next try (a slow start).
          if (!self.healthy) {
            workloads.set(unit, { ...self, healthy: true, failedCheck: true });
            return false;
          }
          return true;
        },
      };
    },
  });

  sim = await Simulator.create({
    mode: 'in-process',
    charm: RollCharm,
    meta: rollMeta,
    units: options.units,
    seed: options.seed,
    ...(options.faults
      ? {
          faults: {
            seed: options.seed * 104729 + 7,
            hookFailure: 0.04,
            leaderChange: 0.02,
            removeUnit: 0.01,
            addUnit: 0.01,
            configChange: 0.01,
            maxTopologyChanges: 4,
            minUnits: 2,
          },
        }
      : {}),
  });
  let maxHolders = 0;
  sim.addInvariant('at most K holders', (world) => {
    const now = holders(world).length;
    maxHolders = Math.max(maxHolders, now);
    return now <= k || `${now} units hold the lock (K=${k})`;
  });
  try {
    const deployed = await sim.settle({
      maxHooks: 20000,
      updateStatusRounds: options.updateStatusRounds ?? 1,
    });
    if (!deployed.settled) return fail(sim, `deploy did not settle: ${deployed.reason}`);
    const start = sim.hooksRun;
    sim.setConfig({ greeting: 'v1' });
    let result = await sim.settle({ maxHooks: 200000, updateStatusRounds: options.updateStatusRounds ?? 2 });
    // A unit whose restarted service failed its health check keeps the lock and waits for its next
    // hook; on Juju that is update-status, every 5 minutes. Give it those ticks (the no-timer proof
    // runs without unhealthy restarts, so it needs none).
    for (let tick = 0; tick < 20 && result.settled && pendingWork(sim.snapshot()); tick++) {
      sim.tick();
      result = await sim.settle({ maxHooks: 200000, updateStatusRounds: 0 });
    }
    const world = sim.snapshot();
    const final = String(world.config.greeting);
    for (const unit of Object.keys(world.units)) {
      const workload = workloads.get(unit);
      if (!workload) violations.push(`${unit} has no workload at the end`);
      else {
        if (workload.greeting !== final)
          violations.push(`${unit} never restarted onto ${final} (runs ${workload.greeting})`);
        if (!workload.healthy) violations.push(`${unit} ends unhealthy`);
      }
      const peers = world.relations.find((r) => r.endpoint === 'cluster');
      if (peers?.unitData[unit]?.[REQUESTS_KEY])
        violations.push(`${unit} still asks for ${peers.unitData[unit]?.[REQUESTS_KEY]}`);
    }
    if (holders(world).length) violations.push(`${holders(world).join(', ')} still hold a lock at the end`);
    for (const v of sim.violations)
      violations.push(`hook ${v.hookIndex} (${v.unit} ${v.hook}): ${v.invariant}: ${v.message}`);
    const span = sim.trace.toJSON().filter((e) => e.type === 'hook' && e.index >= start);
    return {
      settled: result.settled,
      reason: result.settled ? 'settled' : String(result.reason),
      violations,
      units: Object.keys(world.units).length,
      hooks: sim.hooksRun - start,
      hooksUntilLastRestart: lastRestartHook - start,
      wakeups: span.filter((e) => e.type === 'hook' && e.hook === 'cluster-relation-changed').length,
      restarts: restartsTotal,
      maxHolders,
      maxDown,
      trace: () => (sim as Simulator).trace.format({ toolCalls: true }),
    };
  } finally {
    await sim.close();
  }

  function fail(s: Simulator, reason: string): RollResult {
    return {
      settled: false,
      reason,
      violations,
      units: 0,
      hooks: 0,
      hooksUntilLastRestart: 0,
      wakeups: 0,
      restarts: 0,
      maxHolders,
      maxDown,
      trace: () => s.trace.format(),
    };
  }
}
