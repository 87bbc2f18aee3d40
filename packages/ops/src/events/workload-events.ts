import type { Handle } from '../handle.js';
import type { JsonObject } from '../json.js';
import type { Container } from '../model/container.js';
import { HookEvent } from './hook-events.js';

/** The base of workload (Pebble) events: `workload` is the container. */
export class WorkloadEvent extends HookEvent {
  workload: Container;

  constructor(handle: Handle, workload: Container) {
    super(handle);
    this.workload = workload;
  }

  override snapshot(): JsonObject {
    return { container_name: this.workload.name };
  }

  override restore(snapshot: JsonObject): void {
    this.workload = this.framework.model.container(String(snapshot.container_name));
  }
}
/** `<container>-pebble-ready`: the container's Pebble is up. */
export class PebbleReadyEvent extends WorkloadEvent {
  declare protected readonly brandPebbleReady: undefined;
}

/** A Pebble notice reference: id, type and key (`JUJU_NOTICE_*`). */
export interface PebbleNoticeRef {
  readonly id: string;
  readonly type: string;
  readonly key: string;
}

/** `<container>-pebble-custom-notice`: the workload recorded a custom notice. */
export class PebbleCustomNoticeEvent extends WorkloadEvent {
  notice: PebbleNoticeRef;

  constructor(handle: Handle, workload: Container, notice: PebbleNoticeRef) {
    super(handle, workload);
    this.notice = notice;
  }

  override snapshot(): JsonObject {
    return {
      ...super.snapshot(),
      notice_id: this.notice.id,
      notice_type: this.notice.type,
      notice_key: this.notice.key,
    };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.notice = {
      id: String(snapshot.notice_id),
      type: String(snapshot.notice_type),
      key: String(snapshot.notice_key),
    };
  }
}

/** The base of Pebble check events: `checkName` is the check. */
export class PebbleCheckEvent extends WorkloadEvent {
  checkName: string;

  constructor(handle: Handle, workload: Container, checkName: string) {
    super(handle, workload);
    this.checkName = checkName;
  }

  override snapshot(): JsonObject {
    return { ...super.snapshot(), check_name: this.checkName };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.checkName = String(snapshot.check_name);
  }
}
/** `<container>-pebble-check-failed`. */
export class PebbleCheckFailedEvent extends PebbleCheckEvent {
  declare protected readonly brandCheckFailed: undefined;
}
/** `<container>-pebble-check-recovered`. */
export class PebbleCheckRecoveredEvent extends PebbleCheckEvent {
  declare protected readonly brandCheckRecovered: undefined;
}
