import type { RelationRecord } from './relation-record.js';
import type { World, WorldRelationLink } from './world.js';

/**
 * Carries one application's side of its relations to the applications on the other sides: a unit
 * entering or leaving scope there joins or departs here, and a committed write there is remote
 * data here (queueing -changed as Juju does). Relation ids are model-wide, so one id names the
 * relation in both worlds.
 */
export class RelationBridge implements WorldRelationLink {
  readonly #others = new Map<number, World>();

  /** The bridge of `world`, installed on first use. */
  static of(world: World): RelationBridge {
    if (world.link instanceof RelationBridge) return world.link;
    const bridge = new RelationBridge();
    world.link = bridge;
    return bridge;
  }

  /** Relation `id` of this world leads to `other`, which holds the same id. */
  connect(id: number, other: World): void {
    this.#others.set(id, other);
  }

  entered(relation: RelationRecord, unit: string, bag: Readonly<Record<string, string>>): void {
    const [other, remote] = this.#remote(relation);
    if (other && remote) other.addRemoteUnit(remote, unit, bag);
  }

  left(relation: RelationRecord, unit: string): void {
    const [other, remote] = this.#remote(relation);
    if (other && remote) other.removeRemoteUnit(remote, unit);
  }

  wrote(
    relation: RelationRecord,
    member: string,
    isApp: boolean,
    changes: Readonly<Record<string, string>>,
  ): void {
    const [other, remote] = this.#remote(relation);
    if (!other || !remote) return;
    if (isApp) other.publishAppData(remote, member, changes, null);
    else other.publishUnitData(remote, member, changes);
  }

  #remote(relation: RelationRecord): [World | undefined, RelationRecord | undefined] {
    const other = this.#others.get(relation.id);
    return [other, other?.relations.get(relation.id)];
  }
}
