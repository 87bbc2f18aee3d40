import { type CharmBase, OpsObject, parseJujuVersion, RemovedInJuju4Error } from '@charmkit/ops';
import type { z } from 'zod';
import {
  LeaderSettingsUnavailableError,
  LeaderSettingsValidationError,
  NotLeaderForSettingsError,
} from './errors.js';
import { LeadershipEvents } from './leadership-events.js';
import {
  LeaderSetStore,
  type LeaderSetTools,
  PeerAppDataStore,
  type SettingsStore,
} from './settings-store.js';

/** A schema of string-valued settings: `z.object({ 'admin-password': z.string().min(16) })`. */
export type SettingsSchema = z.ZodObject<Record<string, z.ZodType<string | undefined>>>;

/** The keys of a settings schema. */
export type SettingsKey<S extends SettingsSchema> = keyof z.infer<S> & string;

/** Options of {@link LeaderSettings}. */
export interface LeaderSettingsOptions<S extends SettingsSchema> {
  /** The settings' keys and rules. Values are strings, as Juju stores them. */
  readonly schema: S;
  /**
   * `peer` (default): the peer relation's application databag, rolled back with a failed hook
   * like every relation write; it works on Juju 3.6 and 4. `leader-set`: Juju's leader settings,
   * which are written at once and survive a failed hook; Juju 3 only (Juju 4 removed them, and
   * this backend then fails at construction with `RemovedInJuju4Error`).
   */
  readonly backend?: 'peer' | 'leader-set';
  /**
   * With the `peer` backend on Juju 3 (default true): the leader copies the schema's keys that
   * Juju's leader settings (`leader-get`) hold and the peer databag does not yet hold into the
   * databag, once per unit, in the same transaction as its other writes. A charm that used
   * `leader-set` (itself or through the `leader-set` backend) and moves to this backend keeps its
   * data, and keeps it on Juju 4 if it ran one leader hook on 3.6 first. Deleting a key through
   * {@link LeaderSettings.set} on Juju 3 also deletes it from leader settings, so a later leader
   * does not copy it back.
   */
  readonly importLeaderSettings?: boolean;
  /** The peer endpoint (default: the only `peers` endpoint in metadata). */
  readonly relation?: string;
  /** The handle key, to have more than one set of settings (default `settings`). */
  readonly key?: string;
}

const FLAG_PREFIX = 'leadership';

/**
 * Settings the leader writes and every unit reads, with flags and events that say what changed:
 *
 * - at the start of every hook each unit compares the settings with what it saw in its previous
 *   hook (a snapshot in its stored state): for each key that differs it emits `leadershipChanged`
 *   and sets `leadership.changed.<key>` (and `leadership.changed`) for that one hook, then
 *   `leadershipSettled` when the settings are complete for the schema;
 * - the leader gets no hook for its own writes, so {@link LeaderSettings.set} updates its flags
 *   and emits the same events in the hook that writes;
 * - `leadership.is_leader` and `leadership.set.<key>` say who leads and which keys have values.
 *
 * Because the snapshot is stored state, a hook that fails sees the same changes again when
 * retried: "changed" is delivered at least once.
 */
export class LeaderSettings<S extends SettingsSchema> extends OpsObject {
  static override readonly handleKind = 'LeaderSettings';
  readonly on = new LeadershipEvents(this);

  readonly #schema: S;
  readonly #store: SettingsStore;
  readonly #snapshot: { values: Record<string, string> };
  /** Set once this unit, as leader, copied Juju's leader settings into the peer databag. */
  readonly #imported: { done: boolean };
  /** Leader-get/leader-set, when the peer backend imports from them on Juju 3; else null. */
  readonly #legacy: LeaderSetTools | null;
  #current: Record<string, string> = {};
  #changed = new Set<string>();
  #leader = false;
  #started = false;

