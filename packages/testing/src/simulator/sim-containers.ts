import type { CharmMeta } from '@charmkit/ops';
import type { CheckStatus, ServiceDefinition, ServiceStatus } from '@charmkit/ops/pebble';
import type { TestingErrorCode } from '../error-codes.js';
import type { ExecHandler } from '../pebble/exec-handler.js';
import { MemoryPebble } from '../pebble/memory-pebble.js';
import { SimulatorError } from './errors.js';
import { makeHook, type QueuedHook, type WorkloadHookTarget } from './hook-queue.js';
import type { UnitRecord } from './unit-record.js';

/**
 * A simulation was asked about a container the unit does not have (not in the charm's
 * `containers`), or about a check that container's plan does not have.
 *
 * @remedy Use a container name from the charm's metadata `containers` (the message lists them),
 * and a check the charm has added to that container's plan with a layer.
 */
export class UnknownContainerError extends SimulatorError {
  override readonly code = 'CHARMKIT_SIM_UNKNOWN_CONTAINER' satisfies TestingErrorCode;
}

/** How the simulated workload containers behave. */
export interface SimContainerOptions {
  /**
   * Stand-ins for the commands the charm runs with `exec`, by container name (there is no real
   * workload to run them). A command with no handler fails as `MemoryPebble` fails it.
   */
  readonly execHandlers?: Readonly<Record<string, readonly ExecHandler[]>>;
}

/** One container in a snapshot: what its Pebble runs and what its plan says. */
export interface ContainerSnapshot {
  /** Status of every service the plan has (or once had), by name. */
  readonly services: Readonly<Record<string, ServiceStatus>>;
  /** The plan's services, as Pebble combined the layers. */
  readonly plan: { readonly services: Readonly<Record<string, ServiceDefinition>> };
  /** Status of every check, by name. */
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

/**
 * The workload containers of one simulated Kubernetes (sidecar) application: one in-memory Pebble
 * per container declared in metadata on every unit, kept on the unit record, and the workload
 * hooks that go with them. The charm reaches them through the same `Pebble` interface it uses in
 * production (in process directly, in process mode over a unix socket).
 */
export class SimContainers {
  readonly #names: readonly string[];

  constructor(
    meta: CharmMeta,
    private readonly options: SimContainerOptions = {},
  ) {
    this.#names = [...meta.containers.keys()].sort();
  }

  /** The containers metadata declares, by name. */
  get names(): readonly string[] {
    return this.#names;
  }

