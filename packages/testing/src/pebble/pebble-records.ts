import type { CheckInfo, Notice } from '@charmkit/ops/pebble';

/** A notice as a test gives it: only `key` is needed (a custom notice occurred once, now). */
export type NoticeInit = Partial<Notice> & { readonly key: string };

/** A check's state as a test gives it: only `name` is needed (an `up` check). */
export type CheckInfoInit = Partial<CheckInfo> & { readonly name: string };

let nextNoticeId = 1;

/** A full notice from `init`; a fresh id (unique in this process) when it has none. */
export function makeNotice(init: NoticeInit, now: Date = new Date()): Notice {
  const notice: Notice = {
    id: init.id ?? String(nextNoticeId++),
    type: init.type ?? 'custom',
    key: init.key,
    firstOccurred: init.firstOccurred ?? now,
    lastOccurred: init.lastOccurred ?? now,
    lastRepeated: init.lastRepeated ?? now,
    occurrences: init.occurrences ?? 1,
    lastData: { ...init.lastData },
  };
  if (init.userId !== undefined) notice.userId = init.userId;
  if (init.repeatAfter !== undefined) notice.repeatAfter = init.repeatAfter;
  if (init.expireAfter !== undefined) notice.expireAfter = init.expireAfter;
  return notice;
}

/** A full check info from `init` (Pebble's defaults: enabled, up, threshold 3). */
export function makeCheckInfo(init: CheckInfoInit): CheckInfo {
  const info: CheckInfo = {
    name: init.name,
    startup: init.startup ?? 'enabled',
    status: init.status ?? 'up',
    failures: init.failures ?? 0,
    threshold: init.threshold ?? 3,
  };
  if (init.level !== undefined) info.level = init.level;
  if (init.changeId !== undefined) info.changeId = init.changeId;
  return info;
}
