import type { Container } from '@charmkit/ops';
import { RestartError } from './errors.js';

/**
 * execa is loaded when a restart or a check runs, not when the charm starts: loading it costs about
 * 30 ms, in every hook of every unit otherwise (docs/explanation/performance.md).
 */
const loadExeca = () => import('execa');

/** How services are restarted and checked. */
export interface Restarter {
  /** Restarts every service; throws when one fails to restart. */
  restart(services: readonly string[]): Promise<void>;
  /** True when every service is up again (the default health check). */
  healthy(services: readonly string[]): Promise<boolean>;
}

/** systemd units on a machine charm: `systemctl restart` and `systemctl is-active`. */
export class SystemdRestarter implements Restarter {
  constructor(private readonly systemctl = 'systemctl') {}

  async restart(services: readonly string[]): Promise<void> {
    const { execa } = await loadExeca();
    for (const service of services) {
      const result = await execa(this.systemctl, ['restart', '--', service], { reject: false });
      if (result.exitCode !== 0) {
        throw new RestartError(
          `${this.systemctl} restart ${service} failed (exit ${result.exitCode}): ${String(result.stderr).trim()}`,
        );
      }
    }
  }

  async healthy(services: readonly string[]): Promise<boolean> {
    const { execa } = await loadExeca();
    for (const service of services) {
      const result = await execa(this.systemctl, ['is-active', '--quiet', '--', service], { reject: false });
      if (result.exitCode !== 0) return false;
    }
    return true;
  }
}

/** Services of a Kubernetes workload container, through its Pebble. */
export class PebbleRestarter implements Restarter {
  constructor(private readonly container: Container) {}

  async restart(services: readonly string[]): Promise<void> {
    try {
      await this.container.pebble.restartServices([...services]);
    } catch (cause) {
      throw new RestartError(
        `restarting ${services.join(', ')} in container ${this.container.name} failed: ${String(cause)}`,
        { cause },
      );
    }
  }

  async healthy(services: readonly string[]): Promise<boolean> {
    const infos = await this.container.pebble.getServices([...services]);
    return services.every((name) => infos.some((info) => info.name === name && info.current === 'active'));
  }
}
