import { describe, expect, it } from 'vitest';
import { parseJujuVersion } from '../src/index.js';
import { parseJujuContext } from '../src/internal/index.js';

describe('JUJU_VERSION and JUJU_TARGET_BASE', () => {
  it.each([
    ['3.6.8', 3, 6, 8],
    ['4.0.1', 4, 0, 1],
    ['4.0-beta1', 4, 0, 0],
    ['3.6.8.1', 3, 6, 8],
    ['', 0, 0, 0],
    ['nonsense', 0, 0, 0],
  ])('parses %j', (text, major, minor, patch) => {
    expect(parseJujuVersion(text)).toMatchObject({ major, minor, patch });
  });

  it('JujuContext carries the parsed version and the target base (no series)', () => {
    const on4 = parseJujuContext({
      JUJU_UNIT_NAME: 'a/0',
      JUJU_VERSION: '4.0.1',
      JUJU_TARGET_BASE: 'ubuntu@24.04',
      JUJU_TARGET_SERIES: 'noble',
    });
    expect(on4.jujuVersion).toEqual({ major: 4, minor: 0, patch: 1, text: '4.0.1' });
    expect(on4.targetBase).toBe('ubuntu@24.04');
    expect(Object.values(on4)).not.toContain('noble');
    const bare = parseJujuContext({ JUJU_UNIT_NAME: 'a/0' });
    expect(bare.jujuVersion.major).toBe(0);
    expect(bare.targetBase).toBeNull();
  });
});
