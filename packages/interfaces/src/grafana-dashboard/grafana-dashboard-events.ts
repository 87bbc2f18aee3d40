import { EventBase, type Handle, type JsonObject, ObjectEvents, RelationEvent } from '@charmkit/ops';

/** One problem Grafana reported with a dashboard this charm sent. */
export interface DashboardError {
  readonly dashboardId: string | null;
  readonly error: string;
}

/**
 * Grafana reported on the dashboards this charm sent (the `event` key of its bag): `valid` false
 * with `errors` when one could not be used.
 */
export class DashboardStatusChangedEvent extends EventBase {
  valid: boolean;
  errors: DashboardError[];

  constructor(handle: Handle, valid: boolean, errors: DashboardError[]) {
    super(handle);
    this.valid = valid;
    this.errors = errors;
  }

  /** The errors in one line, as the Python library's `error_message`. */
  get errorMessage(): string {
    return this.errors.map((e) => e.error).join('; ');
  }

  override snapshot(): JsonObject {
    return {
      valid: this.valid,
      errors: this.errors.map((e) => ({ dashboardId: e.dashboardId, error: e.error })),
    };
  }

  override restore(snapshot: JsonObject): void {
    this.valid = snapshot.valid === true;
    this.errors = (Array.isArray(snapshot.errors) ? snapshot.errors : []).map((e) => {
      const o = e as { dashboardId?: string | null; error?: string };
      return { dashboardId: o.dashboardId ?? null, error: String(o.error) };
    });
  }
}

/** The events of a `GrafanaDashboardProvider`. */
export class GrafanaDashboardProviderEvents extends ObjectEvents {
  readonly dashboardStatusChanged = this.event('dashboard_status_changed', DashboardStatusChangedEvent);
}

/** A related application's dashboards changed (or it left): re-read `consumer.dashboards()`. */
export class DashboardsChangedEvent extends RelationEvent {
  declare protected readonly brandDashboardsChanged: undefined;
}

/** The events of a `GrafanaDashboardConsumer`. */
export class GrafanaDashboardConsumerEvents extends ObjectEvents {
  readonly dashboardsChanged = this.event('dashboards_changed', DashboardsChangedEvent);
}
