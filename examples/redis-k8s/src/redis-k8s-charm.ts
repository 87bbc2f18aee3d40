import { randomInt } from 'node:crypto';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Container,
  type EventBase,
  type Framework,
  type LeaderElectedEvent,
  type Relation,
  type RelationDataBag,
  WaitingStatus,
} from '@charmkit/ops';
import type { RedisK8sTypes } from './charm-types.js';
import {
  CLIENT_RELATION,
  LEADER_HOST_KEY,
  PEER,
  REDIS_PASSWORD_KEY,
  SENTINEL_PASSWORD_KEY,
  SENTINEL_PORT,
} from './literals.js';
import { RespSentinel, type SentinelApi, SentinelCheckError } from './sentinel.js';
import { LAYERS, type WorkloadSettings, workloadFiles } from './workload.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 random alphanumeric characters, as the Python charm's `_generate_password`. */
export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A failover Sentinel reports as still running: the leader waits (defers) until it ends. */
export class FailoverInProgressError extends Error {
  override readonly name = 'FailoverInProgressError';
}

/**
 * Seed 004: redis-k8s's leader-elected flow in charmkit.
 *
 * - On leader-elected the leader stores a redis and a sentinel password in the peer app databag
 *   when they are missing, and, at first deploy, its own host as `leader-host` (the first Juju
 *   leader is the first Redis master).
 * - On a later election (leadership moved: the old leader went away) it asks the local Sentinel
 *   for the current master, writes it to the peer and client app databags, sets every sentinel's
 *   quorum, and checks that no failover is in progress. If one is, or Sentinel cannot tell, the
 *   event is deferred and the check runs again at the next hook; once it passes, the sentinels are
 *   reset.
 * - Every unit renders redis.conf and sentinel.conf into its containers and adds the Pebble layers
 *   once the passwords and the leader host are known and Pebble is up.
 */
