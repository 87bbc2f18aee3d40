/** The status names Juju knows. Charms may set active, blocked, maintenance and waiting. */
export type StatusName = 'active' | 'blocked' | 'maintenance' | 'waiting' | 'unknown' | 'error';

/** A unit or application status: a name and a message. Equal when both are equal. */
export abstract class StatusBase {
  abstract readonly name: StatusName;
  constructor(readonly message: string = '') {}

  /** Priority for collect-status: error 5 > blocked 4 > maintenance 3 > waiting 2 > active 1. */
  get priority(): number {
    return STATUS_PRIORITY[this.name];
  }

  equals(other: StatusBase): boolean {
    return other.name === this.name && other.message === this.message;
  }

  toString(): string {
    return this.message ? `${this.name}: ${this.message}` : this.name;
  }

  /** Builds the status class for `name` (as `status-get` prints it). */
  static fromName(name: string, message = ''): StatusBase {
    switch (name) {
      case 'active':
        return new ActiveStatus(message);
      case 'blocked':
        return new BlockedStatus(message);
      case 'maintenance':
        return new MaintenanceStatus(message);
      case 'waiting':
        return new WaitingStatus(message);
      case 'error':
        return new ErrorStatus(message);
      default:
        return new UnknownStatus();
    }
  }
}

const STATUS_PRIORITY: Record<StatusName, number> = {
  unknown: 0,
  active: 1,
  waiting: 2,
  maintenance: 3,
  blocked: 4,
  error: 5,
};

/** The workload is ready. */
export class ActiveStatus extends StatusBase {
  readonly name = 'active' as const;
}
/** The charm needs a human to act (bad config, missing relation). */
export class BlockedStatus extends StatusBase {
  readonly name = 'blocked' as const;
}
/** The charm is busy with work of its own (installing, upgrading). */
export class MaintenanceStatus extends StatusBase {
  readonly name = 'maintenance' as const;
}
/** The charm waits for something outside it (a related app, a lock). */
export class WaitingStatus extends StatusBase {
  readonly name = 'waiting' as const;
}
/** Read-only: Juju does not know the status yet. */
export class UnknownStatus extends StatusBase {
  readonly name = 'unknown' as const;
  constructor() {
    super('');
  }
}
/** Read-only: a hook failed. */
export class ErrorStatus extends StatusBase {
  readonly name = 'error' as const;
}

/** Statuses a charm may set. */
export type SettableStatus = ActiveStatus | BlockedStatus | MaintenanceStatus | WaitingStatus;

/** @internal The names a charm may set. */
export const SETTABLE: ReadonlySet<StatusName> = new Set(['active', 'blocked', 'maintenance', 'waiting']);
