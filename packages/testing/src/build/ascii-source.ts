import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, tokTypes } from 'acorn';

const NON_ASCII = /[\u0080-\uffff]/;
// One UTF-16 code unit at a time (no `u` flag): a character outside the BMP becomes its two
// surrogate escapes, which a regular expression reads as that character with or without `u`.
const NON_ASCII_UNITS = /(\\*)([\u0080-\uffff])/g;

const escapeUnit = (unit: string): string => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Escapes a regular expression's non-ASCII characters (`/µs/` → `/\u00b5s/`). A backslash before
 * one (an identity escape, `/\µ/`) is dropped: `\µ` and `\u00b5` match the same character.
 */
function escapeRegExp(source: string): string {
  return source.replace(NON_ASCII_UNITS, (_all, slashes: string, unit: string) => {
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    return `${kept}${escapeUnit(unit)}`;
  });
}

/**
 * The module `code` with no non-ASCII character in its comments and regular expressions, where
 * esbuild leaves them (it escapes strings and identifiers itself). Node reads a module that is all
 * ASCII as one-byte text: a single em dash in a comment makes it decode the whole file as UTF-8 and
 * V8 keep it as two-byte text, about 4 ms of every hook for the framework's bundle
 * (docs/explanation/performance.md). What cannot be escaped without changing the program (the raw
 * text of a tagged template) is left; so is code that acorn cannot parse.
 */
export function asciiSource(code: string): string {
  if (!NON_ASCII.test(code)) return code;
  const ranges: [start: number, end: number, kind: 'comment' | 'regexp'][] = [];
  try {
    parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      onComment: (_block, text, start, end) => {
        if (NON_ASCII.test(text)) ranges.push([start, end, 'comment']);
      },
      onToken: (token) => {
        if (token.type === tokTypes.regexp && NON_ASCII.test(code.slice(token.start, token.end))) {
          ranges.push([token.start, token.end, 'regexp']);
        }
      },
    });
  } catch {
    return code; // a correct bundle that is two-byte text is only slower
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end, kind] of ranges) {
    const text = code.slice(start, end);
    out += code.slice(at, start);
    out += kind === 'regexp' ? escapeRegExp(text) : text.replace(/[\u0080-\uffff]/g, escapeUnit);
    at = end;
  }
  return out + code.slice(at);
}

/** Rewrites each `.mjs` file of a built charm's `dist/` (and its `chunks/`) with {@link asciiSource}. */
export function asciiBundle(distDir: string): void {
  const chunks = join(distDir, 'chunks');
  const files = [
    ...readdirSync(distDir).map((name) => join(distDir, name)),
    ...(existsSync(chunks) ? readdirSync(chunks).map((name) => join(chunks, name)) : []),
  ].filter((file) => file.endsWith('.mjs'));
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    const ascii = asciiSource(code);
    if (ascii !== code) writeFileSync(file, ascii);
  }
}
