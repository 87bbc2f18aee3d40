import worker from 'lzma/src/lzma_worker.js';
import { LzmaContentError } from './errors.js';

const lzma = worker.LZMA;

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

/**
 * `cosl.LZMABase64.compress` for JavaScript: the text's UTF-8 bytes LZMA-compressed, then
 * base64. Written in the `.lzma` ("alone") container, which Python's `lzma.decompress()` (format
 * auto-detection, what every Python consumer calls) reads as well as the `.xz` Python writes;
 * no maintained pure-JavaScript library writes `.xz`, and a native addon would not fit the
 * single-bundle charm.
 */
export function lzmaBase64Compress(text: string): string {
  // Preset 3: what cosl uses; decompression does not depend on it.
  return Buffer.from(lzma.compress(text, 3)).toString('base64');
}

/**
 * `cosl.LZMABase64.decompress`: base64, then `.xz` (what Python charms send) or `.lzma` (what
 * this package sends), to the UTF-8 text.
 *
 * @throws {LzmaContentError} not base64 of either container, or not UTF-8 inside.
 */
export async function lzmaBase64Decompress(encoded: string): Promise<string> {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) throw new LzmaContentError('empty LZMA content');
  const isXz = XZ_MAGIC.every((b, i) => bytes[i] === b);
  try {
    if (isXz) {
      // Loaded on first use: a WASM decoder that charms sending dashboards never need.
      const { default: xz } = await import('xz-decompress');
      const stream = new xz.XzReadableStream(new Blob([bytes]).stream());
      const out = new Uint8Array(await new Response(stream).arrayBuffer());
      return new TextDecoder('utf-8', { fatal: true }).decode(out);
    }
    const out = lzma.decompress(bytes);
    if (typeof out !== 'string') throw new Error('the content is not UTF-8 text');
    return out;
  } catch (error) {
    if (error instanceof LzmaContentError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new LzmaContentError(`cannot decompress ${isXz ? '.xz' : '.lzma'} content: ${why}`);
  }
}
