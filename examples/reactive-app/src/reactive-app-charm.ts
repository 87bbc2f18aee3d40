import { isAbsolute, join } from 'node:path';
import {
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  MaintenanceStatus,
  WaitingStatus,
} from '@charmkit/ops';
import { ConfigFlags, Reactive } from '@charmkit/reactive';
import { renderAppConfig, writeIfChanged } from './app-config.js';
import { PgsqlRequires } from './pgsql-requires.js';

/**
 * Seed 002: render the app's config when `db.database.available` and the admin password are both
 * there; restart the service only when the rendered file changed. The restart is the bash handler
 * `reactive/restart-service.sh` (`@when_file_changed "$APP_CONFIG_FILE"`).
 *
 * The seed's `admin-pass` flag is the config flag `config.set.admin-pass`: it follows the config
 * with nothing to keep in sync. Statuses come from collect-status, computed from the flags once
 * every handler has run, instead of from `@when_not` handlers racing to set them.
 */
export class ReactiveAppCharm extends CharmBase {
  static override readonly handleKind = 'ReactiveAppCharm';
  // INFO, so `juju debug-log` shows which handlers ran at its default level (one juju-log each).
  readonly reactive = new Reactive(this, {
    traceLevel: 'INFO',
    env: () => ({ APP_CONFIG_FILE: this.configFile, APP_SERVICE: String(this.config.service) }),
  });
  readonly configFlags = new ConfigFlags(this.reactive);
  readonly db = new PgsqlRequires(this.reactive, 'db', 'myapp');

  constructor(framework: Framework) {
    super(framework);
    this.reactive.when(['db.database.available', 'config.set.admin-pass'], this.renderConfig);
    this.reactive.external('reactive/restart-service.sh');
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** The rendered file's path (relative paths are inside the charm directory). */
  get configFile(): string {
    const path = String(this.config['config-file']);
    return isAbsolute(path) ? path : join(this.reactive.charmDir, path);
  }

  /** Renders the config; the file (and so its hash) changes only when the content does. */
  renderConfig(): void {
    const dbConn = this.db.connectionString();
    if (dbConn === null) return;
    writeIfChanged(
      this.configFile,
      renderAppConfig({ dbConn, adminPass: String(this.config['admin-pass']) }),
    );
  }

  onCollectUnitStatus(event: CollectStatusEvent): void {
    const flags = this.reactive.flags;
    if (!flags.isSet('config.set.admin-pass')) event.addStatus(new BlockedStatus('Missing admin password'));
    else if (!flags.isSet('db.database.available')) event.addStatus(new WaitingStatus('Waiting on database'));
    else if (!flags.isSet('app.running')) event.addStatus(new MaintenanceStatus('Starting the service'));
    else event.addStatus(new ActiveStatus());
  }
}
