import type { Handle } from '../handle.js';
import type { JsonObject } from '../json.js';
import type { Application } from '../model/application.js';
import type { Relation } from '../model/relation.js';
import type { Unit } from '../model/unit.js';
import { HookEvent } from './hook-events.js';

/**
 * The base of relation events. `relation` is the relation; `app` the remote application (can be
 * null: Juju does not always say); `unit` the remote unit the event is about, or null.
 * A deferred relation event whose relation is gone restores with an inactive relation.
 */
export class RelationEvent extends HookEvent {
  relation: Relation;
  app: Application | null;
  unit: Unit | null;

  constructor(handle: Handle, relation: Relation, app: Application | null = null, unit: Unit | null = null) {
    super(handle);
    this.relation = relation;
    this.app = app ?? unit?.app ?? null;
    this.unit = unit;
  }

  override snapshot(): JsonObject {
    const data: JsonObject = { relation_name: this.relation.name, relation_id: this.relation.id };
    if (this.app) data.app_name = this.app.name;
    if (this.unit) data.unit_name = this.unit.name;
    return data;
  }

  override restore(snapshot: JsonObject): void {
    const model = this.framework.model;
    this.relation = model.getRelation(
      String(snapshot.relation_name),
      Number(snapshot.relation_id),
    ) as Relation;
    this.app = typeof snapshot.app_name === 'string' ? model.getApp(snapshot.app_name) : null;
    this.unit = typeof snapshot.unit_name === 'string' ? model.getUnit(snapshot.unit_name) : null;
  }
}

/** `<endpoint>-relation-created`: the relation exists; no remote unit has joined yet. */
export class RelationCreatedEvent extends RelationEvent {
  declare protected readonly brandRelationCreated: undefined;
}
/** `<endpoint>-relation-joined`: a remote unit joined. */
export class RelationJoinedEvent extends RelationEvent {
  declare protected readonly brandRelationJoined: undefined;
}
/** `<endpoint>-relation-changed`: a remote unit's or app's data changed (or after joined). */
export class RelationChangedEvent extends RelationEvent {
  declare protected readonly brandRelationChanged: undefined;
}
/** `<endpoint>-relation-departed`: a remote unit left; `departingUnit` says which (maybe this one). */
export class RelationDepartedEvent extends RelationEvent {
  departingUnit: Unit | null;

  constructor(
    handle: Handle,
    relation: Relation,
    app: Application | null = null,
    unit: Unit | null = null,
    departingUnit: Unit | null = null,
  ) {
    super(handle, relation, app, unit);
    this.departingUnit = departingUnit;
  }

  override snapshot(): JsonObject {
    const data = super.snapshot();
    if (this.departingUnit) data.departing_unit = this.departingUnit.name;
    return data;
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.departingUnit =
      typeof snapshot.departing_unit === 'string'
        ? this.framework.model.getUnit(snapshot.departing_unit)
        : null;
  }
}
/** `<endpoint>-relation-broken`: the relation is gone; its data is still readable in this hook. */
export class RelationBrokenEvent extends RelationEvent {
  declare protected readonly brandRelationBroken: undefined;
}
