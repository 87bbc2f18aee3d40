import { unzipSync } from 'fflate';

/** Unix modes of a zip's entries, from its central directory (fflate does not return them). */
export function zipModes(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const modes = new Map<string, number>();
  for (let i = 0; i + 46 <= zip.length; ) {
    if (view.getUint32(i, true) !== 0x02014b50) {
      i++;
      continue;
    }
    const nameLength = view.getUint16(i + 28, true);
    const extraLength = view.getUint16(i + 30, true);
    const commentLength = view.getUint16(i + 32, true);
    const external = view.getUint32(i + 38, true);
    const name = new TextDecoder().decode(zip.subarray(i + 46, i + 46 + nameLength));
    modes.set(name, (external >>> 16) & 0o7777);
    i += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

/** Every entry's content. */
export function zipFiles(zip: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(zip);
}
