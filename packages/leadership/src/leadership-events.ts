import { EventBase, type Handle, type JsonObject, ObjectEvents } from '@charmkit/ops';

/** One leader setting changed since this unit's last hook (or in this hook, on the leader). */
export class LeadershipChangedEvent extends EventBase {
  key: string;
  previous: string | null;
  current: string | null;

  constructor(handle: Handle, key: string, previous: string | null, current: string | null) {
    super(handle);
    this.key = key;
    this.previous = previous;
    this.current = current;
  }

  override snapshot(): JsonObject {
    return { key: this.key, previous: this.previous, current: this.current };
  }

  override restore(snapshot: JsonObject): void {
    this.key = String(snapshot.key);
    this.previous = typeof snapshot.previous === 'string' ? snapshot.previous : null;
    this.current = typeof snapshot.current === 'string' ? snapshot.current : null;
  }
}

/**
 * The leader settings changed and now satisfy the schema completely: every required key is set
 * and valid. Emitted once per change, after the `leadershipChanged` events.
 */
export class LeadershipSettledEvent extends EventBase {
  declare protected readonly brandSettled: undefined;
}

/** The events of a {@link LeaderSettings}. */
export class LeadershipEvents extends ObjectEvents {
  readonly leadershipChanged = this.event('leadership_changed', LeadershipChangedEvent);
  readonly leadershipSettled = this.event('leadership_settled', LeadershipSettledEvent);
}
