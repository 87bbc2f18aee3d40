import type { Handle } from '../handle.js';
import type { JsonObject } from '../json.js';
import type { Container } from '../model/container.js';
import type { CheckInfo, Notice } from '../pebble/types.js';
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

/**
 * The notice of a `pebble-custom-notice` event: Juju passes its id, type and key; the rest (data,
 * occurrences, times) is fetched from the container's Pebble by {@link LazyNotice.fetch}, at most
 * once per event object (like ops' `LazyNotice`).
 */
export class LazyNotice implements PebbleNoticeRef {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly #container: Container;
  #notice: Promise<Notice> | null = null;

  constructor(container: Container, ref: PebbleNoticeRef) {
    this.#container = container;
    this.id = ref.id;
    this.type = ref.type;
    this.key = ref.key;
  }

  /** The whole notice (`lastData`, `occurrences`, ...), from Pebble on the first call. */
  fetch(): Promise<Notice> {
    if (this.#notice === null) {
      const pending = this.#container.getNotice(this.id);
      this.#notice = pending;
      // A failed fetch (Pebble not reachable) may be retried.
      pending.catch(() => {
        if (this.#notice === pending) this.#notice = null;
      });
    }
    return this.#notice;
  }
}

/** `<container>-pebble-custom-notice`: the workload recorded a custom notice. */
export class PebbleCustomNoticeEvent extends WorkloadEvent {
  notice: LazyNotice;

  constructor(handle: Handle, workload: Container, notice: PebbleNoticeRef) {
    super(handle, workload);
    this.notice = new LazyNotice(workload, notice);
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
    this.notice = new LazyNotice(this.workload, {
      id: String(snapshot.notice_id),
      type: String(snapshot.notice_type),
      key: String(snapshot.notice_key),
    });
  }
}

// Outside the class: restored (deferred) events are made without running their constructor.
const checkInfos = new WeakMap<PebbleCheckEvent, Promise<CheckInfo>>();

/**
 * The base of Pebble check events: `checkName` is the check; {@link PebbleCheckEvent.info} fetches
 * its state from the container (once per event object, like ops' `LazyCheckInfo`).
 */
export class PebbleCheckEvent extends WorkloadEvent {
  checkName: string;

  constructor(handle: Handle, workload: Container, checkName: string) {
    super(handle, workload);
    this.checkName = checkName;
  }

  /**
   * The check's state now (status, failures, threshold...), from Pebble on the first call. Throws
   * `CheckNotFoundError` when the plan no longer has the check.
   */
  info(): Promise<CheckInfo> {
    let info = checkInfos.get(this);
    if (info === undefined) {
      const pending = this.workload.getCheck(this.checkName);
      info = pending;
      checkInfos.set(this, pending);
      // A failed fetch (Pebble not reachable) may be retried.
      pending.catch(() => {
        if (checkInfos.get(this) === pending) checkInfos.delete(this);
      });
    }
    return info;
  }

  override snapshot(): JsonObject {
    return { ...super.snapshot(), check_name: this.checkName };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.checkName = String(snapshot.check_name);
    checkInfos.delete(this);
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
