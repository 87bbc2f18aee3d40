import { describe, expect, it } from 'vitest';
import { CoordinatorDataError } from '../src/errors.js';
import { parseGrants, parseQueue, parseRequests } from '../src/protocol.js';

// Relation data never goes into an error message (it ends up in juju-log and on stderr).
const SECRET = 's3cr3t-value-from-the-bag';

describe('malformed coordinator data', () => {
  it.each([
    ['requests, not JSON', () => parseRequests(`{${SECRET}`, 'web/1')],
    ['requests, wrong shape', () => parseRequests(JSON.stringify({ restart: SECRET }), 'web/1')],
    ['grants, wrong shape', () => parseGrants(JSON.stringify({ 'web/1': SECRET }))],
    ['queue, wrong shape', () => parseQueue(JSON.stringify({ restart: [[SECRET]] }))],
  ])('%s: a typed error naming the key, never the value', (_what, parse) => {
    let error: unknown;
    try {
      parse();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CoordinatorDataError);
    const text = `${(error as Error).message}\n${(error as Error).stack}`;
    expect(text).toMatch(/coordinator\.(requests|grants|queue)/);
    expect(text).not.toContain(SECRET);
  });
});