  /**
   * Gives a new unit its containers and returns their `pebble-ready` hooks, which the deploy
   * sequence queues after `start` (Juju fires them once each workload's Pebble answers). The
   * containers refuse connections until then ({@link answer}).
   */
  provision(unit: UnitRecord): QueuedHook[] {
    for (const name of this.#names) unit.containers.set(name, this.#fresh(name));
    return this.#names.map((name) => workloadHook('pebble-ready', { container: name }));
  }

  /** The unit's container `name`. */
  get(unit: UnitRecord, name: string): MemoryPebble {
    const pebble = unit.containers.get(name);
    if (!pebble) {
      throw new UnknownContainerError(
        `${unit.name} has no container ${JSON.stringify(name)} (containers: ${this.#names.join(', ') || 'none'})`,
      );
    }
    return pebble;
  }

  /**
   * The container restarts, as when Kubernetes restarts its process: a fresh Pebble with no
   * layers, an empty plan, no running services, checks or notices. Its files are kept (the
   * simulator models a container restart, not a pod rescheduled onto a new image). Returns the
   * `pebble-ready` hook Juju fires once the new Pebble answers.
   */
  restart(unit: UnitRecord, name: string): QueuedHook {
    const old = this.get(unit, name);
    unit.containers.set(name, this.#fresh(name, old));
    return workloadHook('pebble-ready', { container: name });
  }

  /**
   * The container's Pebble answers from now on: called as its `pebble-ready` hook starts, since
   * Juju fires that hook once Pebble is up. Until then a new or restarted container refuses
   * connections, as a real one does while its Pebble starts, so a charm that talks to Pebble
   * without asking `canConnect()` first fails in the simulator as it would in a model.
   */
  answer(unit: UnitRecord, name: string): void {
    this.get(unit, name).canConnect = true;
  }

  /**
   * Every container of the unit answers: called before a failed hook is retried. Juju retries
   * after a back-off of seconds, by which time a starting container's Pebble is up, so a hook
   * that failed because Pebble was not up yet succeeds on its retry, as in a model.
   */
  answerAll(unit: UnitRecord): void {
    for (const pebble of unit.containers.values()) pebble.canConnect = true;
  }

  /**
   * Moves check `check` to `down` (failed past its threshold) or back `up`, as the workload's
   * health would. Returns the `pebble-check-failed`/`-recovered` hook, or null when the check was
   * already in that state (Pebble reports a transition once).
   */
  setCheck(unit: UnitRecord, container: string, check: string, status: 'up' | 'down'): QueuedHook | null {
    const pebble = this.get(unit, container);
    const info = pebble.checkInfos.find((c) => c.name === check);
    if (!info) {
      throw new UnknownContainerError(
        `container ${container} of ${unit.name} has no check ${JSON.stringify(check)} in its plan`,
      );
    }
    if (info.status === status) return null;
    pebble.setCheck({ name: check, status, failures: status === 'down' ? info.threshold : 0 });
    return workloadHook(status === 'down' ? 'pebble-check-failed' : 'pebble-check-recovered', {
      container,
      check,
    });
  }

  /**
   * Records a custom notice in the container's Pebble, as a workload running `pebble notify`
   * would, and returns its `pebble-custom-notice` hook.
   */
  async addNotice(
    unit: UnitRecord,
    container: string,
    key: string,
    data?: Readonly<Record<string, string>>,
  ): Promise<QueuedHook> {
    const pebble = this.get(unit, container);
    const id = await pebble.notify(key, data === undefined ? {} : { data: { ...data } });
    return workloadHook('pebble-custom-notice', { container, notice: { id, type: 'custom', key } });
  }

  #fresh(name: string, previous?: MemoryPebble): MemoryPebble {
    const execHandlers = this.options.execHandlers?.[name];
    // Pebble is not up yet: Juju fires pebble-ready once it answers (Pebble.answer below).
    return new MemoryPebble({
      name,
      canConnect: false,
      ...(previous ? { files: previous.filesystem.entries() } : {}),
      ...(execHandlers ? { execHandlers } : {}),
    });
  }
}

function workloadHook(
  kind: 'pebble-ready' | 'pebble-custom-notice' | 'pebble-check-failed' | 'pebble-check-recovered',
  workload: WorkloadHookTarget,
): QueuedHook {
  return { ...makeHook(kind), name: `${workload.container}-${kind}`, workload };
}

/** `JUJU_WORKLOAD_NAME` and the notice or check variables of a workload hook (juju-contract §3). */
export function workloadHookEnv(hook: QueuedHook): Record<string, string> {
  const workload = hook.workload;
  if (!workload) return {};
  const env: Record<string, string> = { JUJU_WORKLOAD_NAME: workload.container };
  if (workload.notice) {
    env.JUJU_NOTICE_ID = workload.notice.id;
    env.JUJU_NOTICE_TYPE = workload.notice.type;
    env.JUJU_NOTICE_KEY = workload.notice.key;
  }
  if (workload.check !== undefined) env.JUJU_PEBBLE_CHECK_NAME = workload.check;
  return env;
}

/** The unit's containers as plain data, by name. */
export function containersSnapshot(unit: UnitRecord): Record<string, ContainerSnapshot> {
  const out: Record<string, ContainerSnapshot> = {};
  for (const name of [...unit.containers.keys()].sort()) {
    const pebble = unit.containers.get(name) as MemoryPebble;
    out[name] = {
      services: pebble.serviceStatuses,
      plan: { services: pebble.plan.services },
      checks: Object.fromEntries(pebble.checkInfos.map((c) => [c.name, c.status])),
    };
  }
  return out;
}
