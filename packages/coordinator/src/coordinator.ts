import {
  type CharmBase,
  type CollectStatusEvent,
  type LogLevel,
  OpsObject,
  type Relation,
  WaitingStatus,
} from '@charmkit/ops';
import { CoordinatorEvents } from './coordinator-events.js';
import { CoordinatorConfigError } from './errors.js';
import type { GrantContext, GrantPolicy } from './policy.js';
import { type PolicyChoice, readCoordinatorFile, resolvePolicy } from './policy-config.js';
import {
  encode,
  GRANTS_KEY,
  type Grants,
  LAST_ID_KEY,
  parseGrants,
  parseQueue,
  parseRequests,
  QUEUE_KEY,
  type Queue,
  REQUESTS_KEY,
  type Requests,
} from './protocol.js';

/** Options of {@link Coordinator}. */
export interface CoordinatorOptions {
  /** The peer endpoint that carries requests and grants (default: the only `peers` endpoint). */
  readonly relation?: string;
  /**
   * Who may hold locks at once: `serial` (default; one holder per lock), `simple` (one unit holds
   * every lock), `{ maxConcurrent: n }`, or a function. Given here it wins over `charmkit.yaml`.
   */
  readonly policy?: PolicyChoice;
  /** The coordinator's own log level (default INFO; DEBUG costs no process). */
  readonly logLevel?: LogLevel;
  /** The handle key, to run more than one coordinator (default `coordinator`). */
  readonly key?: string;
}

const LOCK_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const RANK: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

/**
 * Locks negotiated over the peer relation, for work only some units may do at once (rolling
 * restarts).
 *
 * - A unit asks with {@link Coordinator.acquire}: the request (lock → a per-unit request id that
 *   only grows) goes in its own peer databag.
 * - The leader, and only it, decides: at the start of every hook, inline when it asks itself, and
 *   again at the end of the hook after its own releases, it revokes grants whose request is gone
 *   or changed (released, re-requested, or the unit departed), queues new requests first come
 *   first served, and grants by the policy. Grants go in the peer app databag.
 * - A unit holds a lock only while the grant names its *current* request id: no clock is
 *   compared, and a stale grant can never be mistaken for a new one.
 * - By default a lock is released at the end of the hook in which it is held; {@link
 *   Coordinator.hold} keeps it for another hook, {@link Coordinator.release} releases it at once.
 *
 * All writes are relation data, so they commit or roll back with the hook. Flags for the reactive
 * layer: `coordinator.requested.<lock>` and `coordinator.granted.<lock>`.
 */
export class Coordinator extends OpsObject {
  static override readonly handleKind: string = 'Coordinator';
  readonly on = new CoordinatorEvents(this);
  /** The policy's name, for logs (`serial`, `max-concurrent(2)`…). */
  readonly policyName: string;

  readonly #policy: GrantPolicy;
  readonly #logLevel: LogLevel;
  readonly #endpoint: string;
  readonly #local: { requests: Record<string, number>; grants: Record<string, number>; lastId: number };

  #started = false;
  #useLocal = false;
  #requests: Requests = {};
  #lastId = 0;
  #grants: Grants = {};
  readonly #held = new Set<string>();
  readonly #keep = new Set<string>();
  readonly #announced = new Set<string>();

