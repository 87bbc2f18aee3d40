import {
  type ActionEvent,
  ActiveStatus,
  CharmBase,
  CharmEvents,
  EventBase,
  type Framework,
  type Handle,
  type JsonObject,
} from '@charmkit/ops';

/** A custom event carrying its own sequence number, so no two of them collapse in the queue. */
export class WarmCacheEvent extends EventBase {
  seq: number;

  constructor(handle: Handle, seq: number) {
    super(handle);
    this.seq = seq;
  }

  override snapshot(): JsonObject {
    return { seq: this.seq };
  }

  override restore(snapshot: JsonObject): void {
    this.seq = typeof snapshot.seq === 'number' ? snapshot.seq : 0;
  }
}

/** The standard events plus `warmCache`. */
export class BenchRedisEvents extends CharmEvents {
  readonly warmCache = this.event('warm_cache', WarmCacheEvent);
}

const PASSWORD_KEYS = ['admin-password', 'replication-password'] as const;

/**
 * The benchmark charm, shaped like a small redis charm: update-status does nothing,
 * config-changed reads `log-level` and sets ActiveStatus, leader-elected writes two passwords to
 * the peer app databag when absent, `warmCache` always defers itself, and two actions.
 */
export class BenchRedisCharm extends CharmBase {
  static override readonly handleKind = 'BenchRedisCharm';
  override readonly on = new BenchRedisEvents(this);

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.leaderElected, this.onLeaderElected);
    framework.observe(this.on.warmCache, this.onWarmCache);
    framework.observe(this.on.action('seed-deferred'), this.onSeedDeferred);
    framework.observe(this.on.action('get-passwords'), this.onGetPasswords);
  }

  onUpdateStatus(): void {
    // Nothing: the cost measured is the framework's.
  }

  onConfigChanged(): void {
    const level = String(this.config['log-level']);
    this.unit.status = new ActiveStatus(`log level ${level}`);
  }

  onLeaderElected(): void {
    const peers = this.model.getRelation('cluster');
    if (!peers) return;
    for (const key of PASSWORD_KEYS) {
      // node:crypto loaded here, when a password is made, not at every start (about 3 ms):
      // docs/explanation/performance.md, "Keeping start-up cheap in your charm".
      const { randomBytes } = process.getBuiltinModule('node:crypto');
      if (!peers.appData.get(key)) peers.appData.set(key, randomBytes(18).toString('base64url'));
    }
  }

  onWarmCache(event: WarmCacheEvent): void {
    event.defer();
  }

  async onSeedDeferred(event: ActionEvent): Promise<void> {
    const count = Number(event.params.count);
    for (let seq = 0; seq < count; seq++) await this.on.warmCache.emit(seq);
    event.setResults({ emitted: count });
  }

  onGetPasswords(event: ActionEvent): void {
    const bag = this.model.getRelation('cluster')?.appData;
    event.setResults(Object.fromEntries(PASSWORD_KEYS.map((key) => [key, bag?.get(key) ?? ''])));
  }
}
