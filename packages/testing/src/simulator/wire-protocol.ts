// The simulator's hook-tool wire format: netstrings (`<byte length>:<bytes>,`), chosen because a
// client written in a few lines of Perl or Node can produce and parse it without any library.
//
// Request fields:  "ck1", JUJU_CONTEXT_ID, tool name, cwd, stdin, arg1, arg2, …
// Response fields: exit code, stdout, stderr

/** Encodes fields as netstrings. */
export function encodeNetstrings(fields: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
    parts.push(Buffer.from(`${bytes.length}:`, 'ascii'), bytes, Buffer.from(',', 'ascii'));
  }
  return Buffer.concat(parts);
}

/** Decodes netstrings; returns null when the data is truncated or malformed. */
export function decodeNetstrings(data: Buffer): string[] | null {
  const fields: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    const colon = data.indexOf(0x3a, pos);
    if (colon < 0) return null;
    const lengthText = data.toString('ascii', pos, colon);
    if (!/^\d+$/.test(lengthText)) return null;
    const end = colon + 1 + Number(lengthText);
    if (end >= data.length || data[end] !== 0x2c) return null;
    fields.push(data.toString('utf8', colon + 1, end));
    pos = end + 1;
  }
  return fields;
}

/** The first request field: the protocol version. */
export const WIRE_VERSION = 'ck1';
