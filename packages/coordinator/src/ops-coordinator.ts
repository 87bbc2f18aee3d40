import { type CharmBase, type CollectStatusEvent, MaintenanceStatus } from '@charmkit/ops';
import { Coordinator, type CoordinatorOptions } from './coordinator.js';
import {
  type RestartCoordinator,
  type RestartRequestedEvent,
  registerRestartCoordinator,
} from './restart-requested-event.js';
import { type Restarter, SystemdRestarter } from './restarter.js';

/** Options of {@link OpsCoordinator}. */
export interface OpsCoordinatorOptions extends CoordinatorOptions {
  /** The lock restarts take (default `restart`). */
  readonly lock?: string;
  /** How services restart (default systemd). */
  readonly restarter?: Restarter;
  /** Checked after the restart, before the lock is released (default: the restarter's `healthy`). */
  readonly healthCheck?: (services: readonly string[]) => boolean | Promise<boolean>;
  /** Runs after a successful, healthy restart, before the lock is released. */
  readonly afterRestart?: (event: RestartRequestedEvent) => void | Promise<void>;
}

/**
 * A {@link Coordinator} for rolling restarts with {@link RestartRequestedEvent}: the restart runs
 * only while this unit holds the lock, the lock is kept until the restarted services pass the
 * health check, and the unit shows "waiting for restart lock" and "restarting" meanwhile.
 */
export class OpsCoordinator extends Coordinator implements RestartCoordinator {
  static override readonly handleKind = 'OpsCoordinator';
  /** The lock restarts take. */
  readonly lock: string;
  readonly #restarter: Restarter;
  readonly #options: OpsCoordinatorOptions;
  readonly #ledger: { generation: number; restarted: Record<string, number> };
  #restarting = false;
  #unhealthy = false;

  constructor(charm: CharmBase, options: OpsCoordinatorOptions = {}) {
    super(charm, options);
    this.lock = options.lock ?? 'restart';
    this.#restarter = options.restarter ?? new SystemdRestarter();
    this.#options = options;
    this.#ledger = this.storedState('restarts', { generation: 0, restarted: {} as Record<string, number> });
    registerRestartCoordinator(this.framework, this);
  }

  currentGeneration(): number {
    return this.#ledger.generation;
  }

  async restartFor(event: RestartRequestedEvent): Promise<boolean> {
    const since = event.generation ?? this.#ledger.generation;
    if (
      event.services.length > 0 &&
      event.services.every((s) => (this.#ledger.restarted[s] ?? -1) >= since + 1)
    ) {
      this.framework.log.debug(
        `coordinator: ${event.handle.path} is covered by a restart made since it was requested`,
      );
      return true;
    }
    if (!this.acquire(this.lock)) return false;
    // From here until the check passes the lock is ours: no other unit restarts meanwhile.
    this.hold(this.lock);
    this.#restarting = true;
    // Status writes are buffered until the hook ends; say "restarting" now, so it shows.
    this.framework.model.backend.statusSet('maintenance', 'restarting', false);
    await this.#restarter.restart(event.services);
    const check =
      this.#options.healthCheck ?? ((services: readonly string[]) => this.#restarter.healthy(services));
    if (!(await check(event.services))) {
      this.#unhealthy = true;
      this.framework.log.warning(
        `coordinator: ${event.services.join(', ')} restarted but failed the health check; keeping the ${this.lock} lock and retrying`,
      );
      return false;
    }
    const generation = this.#ledger.generation + 1;
    this.#ledger.generation = generation;
    for (const service of event.services) this.#ledger.restarted[service] = generation;
    await this.#options.afterRestart?.(event);
    this.#restarting = false;
    this.release(this.lock);
    return true;
  }

  /** Adds "restarting" while a restart is unfinished, on top of the coordinator's waiting status. */
  override onCollectUnitStatus(event: CollectStatusEvent): void {
    super.onCollectUnitStatus(event);
    if (this.#restarting) {
      event.addStatus(
        new MaintenanceStatus(this.#unhealthy ? 'restarting (waiting for healthy services)' : 'restarting'),
      );
    }
  }
}
