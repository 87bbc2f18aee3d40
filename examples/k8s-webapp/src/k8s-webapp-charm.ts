import { DatabaseRequirer } from '@charmkit/interfaces/database';
import { IngressRequirer } from '@charmkit/interfaces/ingress';
import { MetricsEndpointProvider, type ScrapeJob } from '@charmkit/interfaces/prometheus-scrape';
import {
  type ActionEvent,
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type CollectStatusEvent,
  type EventBase,
  type Framework,
  MaintenanceStatus,
  type PebbleCheckFailedEvent,
  PebbleExecError,
  PebbleExecTimeoutError,
  WaitingStatus,
} from '@charmkit/ops';
import type { K8sWebappTypes, MigrateParams } from './charm-types.js';
import {
  CONTAINER,
  databaseUri,
  HEALTH_CHECK,
  migrateCommand,
  SERVICE,
  type WebappSettings,
  webappLayer,
} from './workload.js';

/** How long the migrations may run before Pebble kills them. */
const MIGRATE_TIMEOUT_MS = 300_000;

/** The database the web application asks for. */
export const DATABASE_NAME = 'webapp';

/** Prometheus scrapes `/metrics` on the web server's port of every unit (`*`). */
function scrapeJobs(port: number): ScrapeJob[] {
  return [{ metrics_path: '/metrics', static_configs: [{ targets: [`*:${port}`] }] }];
}

/**
 * A sidecar web application. The `webapp` container runs the server under Pebble with an HTTP
 * check on `/health`; it is planned once the database (`@charmkit/interfaces/database`) has sent
 * credentials, with their URI in the service's environment, and replanned when config or
 * credentials change. The charm asks an ingress provider for a URL (shown in the status), offers
 * a Prometheus scrape endpoint on the same port, and has a `migrate` action that runs the
 * migrations in the container and returns their output.
 */
export class K8sWebappCharm extends CharmBase<K8sWebappTypes> {
  static override readonly handleKind = 'K8sWebappCharm';
  readonly container = this.unit.container(CONTAINER);
  readonly database = new DatabaseRequirer(this, { database: DATABASE_NAME });
  readonly ingress = new IngressRequirer(this, { port: this.config.port });
  readonly metrics = new MetricsEndpointProvider(this, { jobs: scrapeJobs(this.config.port) });

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.on.container(CONTAINER).pebbleReady, this.onConfigure);
    this.observe(this.on.configChanged, this.onConfigChanged);
    this.observe(this.database.on.databaseCreated, this.onConfigure);
    this.observe(this.database.on.endpointsChanged, this.onConfigure);
    this.observe(this.database.on.credentialsChanged, this.onConfigure);
    this.observe(this.on.relation('database').broken, this.onDatabaseGone);
    this.observe(this.on.container(CONTAINER).pebbleCheckFailed, this.onCheckFailed);
    this.observe(this.on.action('migrate'), this.onMigrate);
    this.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** What the layer needs, or null while the database has not sent credentials. */
  settings(): WebappSettings | null {
    const credentials = this.database.credentials();
    if (!credentials) return null;
    return {
      port: this.config.port,
      logLevel: this.config['log-level'],
      databaseUri: databaseUri(credentials, DATABASE_NAME),
    };
  }

  onConfigChanged(event: EventBase): Promise<void> {
    // The port is also what ingress forwards to and what Prometheus scrapes.
    this.ingress.provide({ port: this.config.port });
    this.metrics.update({ jobs: scrapeJobs(this.config.port) });
    return this.onConfigure(event);
  }

  /** Adds (or updates) the layer and replans: Pebble restarts the service only when it changed. */
  async onConfigure(_event: EventBase): Promise<void> {
    const settings = this.settings();
    // Without a database the server cannot start; the status says what is missing.
    if (!settings) return;
    // Not up yet: its pebble-ready comes later and configures it then.
    if (!(await this.container.canConnect())) return;
    await this.container.addLayer(SERVICE, webappLayer(settings), { combine: true });
    await this.container.replan();
  }

  /** The database went away: stop the server rather than let it fail on every request. */
  async onDatabaseGone(_event: EventBase): Promise<void> {
    if (!(await this.container.canConnect())) return;
    const [service] = await this.container.getServices([SERVICE]);
    if (service?.current === 'active') await this.container.stop(SERVICE);
  }

  async onCheckFailed(event: PebbleCheckFailedEvent): Promise<void> {
    const info = await event.info();
    this.framework.log.log(
      'WARNING',
      `check ${info.name} failed ${info.failures} time(s) (threshold ${info.threshold})`,
    );
  }

  /** Runs the migrations in the workload container and returns what they printed. */
  async onMigrate(event: ActionEvent<MigrateParams>): Promise<void> {
    const settings = this.settings();
    if (!settings) {
      event.fail('no database yet: relate the application to a database first');
      return;
    }
    if (!(await this.container.canConnect())) {
      event.fail(`the ${CONTAINER} container is not up yet`);
      return;
    }
    event.log('running the migrations');
    const process = await this.container.exec(migrateCommand(event.params['dry-run']), {
      environment: { DATABASE_URI: settings.databaseUri },
      timeout: MIGRATE_TIMEOUT_MS,
    });
    try {
      const { stdout } = await process.waitOutput();
      event.setResults({ output: stdout.trimEnd() });
    } catch (error) {
      // A migration that fails is the operator's to read, not a charm error: fail the action
      // with what the command printed. Anything else (Pebble gone) is a hook error.
      if (error instanceof PebbleExecError) {
        event.setResults({ output: String(error.stdout).trimEnd() });
        event.fail(`migrations failed (exit code ${error.exitCode}): ${String(error.stderr).trim()}`);
      } else if (error instanceof PebbleExecTimeoutError) {
        event.fail(`migrations did not finish within ${error.timeout / 1000} s`);
      } else {
        throw error;
      }
    }
  }

  async onCollectUnitStatus(event: CollectStatusEvent): Promise<void> {
    if (this.database.relations.length === 0) {
      event.addStatus(new BlockedStatus('needs a database: juju integrate k8s-webapp k8s-db'));
      return;
    }
    if (!this.database.isCreated()) {
      event.addStatus(new WaitingStatus('waiting for the database credentials'));
      return;
    }
    if (!(await this.container.canConnect())) {
      event.addStatus(new WaitingStatus(`waiting for Pebble in the ${CONTAINER} container`));
      return;
    }
    const checks = await this.container.getChecks({ names: [HEALTH_CHECK] });
    const health = checks[0];
    if (health?.status === 'down') {
      event.addStatus(new MaintenanceStatus(`health check failing (${health.failures} failures)`));
      return;
    }
    const url = this.ingress.url;
    event.addStatus(new ActiveStatus(url ? `serving at ${url}` : `serving on port ${this.config.port}`));
  }
}
