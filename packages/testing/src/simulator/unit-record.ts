import type { MemoryPebble } from '../pebble/memory-pebble.js';
import { HookQueue } from './hook-queue.js';

/** Where a unit is in its life: `dying` while its teardown hooks run, `removed` after `remove`. */
export type UnitLife = 'alive' | 'dying' | 'removed';

/** A status as Juju stores it. */
export interface StatusValue {
  readonly status: string;
  readonly message: string;
}

/** An opened port range: its `opened-ports` spelling and the endpoints it is open for. */
export interface OpenedPortEntry {
  /** `80/tcp`, `8000-8010/udp`, `icmp`. */
  readonly spec: string;
  /** `*` for all endpoints, else the endpoint names. */
  readonly endpoints: '*' | readonly string[];
}

/** One line a unit logged (`juju-log`, or the in-process logger at INFO and above). */
export interface UnitLogLine {
  readonly level: string;
  readonly message: string;
  /** The hook index (in the trace) that logged it. */
  readonly hookIndex: number;
}

/** The controller's record of one unit of the simulated application. */
export class UnitRecord {
  life: UnitLife = 'alive';
  /** `install` has succeeded. */
  installed = false;
  /** `start` has succeeded. */
  started = false;
  /** The workload status the charm set (Juju's default until it sets one). */
  workloadStatus: StatusValue = { status: 'maintenance', message: 'installing charm software' };
  /** Whether the charm ever set a unit status (if not by the end of start, Juju shows unknown). */
  statusSet = false;
  /** `hook failed: "<hook>"` while a failed hook waits for its retry. */
  agentError: string | null = null;
  /** Pending hooks. */
  readonly queue = new HookQueue();
  /** Server-side unit state (`state-get`/`state-set`). */
  readonly state = new Map<string, string>();
  /** Opened ports, by spec. */
  readonly ports = new Map<string, OpenedPortEntry>();
  /** Relations whose `relation-created` has run here. */
  readonly created = new Set<number>();
  /** Relations whose `relation-broken` has started here (gone from `relation-ids`). */
  readonly broken = new Set<number>();
  /** What the unit logged (capped). */
  readonly logs: UnitLogLine[] = [];
  /** Each workload container's Pebble, by container name (Kubernetes sidecar charms; see sim-containers). */
  readonly containers = new Map<string, MemoryPebble>();

  constructor(
    /** `app/3`. */
    readonly name: string,
    /** 3 for `app/3`. */
    readonly index: number,
  ) {}

  /** The status `juju status` shows: error while a hook is failing, else the workload status. */
  get displayStatus(): StatusValue {
    return this.agentError === null ? this.workloadStatus : { status: 'error', message: this.agentError };
  }

  /** Records a log line, keeping the last 2000. */
  log(level: string, message: string, hookIndex: number): void {
    this.logs.push({ level, message, hookIndex });
    if (this.logs.length > 2000) this.logs.splice(0, this.logs.length - 2000);
  }
}
