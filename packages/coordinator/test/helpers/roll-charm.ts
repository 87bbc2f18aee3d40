import { ActiveStatus, CharmBase, CharmEvents, type CollectStatusEvent, type Framework } from '@charmkit/ops';
import { OpsCoordinator, type PolicyChoice, type Restarter, RestartRequestedEvent } from '../../src/index.js';

/** What the proof charm restarts: a model of each unit's workload, shared with the test. */
export interface Fleet {
  readonly policy: PolicyChoice;
  restarterFor(unit: string): Restarter;
  started(unit: string, greeting: string): void;
  stopped(unit: string): void;
}

let fleet: Fleet | null = null;

/** Sets the fleet the next simulated charms use. */
export function useFleet(next: Fleet): void {
  fleet = next;
}

class RollEvents extends CharmEvents {
  readonly restartRequested = this.event('restart_requested', RestartRequestedEvent);
}

/** The rolling-restart charm of the proofs: config change → restart under the lock → release. */
export class RollCharm extends CharmBase {
  static override readonly handleKind = 'RollCharm';
  override readonly on = new RollEvents(this);
  readonly stored = this.storedState('stored', { applied: '' });
  readonly coordinator = new OpsCoordinator(this, {
    policy: (fleet as Fleet).policy,
    restarter: (fleet as Fleet).restarterFor(this.unit.name),
  });

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.start, this.onStart);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.restartRequested, this.onRestartRequested);
    framework.observe(this.on.stop, this.onStop);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  onStart(): void {
    if (this.stored.applied) return;
    this.stored.applied = String(this.config.greeting);
    fleet?.started(this.unit.name, this.stored.applied);
  }

  onConfigChanged(): void {
    const greeting = String(this.config.greeting);
    if (this.stored.applied && greeting !== this.stored.applied)
      void this.on.restartRequested.emit({ greeting }, ['app']);
  }

  async onRestartRequested(event: RestartRequestedEvent): Promise<void> {
    if (!(await event.restart())) {
      event.defer();
      return;
    }
    this.stored.applied = String(this.config.greeting);
  }

  onStop(): void {
    fleet?.stopped(this.unit.name);
  }

  onCollectUnitStatus(event: CollectStatusEvent): void {
    event.addStatus(new ActiveStatus(this.stored.applied));
  }
}
