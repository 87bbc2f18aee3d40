import type { Application } from './application.js';
import type { Model } from './model.js';
import { RelationDataAccessError } from './model-errors.js';
import type { RelationDataBag } from './relation-data-bag.js';
import type { Unit } from './unit.js';

/**
 * One relation: an endpoint of this charm joined to a remote application (or, for a peer
 * relation, to the other units of this one).
 */
export class Relation {
  #units: ReadonlySet<Unit> | null = null;
  #app: Application | null | undefined;

  constructor(
    private readonly model: Model,
    /** The endpoint name from metadata, e.g. `db`. */
    readonly name: string,
    /** The relation id. */
    readonly id: number,
    /** False for a relation that is gone (e.g. restored from a deferred event after it broke). */
    readonly active: boolean,
  ) {}

  /** True when the endpoint is a peer relation. */
  get isPeer(): boolean {
    return this.model.meta.peers.has(this.name);
  }

  /**
   * The remote application: for peers, this charm's own. It can be null when Juju does not
   * say (a relation with no remote units left), so check before use.
   */
  get app(): Application | null {
    if (this.#app === undefined) {
      if (this.isPeer) this.#app = this.model.app;
      else {
        const first = [...this.units][0];
        const name = first?.app.name ?? this.model.remoteAppFor(this.id);
        this.#app = name ? this.model.getApp(name) : null;
      }
    }
    return this.#app;
  }

  /** The remote units this unit currently sees (for peers: the other units of the app). */
  get units(): ReadonlySet<Unit> {
    if (this.#units === null) {
      const names = this.active ? this.model.backend.relationList(this.id) : [];
      const extra = this.model.extraUnitFor(this.id);
      if (extra && !names.includes(extra)) names.push(extra);
      this.#units = new Set(names.map((n) => this.model.getUnit(n)));
    }
    return this.#units;
  }

  /** The databag of `member` (a unit or application in this relation). */
  data(member: Unit | Application): RelationDataBag {
    return this.model.bagFor(this, member);
  }

  /** The own unit's databag. */
  get unitData(): RelationDataBag {
    return this.data(this.model.unit);
  }

  /** The own application's databag (write: leader only; read: leader, or anyone in a peer relation). */
  get appData(): RelationDataBag {
    return this.data(this.model.app);
  }

  /** The remote application's databag; throws when the remote application is unknown. */
  get remoteAppData(): RelationDataBag {
    const app = this.app;
    if (!app) throw new RelationDataAccessError(`relation ${this} has no known remote application`);
    return this.data(app);
  }

  toString(): string {
    return `${this.name}:${this.id}`;
  }
}
