import { resolve } from 'node:path';
import { LeaderSettings, type LeadershipChangedEvent } from '@charmkit/leadership';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  MaintenanceStatus,
  WaitingStatus,
} from '@charmkit/ops';
import { z } from 'zod';
import { generatePassword, readPassword, writePassword } from './password-file.js';

/** The shared settings: one password of at least 128 bits (22 base64url characters). */
export const passwordSchema = z.object({ 'admin-password': z.string().min(22) });

/**
 * Seed 000 in charmkit: the leader generates the password when there is none; every unit writes
 * it to the configured file whenever it changes. No leader-elected or leader-settings-changed
 * handler: `LeaderSettings` says what changed, in whatever hook a unit learns of it.
 */
export class LeadershipPasswordCharm extends CharmBase {
  static override readonly handleKind = 'LeadershipPasswordCharm';
  readonly settings = new LeaderSettings(this, { schema: passwordSchema });

  constructor(framework: Framework) {
    super(framework);
    // Any hook may be the first where a leader can write: make sure the password exists.
    framework.observe(this.on.leaderElected, this.ensurePassword);
    framework.observe(this.on.configChanged, this.ensurePassword);
    framework.observe(this.on.start, this.ensurePassword);
    framework.observe(this.on.updateStatus, this.ensurePassword);
    framework.observe(this.on.relation('cluster').created, this.ensurePassword);
    framework.observe(this.settings.on.leadershipChanged, this.onSettingChanged);
    framework.observe(this.on.configChanged, this.storePassword);
    framework.observe(this.on.updateStatus, this.storePassword);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /**
   * On the leader: generate the password when the settings are reachable and there is no valid one.
   * Shared data that breaks the schema (written by an older revision, or by hand with `juju exec`)
   * is replaced, not used: every unit then writes the new one.
   */
  ensurePassword(): void {
    if (this.settings.available && this.settings.isLeader && this.#password() === null) {
      this.settings.set({ 'admin-password': generatePassword() });
    }
  }

  /** Every unit: the password changed (or this unit sees it for the first time). */
  onSettingChanged(event: LeadershipChangedEvent): void {
    if (event.key === 'admin-password') this.storePassword();
  }

  /** Writes the password to the configured file when the file does not hold it yet. */
  storePassword(): void {
    const password = this.#password();
    if (password === null) return;
    const path = this.#path();
    if (readPassword(path) !== password) writePassword(path, password);
  }

  onCollectUnitStatus(event: CollectStatusEvent): void {
    const password = this.#password();
    if (!this.settings.available) event.addStatus(new WaitingStatus('waiting for the peer relation'));
    else if (password === null && this.settings.get('admin-password') !== undefined)
      // Name the key, never the value: statuses are visible to every user of the model.
      event.addStatus(
        new WaitingStatus('the shared admin-password is invalid; waiting for the leader to replace it'),
      );
    else if (password === null)
      event.addStatus(new WaitingStatus('waiting for the leader to generate the password'));
    else if (readPassword(this.#path()) !== password)
      event.addStatus(new MaintenanceStatus('writing the password'));
    else event.addStatus(new ActiveStatus('password ready'));
  }

  /** The shared password when it is valid by the schema, else null: invalid data is never used. */
  #password(): string | null {
    return this.settings.parsed()?.['admin-password'] ?? null;
  }

  /** The configured file; a relative path is taken from the charm directory. */
  #path(): string {
    return resolve(this.framework.charmDir ?? process.cwd(), String(this.config['password-file']));
  }
}
