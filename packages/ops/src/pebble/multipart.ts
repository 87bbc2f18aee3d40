/**
 * The small part of multipart/form-data (RFC 7578) that Pebble's file API uses: writing a
 * request of named parts, and reading the response of `GET /v1/files?action=read`.
 * Bodies are handled as whole buffers; charm files are configuration-sized.
 */
import { PebbleProtocolError } from './errors.js';

/** One part of a multipart body. */
export interface MultipartPart {
  /** The form field name (`name=` of Content-Disposition). */
  name: string;
  /** The `filename=` of Content-Disposition; Pebble puts the container path here. */
  filename?: string;
  contentType?: string;
  data: Uint8Array;
}

/** An encoded multipart body and the Content-Type header that goes with it. */
export interface EncodedMultipart {
  contentType: string;
  body: Buffer;
}

const CRLF = '\r\n';

/**
 * Quotes a Content-Disposition parameter the way Go's `mime/multipart` writes and reads it:
 * backslash and double quote are backslash-escaped. Line breaks cannot be expressed at all.
 */
function quote(value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new RangeError(
      `a multipart name or filename cannot contain a line break: ${JSON.stringify(value)}`,
    );
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Encodes `parts` with a fresh random boundary that occurs in none of them. */
export function encodeMultipart(parts: readonly MultipartPart[]): EncodedMultipart {
  let boundary: string;
  // Pebble rejects boundaries under 32 characters; 48 hex digits also make a clash with the
  // data astronomically unlikely, and the loop makes it impossible.
  do {
    // node:crypto is loaded on first use, not at start-up (docs/explanation/performance.md).
    boundary = process.getBuiltinModule('node:crypto').randomBytes(24).toString('hex');
  } while (parts.some((part) => Buffer.from(part.data).includes(boundary)));

  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}${CRLF}Content-Disposition: form-data; name=${quote(part.name)}`;
    if (part.filename !== undefined) head += `; filename=${quote(part.filename)}`;
    head += CRLF;
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}${CRLF}`;
    chunks.push(Buffer.from(`${head}${CRLF}`, 'utf8'), Buffer.from(part.data), Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** Reads `boundary=` from a multipart Content-Type header, or returns undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [mediaType, ...params] = contentType.split(';');
  if (mediaType?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = param.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

/** Parses `name="x"; filename="y"` parameters, undoing Go's backslash escapes. */
function dispositionParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /;\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/gy;
  const start = header.indexOf(';');
  if (start < 0) return params;
  re.lastIndex = start;
  for (let match = re.exec(header); match !== null; match = re.exec(header)) {
    const [, key, quoted, bare] = match;
    if (key === undefined) continue;
    params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return params;
}

function protocolError(problem: string): PebbleProtocolError {
  return new PebbleProtocolError(`Pebble sent a malformed multipart body: ${problem}`);
}

/** Splits a multipart body into its parts. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`${CRLF}--${boundary}`);
  const parts: MultipartPart[] = [];

  // The first delimiter may follow a preamble; later ones always follow a CRLF.
  let pos = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(nextDelimiter);
  if (pos < 0) throw protocolError(`no boundary ${JSON.stringify(boundary)} found`);
  if (pos > 0) pos += 2;

  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    if (body.subarray(pos, pos + 2).toString('latin1') !== CRLF) {
      throw protocolError('boundary not followed by CRLF');
    }
    pos += 2;
    const headerEnd = body.indexOf(`${CRLF}${CRLF}`, pos);
    if (headerEnd < 0) throw protocolError('part headers never end');
    const headers = new Map<string, string>();
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split(CRLF)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(nextDelimiter, dataStart);
    if (dataEnd < 0) throw protocolError('body ends inside a part (no closing boundary)');

    const params = dispositionParams(headers.get('content-disposition') ?? '');
    const part: MultipartPart = { name: params.name ?? '', data: body.subarray(dataStart, dataEnd) };
    if (params.filename !== undefined) part.filename = params.filename;
    const contentType = headers.get('content-type');
    if (contentType !== undefined) part.contentType = contentType;
    parts.push(part);
    pos = dataEnd + 2;
  }
}
