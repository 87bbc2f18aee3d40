import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  LzmaContentError,
  lzmaBase64Compress,
  lzmaBase64Decompress,
} from '../../src/grafana-dashboard/index.js';
import { fixture } from '../prometheus-scrape/fixture.js';

const python = spawnSync('python3', ['-c', 'import lzma, base64'], { encoding: 'utf8' });
const hasPython = python.status === 0;

/** Runs `code` in python3 with `input` on stdin; returns stdout. */
function py(code: string, input: string): string {
  const run = spawnSync('python3', ['-c', code], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

const TEXT = JSON.stringify({
  title: 'Zinc — café',
  panels: Array.from({ length: 50 }, (_, i) => ({ id: i })),
});

describe('LZMABase64', () => {
  it('round-trips in JavaScript', async () => {
    expect(await lzmaBase64Decompress(lzmaBase64Compress(TEXT))).toBe(TEXT);
  });

  it('decodes what the Python grafana library sent (the xz fixture)', async () => {
    const bag = fixture<{ app: { dashboards: string }; dashboard: string }>(
      'grafana-dashboard',
      'provider.json',
    );
    const content = JSON.parse(bag.app.dashboards).templates['file:zinc'].content as string;
    expect(Buffer.from(content, 'base64').subarray(0, 6)).toEqual(
      Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
    );
    expect(await lzmaBase64Decompress(content)).toBe(bag.dashboard);
  });

  it.skipIf(!hasPython)(
    'Python lzma.decompress reads ours, and we read Python lzma.compress (python3 required)',
    { timeout: 60_000 },
    async () => {
      const decoded = py(
        'import base64, lzma, sys; sys.stdout.write(lzma.decompress(base64.b64decode(sys.stdin.read())).decode("utf-8"))',
        lzmaBase64Compress(TEXT),
      );
      expect(decoded).toBe(TEXT);
      const fromPython = py(
        'import base64, lzma, sys; sys.stdout.write(base64.b64encode(lzma.compress(sys.stdin.read().encode("utf-8"))).decode())',
        TEXT,
      );
      expect(await lzmaBase64Decompress(fromPython)).toBe(TEXT);
    },
  );

  it('refuses content that is not LZMA', async () => {
    await expect(
      lzmaBase64Decompress(Buffer.from('plain text, not lzma').toString('base64')),
    ).rejects.toBeInstanceOf(LzmaContentError);
    const xzHeaderOnly = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]).toString('base64');
    await expect(lzmaBase64Decompress(xzHeaderOnly)).rejects.toThrow(/cannot decompress \.xz content/);
    await expect(lzmaBase64Decompress('')).rejects.toBeInstanceOf(LzmaContentError);
  });
});
