import { randomBytes } from 'node:crypto';
import { DatabaseProvider, type DatabaseRequestedEvent } from '@charmkit/interfaces/database';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type EventBase,
  type Framework,
  WaitingStatus,
} from '@charmkit/ops';
import type { K8sDbTypes } from './charm-types.js';
import {
  CONTAINER,
  createDatabaseCommand,
  dbLayer,
  PASSWORD_ENV,
  SERVER_VERSION,
  SERVICE,
} from './workload.js';

/** A fresh password: 24 URL-safe characters (144 random bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * A small database provider on Kubernetes. The `db` container runs the server under Pebble; when
 * a requirer asks for a database (`postgresql_client`, as data_interfaces speaks it), the leader
 * creates the database and its owner with the image's admin tool (a Pebble exec in the container)
 * and publishes the endpoints and the credentials, which `DatabaseProvider` puts in a Juju secret
 * granted to the relation because the requirer asked for them in `requested-secrets`.
 */
export class K8sDbCharm extends CharmBase<K8sDbTypes> {
  static override readonly handleKind = 'K8sDbCharm';
  readonly database = new DatabaseProvider(this);
  readonly container = this.unit.container(CONTAINER);

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.on.container(CONTAINER).pebbleReady, this.onConfigure);
    this.observe(this.on.configChanged, this.onConfigure);
    this.observe(this.database.on.databaseRequested, this.onDatabaseRequested);
    this.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** `host:port` requirers connect to: the application's Kubernetes service. */
  get endpoint(): string {
    return `${this.app.name}.${this.model.name}.svc.cluster.local:${this.config.port}`;
  }

  /** Plans the server with the configured port; on the leader, re-sends the endpoints. */
  async onConfigure(_event: EventBase): Promise<void> {
    if (!(await this.container.canConnect())) return;
    await this.container.addLayer(SERVICE, dbLayer(this.config.port), { combine: true });
    // Replan restarts the server only when its definition (the port) changed.
    await this.container.replan();
    if (!this.unit.isLeader()) return;
    for (const request of this.database.requests()) {
      const relation = this.model.getRelation('database', request.relationId);
      if (relation) this.database.publish(relation, { endpoints: this.endpoint });
    }
  }

  /** Creates the database and its owner, then publishes them (leader only: the event says). */
  async onDatabaseRequested(event: DatabaseRequestedEvent): Promise<void> {
    if (!(await this.container.canConnect())) {
      // The server is not up yet: create the database at the next hook, when it may be.
      this.framework.log.info(
        `Pebble in ${CONTAINER} is not up: deferring the request of ${event.app?.name}`,
      );
      event.defer();
      return;
    }
    const user = `relation-${event.relation.id}`;
    const password = generatePassword();
    const process = await this.container.exec(
      createDatabaseCommand(event.database, user, event.extraUserRoles),
      { environment: { [PASSWORD_ENV]: password } },
    );
    await process.wait();
    this.framework.log.info(`created database ${event.database} owned by ${user}`);
    this.database.publish(event.relation, {
      database: event.database,
      username: user,
      password,
      endpoints: this.endpoint,
      version: SERVER_VERSION,
      tls: false,
    });
  }

  async onCollectUnitStatus(event: CollectStatusEvent): Promise<void> {
    if (!(await this.container.canConnect())) {
      event.addStatus(new WaitingStatus(`waiting for Pebble in the ${CONTAINER} container`));
      return;
    }
    const served = this.database.requests().length;
    event.addStatus(new ActiveStatus(served === 1 ? 'serving 1 database' : `serving ${served} databases`));
  }
}
