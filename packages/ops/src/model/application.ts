import type { Model } from './model.js';
import { InvalidStatusError } from './model-errors.js';
import { SETTABLE, type SettableStatus, StatusBase, UnknownStatus } from './status.js';

/** An application: this charm's own, or a related one. */
export class Application {
  constructor(
    private readonly model: Model,
    /** The application name. */
    readonly name: string,
  ) {}

  /** True for this charm's application. */
  get isOwn(): boolean {
    return this.name === this.model.appName;
  }

  /**
   * The application's status: readable and settable by the leader only (buffered; one
   * `status-set --application` at commit). Other applications' statuses read as unknown.
   */
  get status(): StatusBase {
    if (!this.isOwn) return new UnknownStatus();
    if (!this.model.isLeader()) {
      throw new InvalidStatusError(`only the leader can read the status of application ${this.name}`);
    }
    return this.model.statusOf(true);
  }

  set status(status: SettableStatus) {
    if (!this.isOwn)
      throw new InvalidStatusError(`cannot set the status of another application (${this.name})`);
    if (!(status instanceof StatusBase) || !SETTABLE.has((status as StatusBase).name)) {
      throw new InvalidStatusError(
        `an application status must be Active, Blocked, Maintenance or Waiting, got ${String(status)}`,
      );
    }
    if (!this.model.isLeader()) {
      throw new InvalidStatusError(`only the leader can set the status of application ${this.name}`);
    }
    this.model.setStatus(true, status);
  }

  toString(): string {
    return this.name;
  }
}
