import type { Application, Relation, RelationDataBag, Unit } from '@charmkit/ops';

/**
 * The conversation with one remote application over one relation: what its units and the
 * application published, and this unit's (or, on the leader, this application's) replies. Juju
 * gives each unit one databag per relation, shared by every remote unit, so a reply is per
 * relation, never per remote unit.
 */
export class Conversation {
  constructor(
    /** The relation. */
    readonly relation: Relation,
    /** The remote units that have joined (a departing unit is left out in its departed hook). */
    readonly units: readonly Unit[],
  ) {}

  /** The remote application (for a peer relation: this one), or null when Juju does not say. */
  get app(): Application | null {
    return this.relation.app;
  }

  /**
   * The value of `key`: from the remote application's databag if it has it, else from the first
   * remote unit (by name) that published it.
   */
  received(key: string): string | undefined {
    const app = this.app;
    const fromApp = app && !this.relation.isPeer ? this.relation.data(app).get(key) : undefined;
    if (fromApp !== undefined) return fromApp;
    for (const unit of this.units) {
      const value = this.relation.data(unit).get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** A remote member's databag. */
  receivedFrom(member: Unit | Application): RelationDataBag {
    return this.relation.data(member);
  }

  /** Writes this unit's databag (`null`/`undefined` deletes a key); sent at commit. */
  publish(values: Readonly<Record<string, string | null | undefined>>): void {
    this.relation.unitData.update(values);
  }

  /** Writes this application's databag (leader only); sent at commit. */
  publishApp(values: Readonly<Record<string, string | null | undefined>>): void {
    this.relation.appData.update(values);
  }
}
