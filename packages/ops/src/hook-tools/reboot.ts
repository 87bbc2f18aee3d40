import type { ToolRunner } from './run-tool.js';

/** Options of {@link jujuReboot}. */
export interface RebootOptions {
  /**
   * Reboot now: Juju kills this hook and runs it again after the reboot, so the call does not
   * return in practice. Without it, the machine reboots after the hook succeeds.
   */
  readonly now?: boolean;
}

/** Asks Juju to reboot the machine: `juju-reboot [--now]`. Not allowed in actions. */
export function jujuReboot(runner: ToolRunner, options: RebootOptions = {}): void {
  runner.run('juju-reboot', options.now === true ? ['--now'] : []);
}
