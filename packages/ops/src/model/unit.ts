import type { Application } from './application.js';
import type { Container } from './container.js';
import type { Model } from './model.js';
import { InvalidStatusError, ModelError } from './model-errors.js';
import { SETTABLE, type SettableStatus, StatusBase, UnknownStatus } from './status.js';

/** A unit: this charm's own unit, a peer, or a unit of a related application. */
export class Unit {
  constructor(
    private readonly model: Model,
    /** e.g. `redis/0`. */
    readonly name: string,
    /** The unit's application. */
    readonly app: Application,
  ) {}

  /** True for the unit this hook runs on. */
  get isOwn(): boolean {
    return this.name === this.model.unitName;
  }

  /** Whether this (own) unit is the leader. Asked once per hook (`is-leader`), then cached. */
  isLeader(): boolean {
    if (!this.isOwn) throw new ModelError(`isLeader() is only known for the own unit, not ${this.name}`);
    return this.model.isLeader();
  }

  /**
   * The unit's status. Setting it is buffered: one `status-set` is sent at commit, however many
   * times it is set. Other units' statuses read as unknown.
   */
  get status(): StatusBase {
    if (!this.isOwn) return new UnknownStatus();
    return this.model.statusOf(false);
  }

  set status(status: SettableStatus) {
    if (!this.isOwn)
      throw new InvalidStatusError(`cannot set the status of ${this.name}: only the own unit's`);
    if (!(status instanceof StatusBase) || !SETTABLE.has((status as StatusBase).name)) {
      throw new InvalidStatusError(
        `a unit status must be Active, Blocked, Maintenance or Waiting, got ${String(status)}`,
      );
    }
    this.model.setStatus(false, status);
  }

  /** The workload container `name` of this (own) unit, checked against metadata. */
  container(name: string): Container {
    if (!this.isOwn) throw new ModelError(`containers are only reachable on the own unit, not ${this.name}`);
    return this.model.container(name);
  }

  /** Sets the workload version shown by `juju status` (`application-version-set`). */
  setWorkloadVersion(version: string): void {
    if (!this.isOwn) throw new ModelError(`cannot set the workload version of ${this.name}`);
    this.model.backend.applicationVersionSet(version);
  }

  toString(): string {
    return this.name;
  }
}