export class RedisK8sCharm extends CharmBase<RedisK8sTypes> {
  static override readonly handleKind = 'RedisK8sCharm';
  /** How a unit's host is named (tests replace it; on Kubernetes the pod's stable DNS name). */
  static hostnameOf: (app: string, unit: number, model: string) => string = (app, unit, model) =>
    `${app}-${unit}.${app}-endpoints.${model}.svc.cluster.local`;
  /** How the charm reaches a sentinel (tests replace it with a fake or a local redis-sentinel). */
  static sentinelAt: (host: string, port: number, password: string, master: string) => SentinelApi = (
    host,
    port,
    password,
    master,
  ) => new RespSentinel(host, port, password, master);

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.leaderElected, this.onLeaderElected);
    framework.observe(this.on.container('redis').pebbleReady, this.onConfigure);
    framework.observe(this.on.container('sentinel').pebbleReady, this.onConfigure);
    framework.observe(this.on.configChanged, this.onConfigure);
    framework.observe(this.on.relation(PEER).changed, this.onConfigure);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** The flow of seed 004's diagram. */
  async onLeaderElected(event: LeaderElectedEvent): Promise<void> {
    const bag = this.#peerAppBag();
    if (!bag) {
      // The peer relation is created before leader-elected at deploy; be safe anyway.
      event.defer();
      return;
    }
    if (!bag.get(REDIS_PASSWORD_KEY)) {
      this.framework.log.info('creating the redis password');
      bag.set(REDIS_PASSWORD_KEY, generatePassword());
    }
    if (!bag.get(SENTINEL_PASSWORD_KEY)) {
      this.framework.log.info('creating the sentinel password');
      bag.set(SENTINEL_PASSWORD_KEY, generatePassword());
    }
    if (!bag.get(LEADER_HOST_KEY)) {
      // First deploy: the Juju leader is the first Redis master.
      this.framework.log.info(`initial replication: leader-host is ${this.#hostname()}`);
      bag.set(LEADER_HOST_KEY, this.#hostname());
    } else {
      // Leadership moved (e.g. a scale-down removed the old leader, perhaps the master too).
      try {
        await this.#updateApplicationMaster(bag);
        await this.#updateQuorum();
        if (await this.#localSentinel().failoverInProgress()) {
          throw new FailoverInProgressError('Sentinel is failing the master over');
        }
      } catch (error) {
        if (!(error instanceof SentinelCheckError || error instanceof FailoverInProgressError)) throw error;
        this.framework.log.info(`failover did not finish (${error.message}); deferring`);
        event.defer();
        return;
      }
      this.framework.log.info('resetting sentinel');
      await this.#broadcast((sentinel) => sentinel.reset());
    }
    await this.onConfigure(event);
  }

  /** Renders the configuration into the containers and (re)plans their services. */
  async onConfigure(_event: EventBase): Promise<void> {
    const settings = this.#settings();
    if (!settings) return;
    const files = workloadFiles(settings);
    for (const name of ['redis', 'sentinel'] as const) {
      const container = this.#container(name);
      // Not up yet: its pebble-ready comes later and configures it then.
      if (!(await container.canConnect(1000))) continue;
      const file = files[name];
      await container.pebble.push(file.path, file.content, { makeDirs: true, permissions: 0o600 });
      await container.pebble.addLayer(name, LAYERS[name], { combine: true });
      await container.pebble.replan();
    }
  }

  async onCollectUnitStatus(event: CollectStatusEvent): Promise<void> {
    const settings = this.#settings();
    if (!settings) {
      event.addStatus(new WaitingStatus('waiting for the leader to set the passwords and leader host'));
      return;
    }
    for (const name of ['redis', 'sentinel'] as const) {
      if (!(await this.#container(name).canConnect(1000))) {
        event.addStatus(new WaitingStatus(`waiting for Pebble in the ${name} container`));
        return;
      }
    }
    const master = settings.masterHost === settings.hostname;
    event.addStatus(new ActiveStatus(master ? 'master' : `replica of ${settings.masterHost}`));
  }

  /** The peer app databag, or null before the peer relation exists. */
  #peerAppBag(): RelationDataBag | null {
    return this.#peers()?.data(this.app) ?? null;
  }

  #peers(): Relation | null {
    return this.model.getRelation(PEER);
  }

  #settings(): WorkloadSettings | null {
    const bag = this.#peerAppBag();
    const redisPassword = bag?.get(REDIS_PASSWORD_KEY);
    const sentinelPassword = bag?.get(SENTINEL_PASSWORD_KEY);
    const masterHost = bag?.get(LEADER_HOST_KEY);
    if (!redisPassword || !sentinelPassword || !masterHost) return null;
    return {
      app: this.app.name,
      hostname: this.#hostname(),
      redisPassword,
      sentinelPassword,
      masterHost,
      quorum: this.#quorum(),
      downAfterMs: this.config['sentinel-down-after-ms'],
    };
  }

  #hostname(unitName: string = this.unit.name): string {
    const [app = '', number = '0'] = unitName.split('/');
    return RedisK8sCharm.hostnameOf(app, Number(number), this.model.name);
  }

  /** A majority of the planned units (this one and its peers). */
  #quorum(): number {
    const units = (this.#peers()?.units.size ?? 0) + 1;
    return Math.floor(units / 2) + 1;
  }

  #sentinelPassword(): string {
    return this.#peerAppBag()?.get(SENTINEL_PASSWORD_KEY) ?? '';
  }

  #localSentinel(): SentinelApi {
    return RedisK8sCharm.sentinelAt(this.#hostname(), SENTINEL_PORT, this.#sentinelPassword(), this.app.name);
  }

  /** Every sentinel: the peers' and this unit's. */
  async #broadcast(action: (sentinel: SentinelApi) => Promise<void>): Promise<void> {
    const hosts = [...(this.#peers()?.units ?? [])].map((u) => this.#hostname(u.name));
    for (const host of [...hosts, this.#hostname()]) {
      await action(RedisK8sCharm.sentinelAt(host, SENTINEL_PORT, this.#sentinelPassword(), this.app.name));
    }
  }

  /** Sentinel's current master becomes `leader-host`, in the peer and every client app databag. */
  async #updateApplicationMaster(bag: RelationDataBag): Promise<void> {
    const { host } = await this.#localSentinel().masterAddress();
    if (bag.get(LEADER_HOST_KEY) !== host) {
      this.framework.log.info(`the master is now ${host}`);
      bag.set(LEADER_HOST_KEY, host);
    }
    for (const relation of this.model.relations(CLIENT_RELATION))
      relation.data(this.app).set(LEADER_HOST_KEY, host);
  }

  async #updateQuorum(): Promise<void> {
    const quorum = this.#quorum();
    await this.#broadcast((sentinel) => sentinel.setQuorum(quorum));
  }

  #container(name: 'redis' | 'sentinel'): Container {
    return this.unit.container(name);
  }
}
