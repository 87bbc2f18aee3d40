import type { Model } from './model.js';
import { InvalidStatusError, ModelError } from './model-errors.js';
import type { Secret } from './secret.js';
import type { SecretContent, SecretMetadata } from './secret-rules.js';
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

  /**
   * Creates a secret owned by the application (`secret-add --owner application`). Leader only:
   * a non-leader gets `NotLeaderError` before anything runs. Content and metadata are checked first.
   */
  addSecret(content: SecretContent, options: SecretMetadata = {}): Secret {
    if (!this.isOwn) throw new ModelError(`cannot add a secret for another application (${this.name})`);
    return this.model.addSecret('application', content, options);
  }

  /**
   * How many units this application will have once Juju is done (`goal-state`, once per hook):
   * units that are not dying. Own application only.
   */
  plannedUnits(): number {
    if (!this.isOwn)
      throw new ModelError(`plannedUnits() is only known for the own application, not ${this.name}`);
    return Object.values(this.model.goalState().units).filter((u) => u.status !== 'dying').length;
  }

  toString(): string {
    return this.name;
  }
}
