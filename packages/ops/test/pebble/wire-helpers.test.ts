import { describe, expect, it } from 'vitest';
import { PebbleProtocolError } from '../../src/pebble/errors.js';
import { formatGoDuration, parseGoDuration } from '../../src/pebble/go-duration.js';
import { layerToWire } from '../../src/pebble/layer-to-yaml.js';
import { encodeMultipart, multipartBoundary, parseMultipart } from '../../src/pebble/multipart.js';
import { goDurationString } from './fake-pebble-server.js';

describe('multipart', () => {
  it('round-trips awkward parts and filenames', () => {
    const data = Buffer.from('\r\n--\r\n\r\n\x00\xff--', 'latin1');
    const encoded = encodeMultipart([
      { name: 'request', contentType: 'application/json', data: Buffer.from('{}') },
      { name: 'files', filename: '/a "b"\\c;d=e', contentType: 'application/octet-stream', data },
      { name: 'empty', data: new Uint8Array() },
    ]);
    const boundary = multipartBoundary(encoded.contentType);
    expect(boundary).toMatch(/^[0-9a-f]{48}$/);
    const parts = parseMultipart(encoded.body, boundary ?? '');
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['request', undefined, 'application/json'],
      ['files', '/a "b"\\c;d=e', 'application/octet-stream'],
      ['empty', undefined, undefined],
    ]);
    expect(Buffer.from(parts[1]?.data ?? []).equals(data)).toBe(true);
    expect(parts[2]?.data.length).toBe(0);
  });

  it('writes the quoted filename the way Go reads it', () => {
    const { body } = encodeMultipart([{ name: 'files', filename: 'x"y\\z', data: Buffer.from('1') }]);
    expect(body.toString('latin1')).toContain(
      'Content-Disposition: form-data; name="files"; filename="x\\"y\\\\z"',
    );
  });

  it('never uses a boundary that occurs in the data', () => {
    for (let i = 0; i < 20; i++) {
      const { contentType, body } = encodeMultipart([{ name: 'f', data: Buffer.from('x'.repeat(100)) }]);
      const boundary = multipartBoundary(contentType) ?? '';
      expect(body.toString('latin1').split(`--${boundary}`).length).toBe(3);
    }
  });

  it('rejects line breaks in names', () => {
    expect(() => encodeMultipart([{ name: 'f', filename: 'a\nb', data: Buffer.from('') }])).toThrow(
      /line break/,
    );
  });

  it('skips a preamble and reads a quoted boundary parameter', () => {
    const body = Buffer.from(
      'preamble\r\n--XYZ\r\nContent-Disposition: form-data; name=a\r\n\r\nhello\r\n--XYZ--\r\n',
    );
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="XYZ"')).toBe('XYZ');
    expect(multipartBoundary('application/json')).toBeUndefined();
    const [part] = parseMultipart(body, 'XYZ');
    expect(part?.name).toBe('a');
    expect(Buffer.from(part?.data ?? []).toString()).toBe('hello');
  });

  it('reports truncated bodies as PebbleProtocolError', () => {
    expect(() => parseMultipart(Buffer.from('no boundary here'), 'XYZ')).toThrow(PebbleProtocolError);
    expect(() =>
      parseMultipart(Buffer.from('--XYZ\r\nContent-Disposition: form-data; name=a\r\n\r\nhel'), 'XYZ'),
    ).toThrow(/closing boundary/);
  });
});

describe('Go durations', () => {
  it('parses what Pebble prints', () => {
    expect(parseGoDuration('168h0m0s')).toBe(168 * 3_600_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('2µs')).toBeCloseTo(0.002);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('-2s')).toBe(-2000);
    expect(parseGoDuration('')).toBeUndefined();
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('5 minutes')).toBeUndefined();
  });

  it('formats milliseconds for Pebble and agrees with the fake', () => {
    expect(formatGoDuration(1500)).toBe('1500ms');
    expect(() => formatGoDuration(-1)).toThrow(RangeError);
    for (const ms of [0, 5, 1000, 61_500, 3_600_000, 90_061_000]) {
      expect(parseGoDuration(goDurationString(ms))).toBe(ms);
    }
  });
});

describe('layerToWire', () => {
  it('renames only known fields and drops undefined', () => {
    const wire = layerToWire({
      logTargets: { t: { override: 'merge', labels: { logTargets: 'x' } } },
      services: { s: { override: 'merge', killDelay: '1s', onCheckFailure: { workingDir: 'ignore' } } },
      checks: { c: { override: 'merge', exec: { command: 'x', userId: 1, groupId: 2 } } },
    });
    expect(wire).toEqual({
      'log-targets': { t: { override: 'merge', labels: { logTargets: 'x' } } },
      services: {
        s: { override: 'merge', 'kill-delay': '1s', 'on-check-failure': { workingDir: 'ignore' } },
      },
      checks: { c: { override: 'merge', exec: { command: 'x', 'user-id': 1, 'group-id': 2 } } },
    });
  });
});