  constructor(charm: CharmBase, options: LeaderSettingsOptions<S>) {
    super(charm, options.key ?? 'settings');
    this.#schema = options.schema;
    const jujuVersion = charm.framework.model.context.jujuVersion;
    const juju4 = parseJujuVersion(jujuVersion).major >= 4;
    if (options.backend === 'leader-set') {
      if (juju4) {
        throw new RemovedInJuju4Error(
          `LeaderSettings backend "leader-set" needs leader-get and leader-set, which were removed in Juju 4 (this unit runs Juju ${jujuVersion}): use the default backend "peer", and deploy it on Juju 3.6 first so the leader copies the existing settings into the peer databag`,
          { tool: 'leader-set', args: [], exitCode: null, stderr: '' },
        );
      }
      this.#store = new LeaderSetStore(leaderSetTools(charm));
      this.#legacy = null;
    } else {
      const endpoint = options.relation ?? onlyPeerEndpoint(charm);
      this.#store = new PeerAppDataStore(charm.framework.model, endpoint);
      this.#legacy = options.importLeaderSettings === false || juju4 ? null : optionalLeaderSetTools(charm);
    }
    this.#snapshot = this.storedState('snapshot', { values: {} as Record<string, string> });
    this.#imported = this.storedState('imported', { done: false });
    this.framework.addParticipant({ name: `${this.handle.path}`, start: () => this.refresh() });
  }

