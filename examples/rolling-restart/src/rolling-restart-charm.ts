import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OpsCoordinator,
  type Restarter,
  RestartRequestedEvent,
  SystemdRestarter,
} from '@charmkit/coordinator';
import {
  ActiveStatus,
  CharmBase,
  CharmEvents,
  type CollectStatusEvent,
  type Framework,
  MaintenanceStatus,
} from '@charmkit/ops';
import { httpHealthy } from './http-health.js';
import { LocalProcessRestarter } from './local-process-restarter.js';

/** The charm's events: the standard ones plus `restartRequested`. */
export class RollingRestartEvents extends CharmEvents {
  readonly restartRequested = this.event('restart_requested', RestartRequestedEvent);
}

/**
 * Seeds 001 + 003: when `greeting` changes, ask for a restart; the restart waits for the lock,
 * runs, is checked, and only a healthy service lets the lock go to the next unit.
 */
export class RollingRestartCharm extends CharmBase {
  static override readonly handleKind = 'RollingRestartCharm';
  /** The script that runs the demo workload (default: this charm's own entry). Tests set it. */
  static workloadEntry: string | null = null;

  override readonly on = new RollingRestartEvents(this);
  readonly stored = this.storedState('stored', { applied: '', restarts: 0 });
  readonly coordinator = new OpsCoordinator(this, {
    restarter: this.#restarter(),
    healthCheck: (services) => this.#healthy(services),
  });

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.start, this.onStart);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.restartRequested, this.onRestartRequested);
    framework.observe(this.on.stop, this.onStop);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** First start: nothing to roll yet, the workload starts with the current config. */
  async onStart(): Promise<void> {
    if (this.stored.applied) return;
    this.#render();
    if (this.#mode() === 'local-process') await this.#local().restart();
    this.stored.applied = this.#greeting();
  }

  onConfigChanged(): void {
    if (this.stored.applied && this.#greeting() !== this.stored.applied) {
      void this.on.restartRequested.emit({ greeting: this.#greeting() }, [this.#service()]);
    }
  }

  async onRestartRequested(event: RestartRequestedEvent): Promise<void> {
    if (!(await event.restart(this.coordinator))) {
      event.defer(); // not our turn, or not healthy yet: the lock (if held) stays ours
      return;
    }
    this.stored.applied = this.#greeting();
  }

  async onStop(): Promise<void> {
    if (this.#mode() === 'local-process') await this.#local().stop();
  }

  onCollectUnitStatus(event: CollectStatusEvent): void {
    if (!this.stored.applied) event.addStatus(new MaintenanceStatus('starting'));
    else event.addStatus(new ActiveStatus(`serving "${this.stored.applied}"`));
  }

  #greeting(): string {
    return String(this.config.greeting);
  }
  #service(): string {
    return String(this.config.service);
  }
  #mode(): string {
    return String(this.config.workload);
  }
  #charmDir(): string {
    return this.framework.charmDir ?? process.cwd();
  }
  #configPath(): string {
    return join(this.#charmDir(), 'workload.conf');
  }
  #render(): void {
    writeFileSync(this.#configPath(), this.#greeting(), { mode: 0o644 });
  }
  #port(): number {
    const base = Number(this.config.port) || 18000;
    return base + Number(this.unit.name.split('/')[1]);
  }
  #local(): LocalProcessRestarter {
    const entry = RollingRestartCharm.workloadEntry ?? process.argv[1] ?? '';
    return new LocalProcessRestarter(this.#charmDir(), entry, this.#port(), this.#configPath());
  }

  /** Chooses systemd or the local demo process when the restart happens, from the config then. */
  #restarter(): Restarter {
    return {
      restart: async (services) => {
        this.#render();
        this.stored.restarts += 1;
        if (this.#mode() === 'local-process') await this.#local().restart();
        else await new SystemdRestarter().restart(services);
      },
      healthy: (services) => this.#healthy(services),
    };
  }

  #healthy(services: readonly string[]): Promise<boolean> {
    const url = String(this.config['health-url'] ?? '');
    if (url) return httpHealthy(url);
    if (this.#mode() === 'local-process') return this.#local().healthy();
    return new SystemdRestarter().healthy(services);
  }
}
