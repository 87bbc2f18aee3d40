import { RelationNotFoundError } from '../hook-tools/errors.js';
import { describeIssues } from '../internal/describe-issues.js';
import { isPlainObject, jsonProblem } from '../json.js';
import type { SafeParser } from '../stored-state.js';
import type { Application } from './application.js';
import type { Model } from './model.js';
import {
  RelationDataAccessError,
  RelationDataTypeError,
  RelationDataValidationError,
} from './model-errors.js';
import type { RelationDataBag } from './relation-data-bag.js';
import type { Unit } from './unit.js';

/**
 * A databag value as `load()` reads it: JSON when it parses, else the raw string. Juju writes some
 * keys itself as bare strings (`ingress-address`, `egress-subnets`, `private-address`), and other
 * libraries may too; a schema field of type string then still accepts them.
 */
function decodeField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * One relation: an endpoint of this charm joined to a remote application (or, for a peer
 * relation, to the other units of this one).
 *
 * @typeParam E - The endpoint name: a charm with generated types gets `Relation<'db'>` from
 * `model.getRelation('db')`; otherwise any string.
 */
export class Relation<E extends string = string> {
  #units: ReadonlySet<Unit> | null = null;
  #app: Application | null | undefined;
  #remoteModelUuid: string | null = null;

  constructor(
    private readonly model: Model,
    /** The endpoint name from metadata, e.g. `db`. */
    readonly name: E,
    /** The relation id. */
    readonly id: number,
    /**
     * False for a relation that is gone: the broken relation in its own relation-broken hook, or
     * one restored from a deferred event after it broke.
     */
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
        let name = first?.app.name ?? null;
        try {
          name ??= this.model.remoteAppFor(this.id);
        } catch (error) {
          // A relation that is gone (broken, or restored after it broke) has no remote app to ask.
          if (this.active || !(error instanceof RelationNotFoundError)) throw error;
        }
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

  /**
   * The uuid of the model the remote application lives in: this model's, except across a
   * cross-model relation (`relation-model-get`, once per hook).
   */
  get remoteModelUuid(): string {
    this.#remoteModelUuid ??= this.model.backend.relationModelGet(this.id);
    return this.#remoteModelUuid;
  }

  /**
   * Reads `member`'s databag into a typed object: every value is JSON-decoded per key (a value that
   * is not JSON stays a string), then checked with `schema` (zod, or anything with `safeParse`).
   * The counterpart of {@link Relation.save}; the same encoding as Python ops' `Relation.load`.
   *
   * @throws {RelationDataValidationError} the data does not match, naming the field.
   * @throws {RelationDataAccessError} the bag may not be read by this unit.
   */
  load<T>(schema: SafeParser<T>, member: Unit | Application): T {
    const bag = this.data(member);
    const decoded: Record<string, unknown> = {};
    for (const [key, value] of bag) decoded[key] = decodeField(value);
    const result = schema.safeParse(decoded);
    if (!result.success) {
      throw new RelationDataValidationError(
        `${bag} does not match the schema: ${describeIssues(result.error.issues, decoded, { values: false })}`,
      );
    }
    return result.data;
  }

  /**
   * Writes an object into `member`'s databag, each field JSON-encoded under its own key (fields
   * that are `undefined` are left alone). With `schema`, the value is checked (and its parsed form
   * written) first. Buffered like every databag write: one `relation-set` at commit.
   *
   * @throws {RelationDataValidationError} the value does not match the schema.
   * @throws {RelationDataTypeError} a field is not JSON.
   * @throws {RelationDataAccessError} the bag may not be written by this unit.
   */
  save<T>(value: T, member: Unit | Application, schema?: SafeParser<T>): void {
    let data: unknown = value;
    if (schema !== undefined) {
      const result = schema.safeParse(value);
      if (!result.success) {
        throw new RelationDataValidationError(
          `cannot save to ${this.data(member)}: ${describeIssues(result.error.issues, value, { values: false })}`,
        );
      }
      data = result.data;
    }
    if (!isPlainObject(data)) {
      throw new RelationDataTypeError(
        `relation.save() takes a plain object whose fields become databag keys, got ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}`,
      );
    }
    const changes: Record<string, string> = {};
    for (const [key, field] of Object.entries(data)) {
      if (field === undefined) continue;
      const problem = jsonProblem(field, key);
      if (problem) throw new RelationDataTypeError(`cannot save to relation ${this}: ${problem}`);
      changes[key] = JSON.stringify(field);
    }
    this.data(member).update(changes);
  }

  toString(): string {
    return `${this.name}:${this.id}`;
  }
}
