import { CoordinatorDataError } from './errors.js';

/** Unit databag key: this unit's current requests, `{ "<lock>": <request id> }`. */
export const REQUESTS_KEY = 'coordinator.requests';
/** Unit databag key: the last request id this unit handed out (ids only grow). */
export const LAST_ID_KEY = 'coordinator.last-id';
/** App databag key (leader only): `{ "<unit>": { "<lock>": <request id> } }`. */
export const GRANTS_KEY = 'coordinator.grants';
/** App databag key (leader only): `{ "<lock>": [["<unit>", <request id>], …] }` in FIFO order. */
export const QUEUE_KEY = 'coordinator.queue';

/** A unit's requests: lock → request id. */
export type Requests = Record<string, number>;
/** Grants: unit → lock → request id. */
export type Grants = Record<string, Record<string, number>>;
/** Waiting requests per lock, first come first. */
export type Queue = Record<string, [string, number][]>;

function parse(text: string | undefined, what: string): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    // The value itself stays out of the message: relation data never goes into logs.
    throw new CoordinatorDataError(`${what} is not JSON (${text.length} characters)`, { cause });
  }
}

/** The kind of a malformed value, never the value. */
function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object with other values';
  return `a ${typeof value}`;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a unit's `coordinator.requests`; a malformed value is an error naming the unit. */
export function parseRequests(text: string | undefined, unit: string): Requests {
  const value = parse(text, `${unit}'s ${REQUESTS_KEY}`);
  if (value === undefined) return {};
  if (!isObject(value) || !Object.values(value).every(isId)) {
    throw new CoordinatorDataError(
      `${unit}'s ${REQUESTS_KEY} must map lock names to request ids, got ${describeShape(value)}`,
    );
  }
  return value as Requests;
}

/** Parses the leader's `coordinator.grants`. */
export function parseGrants(text: string | undefined): Grants {
  const value = parse(text, GRANTS_KEY);
  if (value === undefined) return {};
  if (!isObject(value) || !Object.values(value).every((g) => isObject(g) && Object.values(g).every(isId))) {
    throw new CoordinatorDataError(
      `${GRANTS_KEY} must map units to { lock: request id }, got ${describeShape(value)}`,
    );
  }
  return value as Grants;
}

/** Parses the leader's `coordinator.queue`. */
export function parseQueue(text: string | undefined): Queue {
  const value = parse(text, QUEUE_KEY);
  if (value === undefined) return {};
  const ok =
    isObject(value) &&
    Object.values(value).every(
      (entries) =>
        Array.isArray(entries) &&
        entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isId(e[1])),
    );
  if (!ok)
    throw new CoordinatorDataError(
      `${QUEUE_KEY} must map locks to [[unit, request id], …], got ${describeShape(value)}`,
    );
  return value as Queue;
}

/** JSON with sorted keys (so an unchanged value is byte-identical and writes nothing). */
export function encode(value: Record<string, unknown>): string {
  const sort = (v: unknown): unknown =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sort(v[k])]),
        )
      : Array.isArray(v)
        ? v.map(sort)
        : v;
  return JSON.stringify(sort(value));
}