  /**
   * Reads the settings and works out what changed since this unit's last hook. The framework runs
   * it at the start of every dispatch; calling it again in the same dispatch does nothing.
   */
  refresh(): void {
    if (this.#started) return;
    this.#started = true;
    this.#leader = this.framework.model.unit.isLeader();
    if (this.#store.unavailable()) return;
    this.#current = this.#store.read();
    if (this.#leader) this.#importLeaderSettings();
    const previous = { ...this.#snapshot.values };
    const changed = changedKeys(previous, this.#current);
    this.#snapshot.values = { ...this.#current };
    this.#announce(changed, previous);
  }

  /**
   * Juju 3 only: copies the schema's keys from leader settings into the peer databag where it has
   * none. Once per unit (stored state, committed with the databag write, so a failed hook tries
   * again); never overwrites a value the databag holds.
   */
  #importLeaderSettings(): void {
    if (this.#legacy === null || this.#imported.done) return;
    const legacy = this.#legacy.leaderGet();
    const copy: Record<string, string> = {};
    for (const key of Object.keys(this.#schema.shape)) {
      const value = legacy[key];
      if (value !== undefined && value !== '' && this.#current[key] === undefined) copy[key] = value;
    }
    if (Object.keys(copy).length > 0) {
      this.#store.write(copy);
      this.#current = { ...this.#current, ...copy };
    }
    this.#imported.done = true;
  }

  #announce(changed: string[], previous: Record<string, string>): void {
    for (const key of changed) {
      this.#changed.add(key);
      void this.on.leadershipChanged.emit(key, previous[key] ?? null, this.#current[key] ?? null);
    }
    if (changed.length > 0 && this.complete) void this.on.leadershipSettled.emit();
  }

  /** True when settings can be read and written (the peer relation exists). */
  get available(): boolean {
    return this.#store.unavailable() === null;
  }

  /** Whether this unit leads, as asked at the start of this hook. */
  get isLeader(): boolean {
    return this.#leader;
  }

  /** The value of `key`, or undefined. */
  get(key: SettingsKey<S>): string | undefined {
    return this.#current[key];
  }

  /** Every setting that has a value. */
  values(): Partial<Record<SettingsKey<S>, string>> {
    return { ...this.#current } as Partial<Record<SettingsKey<S>, string>>;
  }

  /** True when every required key has a valid value. */
  get complete(): boolean {
    return this.#schema.safeParse(this.#current).success;
  }

  /** The settings, parsed by the schema, or null while they are not complete. */
  parsed(): z.infer<S> | null {
    const result = this.#schema.safeParse(this.#current);
    return result.success ? result.data : null;
  }

  /** True when `key` changed since this unit's last hook (or was set by the leader in this one). */
  changed(key?: SettingsKey<S>): boolean {
    return key === undefined ? this.#changed.size > 0 : this.#changed.has(key);
  }

  /**
   * Writes settings (leader only). `null` or `undefined` deletes a key. Values are checked against
   * the schema first; nothing is written when one is wrong. The leader's flags and events follow
   * at once.
   */
  set(values: Readonly<Partial<Record<SettingsKey<S>, string | null | undefined>>>): void {
    if (!this.framework.model.unit.isLeader()) {
      throw new NotLeaderForSettingsError(
        `${this.framework.model.unitName} is not the leader: only the leader can set ${Object.keys(values).join(', ')}`,
      );
    }
    const why = this.#store.unavailable();
    if (why)
      throw new LeaderSettingsUnavailableError(`cannot set leader settings: ${why}; defer and try again`);
    const next = { ...this.#current };
    const changes: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(values) as [string, string | null | undefined][]) {
      if (value === null || value === undefined || value === '') {
        if (key in next) changes[key] = null;
        delete next[key];
      } else if (typeof value !== 'string') {
        throw new LeaderSettingsValidationError(
          `leader setting ${key} must be a string, got ${typeof value}`,
        );
      } else {
        if (next[key] !== value) changes[key] = value;
        next[key] = value;
      }
    }
    const check = this.#schema.partial().safeParse(next);
    if (!check.success) {
      const issues = check.error.issues
        .map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`)
        .join('; ');
      throw new LeaderSettingsValidationError(`leader settings rejected: ${issues}`);
    }
    if (Object.keys(changes).length === 0) return;
    this.#store.write(changes);
    this.#forgetLegacy(changes);
    const previous = this.#current;
    this.#current = next;
    this.#snapshot.values = { ...next };
    this.#announce(Object.keys(changes).sort(), previous);
  }

  /** Juju 3: deletes removed keys from leader settings too, so no later leader imports them again. */
  #forgetLegacy(changes: Readonly<Record<string, string | null>>): void {
    if (this.#legacy === null) return;
    const deleted = Object.keys(changes).filter((key) => changes[key] === null);
    if (deleted.length === 0) return;
    const legacy = this.#legacy.leaderGet();
    const stale = deleted.filter((key) => legacy[key] !== undefined);
    if (stale.length > 0) this.#legacy.leaderSet(Object.fromEntries(stale.map((key) => [key, null])));
  }

  /**
   * The flags of charms.reactive's leadership layer: `leadership.is_leader`,
   * `leadership.set.<key>` per key with a value, `leadership.changed.<key>` per changed key and
   * `leadership.changed` when any changed.
   */
  flags(): ReadonlySet<string> {
    const flags = new Set<string>();
    if (this.#leader) flags.add(`${FLAG_PREFIX}.is_leader`);
    for (const key of Object.keys(this.#current)) flags.add(`${FLAG_PREFIX}.set.${key}`);
    for (const key of this.#changed) flags.add(`${FLAG_PREFIX}.changed.${key}`);
    if (this.#changed.size > 0) flags.add(`${FLAG_PREFIX}.changed`);
    return flags;
  }
}

function changedKeys(previous: Record<string, string>, current: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(previous), ...Object.keys(current)]);
  return [...keys].filter((key) => previous[key] !== current[key]).sort();
}

function onlyPeerEndpoint(charm: CharmBase): string {
  const peers = [...charm.meta.peers.keys()];
  if (peers.length !== 1) {
    throw new LeaderSettingsUnavailableError(
      peers.length === 0
        ? 'leader settings in the peer app databag need a peer relation in metadata (peers:), or backend: "leader-set"'
        : `metadata has several peer relations (${peers.join(', ')}): say which with { relation: '…' }`,
    );
  }
  return peers[0] as string;
}

function optionalLeaderSetTools(charm: CharmBase): LeaderSetTools | null {
  const backend = charm.framework.model.backend as Partial<LeaderSetTools>;
  return typeof backend.leaderGet === 'function' && typeof backend.leaderSet === 'function'
    ? (backend as LeaderSetTools)
    : null;
}

function leaderSetTools(charm: CharmBase): LeaderSetTools {
  const tools = optionalLeaderSetTools(charm);
  if (!tools) throw new LeaderSettingsUnavailableError('this model backend has no leader-get/leader-set');
  return tools;
}
