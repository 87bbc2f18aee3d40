// The handle paths that snapshots are stored under. The framework, stored state, the inspector
// and the testing package's Context all use these, so the layout is written once.

/**
 * Handle path of the framework's own snapshot: the counter that numbers events
 * (`{"event_count":7}`), so that a deferred event's path is never reused.
 */
export const FRAMEWORK_STATE_PATH = 'StoredStateData[_stored]';

/** The framework's own snapshot holding `eventCount`, as JSON text. */
export function encodeFrameworkState(eventCount: number): string {
  return JSON.stringify({ event_count: eventCount });
}

/** The event counter in the framework's own snapshot; 0 when there is none yet. */
export function decodeFrameworkState(json: string | null): number {
  const parsed = json === null ? {} : (JSON.parse(json) as { event_count?: unknown });
  return typeof parsed.event_count === 'number' ? parsed.event_count : 0;
}

/** Handle path of the stored state `name` of the object at `ownerPath`: `MyCharm/StoredStateData[stored]`. */
export function storedStatePath(ownerPath: string, name: string): string {
  return `${ownerPath}/StoredStateData[${name}]`;
}

/** What a stored-state handle path names. */
export interface StoredStatePathParts {
  /** The owning object's path (`MyCharm`), or null for the framework's own state ({@link FRAMEWORK_STATE_PATH}). */
  readonly ownerPath: string | null;
  /** The name given to `storedState()` (`_stored` for the framework's own). */
  readonly name: string;
}

const STORED_STATE_PATH = /^(?:(.+)\/)?StoredStateData\[([^[\]/]+)\]$/;

/** Splits a stored-state handle path; null when `handlePath` is not one (an event's, say). */
export function parseStoredStatePath(handlePath: string): StoredStatePathParts | null {
  const match = STORED_STATE_PATH.exec(handlePath);
  if (!match) return null;
  return { ownerPath: match[1] ?? null, name: match[2] as string };
}

/** The event kind in an event's handle path: `MyCharm/on/config_changed[7]` → `config_changed`. */
export function eventKindOf(eventPath: string): string {
  const last = eventPath.slice(eventPath.lastIndexOf('/') + 1);
  const bracket = last.indexOf('[');
  return bracket === -1 ? last : last.slice(0, bracket);
}

/** The number the framework gave an event: `MyCharm/on/config_changed[7]` → 7; null if none. */
export function eventNumberOf(eventPath: string): number | null {
  const match = /\[(\d+)\]$/.exec(eventPath);
  return match ? Number(match[1]) : null;
}
