/** The controller's record of one relation of the simulated application. */
export class RelationRecord {
  /** Application databags by application name (own app and the remote app). */
  readonly appData = new Map<string, Record<string, string>>();
  /** Unit databags by unit name; a unit has one once it wrote or entered scope. */
  readonly unitData = new Map<string, Record<string, string>>();
  /** Units in the relation's scope: local units after they entered, and every remote unit. */
  readonly scope = new Set<string>();
  /** For each local unit, the remote units it currently sees (`relation-list`). */
  readonly seen = new Map<string, Set<string>>();
  /** Units of the remote application (none for a peer relation). */
  readonly remoteUnits: string[] = [];
  /** True once the relation is being removed (no new units join). */
  dying = false;

  constructor(
    readonly id: number,
    /** The local endpoint, e.g. `cluster`. */
    readonly endpoint: string,
    readonly isPeer: boolean,
    /** The local application. */
    readonly localApp: string,
    /** The remote application (the local one for peers). */
    readonly remoteApp: string,
    /** The remote application's endpoint. */
    readonly remoteEndpoint: string,
    /** The local endpoint's role, to order the relation key as Juju does. */
    readonly localRole: 'requires' | 'provides' | 'peers',
  ) {}

  /** Juju's relation key: `app:ep` for peers, `requirer-app:ep provider-app:ep` otherwise. */
  get key(): string {
    if (this.isPeer) return `${this.localApp}:${this.endpoint}`;
    const local = `${this.localApp}:${this.endpoint}`;
    const remote = `${this.remoteApp}:${this.remoteEndpoint}`;
    return this.localRole === 'requires' ? `${local} ${remote}` : `${remote} ${local}`;
  }

  /** The remote units `observer` sees. */
  seenBy(observer: string): Set<string> {
    let set = this.seen.get(observer);
    if (!set) {
      set = new Set();
      this.seen.set(observer, set);
    }
    return set;
  }

  /** A copy of a unit's or app's committed databag ({} when none). */
  bag(member: string, isApp: boolean): Record<string, string> {
    return { ...((isApp ? this.appData : this.unitData).get(member) ?? {}) };
  }
}