  constructor(charm: CharmBase, options: CoordinatorOptions = {}) {
    super(charm, options.key ?? 'coordinator');
    const file = readCoordinatorFile(this.framework.charmDir, this.framework.charmkitConfig);
    const { policy, name } = resolvePolicy(options.policy ?? file.policy ?? 'serial');
    this.#policy = policy;
    this.policyName = name;
    this.#logLevel = options.logLevel ?? file.logLevel ?? 'INFO';
    this.#endpoint = options.relation ?? onlyPeerEndpoint(charm);
    this.#local = this.storedState('local', {
      requests: {} as Record<string, number>,
      grants: {} as Record<string, number>,
      lastId: 0,
    });
    this.framework.addParticipant({
      name: this.handle.path,
      start: () => this.#start(),
      end: () => this.#end(),
    });
    this.framework.observe(charm.on.collectUnitStatus, this, this.onCollectUnitStatus);
  }

  /** This unit's name. */
  get #me(): string {
    return this.framework.model.unitName;
  }

  #log(level: LogLevel, message: string): void {
    if (RANK[level] >= RANK[this.#logLevel]) this.framework.log.log(level, `coordinator: ${message}`);
  }

  #relation(): Relation | null {
    return this.framework.model.getRelation(this.#endpoint);
  }

  // ---- the dispatch ----------------------------------------------------------------------

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const relation = this.#relation();
    if (!relation) {
      // Before the peer relation exists (install, storage hooks) requests wait in stored state.
      this.#useLocal = true;
      this.#requests = { ...this.#local.requests };
      this.#lastId = this.#local.lastId;
      for (const [lock, id] of Object.entries(this.#local.grants))
        if (this.#requests[lock] === id) this.#held.add(lock);
      this.#announceHeld();
      return;
    }
    this.#requests = parseRequests(relation.unitData.get(REQUESTS_KEY), this.#me);
    this.#lastId = Math.max(
      Number(relation.unitData.get(LAST_ID_KEY) ?? 0) || 0,
      this.#local.lastId,
      ...Object.values(this.#requests),
    );
    let carried: Record<string, number> = {};
    if (Object.keys(this.#local.requests).length > 0) {
      // The relation appeared: requests made before it move into the databag with their ids.
      for (const [lock, id] of Object.entries(this.#local.requests)) this.#requests[lock] ??= id;
      carried = { ...this.#local.grants };
      this.#local.requests = {};
      this.#local.grants = {};
      this.#writeOwn();
    }
    if (this.framework.model.unit.isLeader()) {
      this.#decide(relation, carried);
    } else {
      this.#grants = parseGrants(relation.appData.get(GRANTS_KEY));
      if (Object.keys(carried).length)
        this.#log(
          'WARNING',
          `leadership moved before the peer relation appeared: locks held locally (${Object.keys(carried).join(', ')}) are queued again`,
        );
    }
    this.#refreshHeld();
    this.#announceHeld();
  }

  #end(): void {
    for (const lock of [...this.#held]) if (!this.#keep.has(lock)) this.release(lock);
    const relation = this.#relation();
    // The leader hands a lock it released straight to the next unit: nothing else would wake it.
    if (!this.#useLocal && relation && this.framework.model.unit.isLeader()) this.#decide(relation, {});
  }

  #refreshHeld(): void {
    for (const [lock, id] of Object.entries(this.#requests)) {
      if (this.#grants[this.#me]?.[lock] === id) this.#held.add(lock);
    }
  }

  #announceHeld(): void {
    for (const lock of this.#held) {
      if (this.#announced.has(lock)) continue;
      this.#announced.add(lock);
      this.#log('DEBUG', `${this.#me} holds ${lock} (request ${this.#requests[lock]})`);
      void this.on.lockGranted.emit(lock);
    }
  }

  #writeOwn(): void {
    this.#local.lastId = this.#lastId;
    if (this.#useLocal) {
      this.#local.requests = { ...this.#requests };
      return;
    }
    const relation = this.#relation();
    relation?.unitData.update({
      [REQUESTS_KEY]: Object.keys(this.#requests).length ? encode(this.#requests) : null,
      [LAST_ID_KEY]: String(this.#lastId),
    });
  }

  /**
   * The leader's decision round: revoke stale grants, queue new requests, grant by the policy.
   * `carried` are grants this leader made to itself before the relation existed.
   */
  #decide(relation: Relation, carried: Record<string, number>): void {
    const departing =
      this.framework.model.context.relationId === relation.id
        ? (this.framework.model.context.remoteUnitName ?? null)
        : null;
    const requests = new Map<string, Requests>([[this.#me, this.#requests]]);
    for (const unit of relation.units) {
      if (unit.name === departing || unit.name === this.#me) continue;
      requests.set(unit.name, parseRequests(relation.data(unit).get(REQUESTS_KEY), unit.name));
    }
    const grants = parseGrants(relation.appData.get(GRANTS_KEY));
    const queue = parseQueue(relation.appData.get(QUEUE_KEY));
    const before = encode(grants) + encode(queue);
    for (const [lock, id] of Object.entries(carried)) grantTo(grants, this.#me, lock, id);

    // Revoke: a grant stands only while the unit's current request has the same id.
    for (const [unit, locks] of Object.entries(grants)) {
      for (const [lock, id] of Object.entries(locks)) {
        if (requests.get(unit)?.[lock] === id) continue;
        delete locks[lock];
        this.#log(
          'INFO',
          requests.has(unit)
            ? `${unit} released ${lock} (request ${id})`
            : `revoked ${lock} from ${unit}, which left`,
        );
      }
      if (Object.keys(locks).length === 0) delete grants[unit];
    }
    // Queue: drop entries that were withdrawn, departed or granted; add new requests in a fixed order.
    for (const lock of Object.keys(queue)) {
      const seen = new Set<string>();
      queue[lock] = (queue[lock] ?? []).filter(([unit, id]) => {
        const keep = requests.get(unit)?.[lock] === id && grants[unit]?.[lock] !== id && !seen.has(unit);
        seen.add(unit);
        return keep;
      });
    }
    for (const unit of [...requests.keys()].sort()) {
      for (const [lock, id] of Object.entries(requests.get(unit) ?? {}).sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        if (grants[unit]?.[lock] === id) continue;
        const waiting = queue[lock] ?? [];
        queue[lock] = waiting;
        if (!waiting.some(([u]) => u === unit)) waiting.push([unit, id]);
      }
    }
    // Grant, lock by lock, asking the policy about each waiting unit in FIFO order.
    for (const lock of Object.keys(queue).sort()) {
      const waiting = queue[lock] ?? [];
      let position = 0;
      while (position < waiting.length) {
        const [unit, id] = waiting[position] as [string, number];
        const context: GrantContext = {
          lock,
          unit,
          holders: holdersOf(grants, lock),
          allHolders: allHolders(grants),
          queue: waiting.map(([u]) => u),
          position,
        };
        if (this.#policy(context)) {
          grantTo(grants, unit, lock, id);
          waiting.splice(position, 1);
          this.#log('INFO', `granted ${lock} to ${unit} (request ${id}, policy ${this.policyName})`);
        } else {
          position += 1;
        }
      }
      if (waiting.length === 0) delete queue[lock];
    }
    this.#grants = grants;
    if (encode(grants) + encode(queue) !== before) {
      relation.appData.update({
        [GRANTS_KEY]: Object.keys(grants).length ? encode(grants) : null,
        [QUEUE_KEY]: Object.keys(queue).length ? encode(queue) : null,
      });
    }
  }

  // ---- the API -----------------------------------------------------------------------------

  #ensureStarted(what: string): void {
    if (!this.#started) {
      throw new CoordinatorConfigError(
        `coordinator.${what}() must be called from an event handler, not while the charm is constructed`,
      );
    }
  }

  /**
   * Asks for `lock`. Returns true when this unit holds it in this hook (the leader can grant
   * itself at once; a follower learns of its grant in a later hook, through `lockGranted`). Asking
   * again while a request is pending changes nothing and keeps its place in the queue.
   */
  acquire(lock: string): boolean {
    this.#ensureStarted('acquire');
    if (!LOCK_NAME.test(lock)) {
      throw new CoordinatorConfigError(
        `lock name ${JSON.stringify(lock)} must be lowercase letters, digits, '.', '_' or '-'`,
      );
    }
    if (lock in this.#requests) return this.#held.has(lock);
    this.#lastId += 1;
    this.#requests[lock] = this.#lastId;
    this.#writeOwn();
    this.#log('INFO', `${this.#me} requested ${lock} (request ${this.#lastId})`);
    void this.on.lockRequested.emit(lock);
    if (!this.framework.model.unit.isLeader()) return false;
    if (this.#useLocal) {
      // Without the peer relation nobody else can be granted anything only if we are alone.
      if (this.framework.model.app.plannedUnits() > 1) return false;
      this.#local.grants = { ...this.#local.grants, [lock]: this.#lastId };
      this.#held.add(lock);
    } else {
      const relation = this.#relation();
      if (relation) this.#decide(relation, {});
      this.#refreshHeld();
    }
    this.#announceHeld();
    return this.#held.has(lock);
  }

  /** True when this unit holds `lock` in this hook. */
  granted(lock: string): boolean {
    return this.#held.has(lock);
  }

  /** True when this unit asked for `lock` and does not hold it yet. */
  requested(lock: string): boolean {
    return lock in this.#requests && !this.#held.has(lock);
  }

  /** The locks this unit holds in this hook. */
  heldLocks(): string[] {
    return [...this.#held].sort();
  }

  /**
   * Keeps `lock` past the end of this hook (by default a lock is released at the end of the hook
   * in which it is held). Call it in every hook in which the work is still under way.
   */
  hold(lock: string): void {
    if (!this.#held.has(lock))
      throw new CoordinatorConfigError(`cannot hold ${lock}: ${this.#me} does not hold it`);
    this.#keep.add(lock);
  }

  /** Releases `lock` (or withdraws the request) now; the leader hands it on at the end of the hook. */
  release(lock: string): void {
    if (!(lock in this.#requests)) return;
    const wasHeld = this.#held.delete(lock);
    delete this.#requests[lock];
    this.#keep.delete(lock);
    if (this.#useLocal) {
      const grants = { ...this.#local.grants };
      delete grants[lock];
      this.#local.grants = grants;
    }
    this.#writeOwn();
    this.#log('INFO', `${this.#me} ${wasHeld ? 'released' : 'withdrew its request for'} ${lock}`);
    void this.on.lockReleased.emit(lock);
  }

  /** The reactive layer's flags: `coordinator.requested.<lock>` and `coordinator.granted.<lock>`. */
  flags(): ReadonlySet<string> {
    const flags = new Set<string>();
    for (const lock of Object.keys(this.#requests)) {
      flags.add(this.#held.has(lock) ? `coordinator.granted.${lock}` : `coordinator.requested.${lock}`);
    }
    return flags;
  }

  /** Adds "waiting for the <lock> lock" while a request is pending. */
  onCollectUnitStatus(event: CollectStatusEvent): void {
    const waiting = Object.keys(this.#requests).filter((lock) => !this.#held.has(lock));
    if (waiting.length) event.addStatus(new WaitingStatus(`waiting for ${waiting.sort().join(', ')} lock`));
  }
}

function grantTo(grants: Grants, unit: string, lock: string, id: number): void {
  grants[unit] = { ...grants[unit], [lock]: id };
}

function holdersOf(grants: Grants, lock: string): string[] {
  return Object.keys(grants).filter((unit) => grants[unit]?.[lock] !== undefined);
}

function allHolders(grants: Grants): Map<string, string[]> {
  return new Map(Object.entries(grants).map(([unit, locks]) => [unit, Object.keys(locks)]));
}

function onlyPeerEndpoint(charm: CharmBase): string {
  const peers = [...charm.meta.peers.keys()];
  if (peers.length !== 1) {
    throw new CoordinatorConfigError(
      peers.length === 0
        ? 'the coordinator needs a peer relation in metadata (peers:)'
        : `metadata has several peer relations (${peers.join(', ')}): say which with { relation: '…' }`,
    );
  }
  return peers[0] as string;
}

export type { Queue };
