import { describe, expect, it } from 'vitest';
import { asciiSource } from '../../src/build/ascii-source.js';

const NON_ASCII = /[\u0080-\uffff]/;

/** Runs a function body and returns what it returns. */
function run(code: string): unknown {
  return new Function(code)();
}

describe('asciiSource', () => {
  it('escapes comments, which esbuild keeps in class bodies, and leaves the code as it was', () => {
    const code = [
      'class A {',
      '  /** The limit — in µs. */',
      '  get x() { return "\\xB5"; }',
      '  // a line — comment',
      '}',
      'return new A().x;',
    ].join('\n');
    const ascii = asciiSource(code);
    expect(ascii).not.toMatch(NON_ASCII);
    expect(ascii).toContain('/** The limit \\u2014 in \\u00b5s. */');
    expect(ascii).toContain('// a line \\u2014 comment');
    expect(run(ascii)).toBe('µ');
  });

  it('escapes regular expressions so that they match what they matched', () => {
    const code = 'const re = /(\\d+)(µs|ns)/y; const m = re.exec("12\\xB5s"); return m && m[2];';
    const ascii = asciiSource(code);
    expect(ascii).toContain('/(\\d+)(\\u00b5s|ns)/y');
    expect(run(ascii)).toBe('µs');
  });

  it('keeps a character outside the BMP one character under the u flag', () => {
    const smile = '\\ud83d\\ude00'; // what esbuild writes in a string
    const code = `return [/^😀+$/u.test("${smile}${smile}"), /^[😀]$/u.test("${smile}"), /^😀$/.test("${smile}")];`;
    const ascii = asciiSource(code);
    expect(ascii).not.toMatch(NON_ASCII);
    expect(ascii).toContain('\\ud83d\\ude00');
    expect(run(ascii)).toEqual([true, true, true]);
  });

  it('turns an identity escape into the character escape it stands for', () => {
    const code = 'return [/\\µ/.test("\\xB5"), /\\\\µ/.test("\\\\\\xB5")];';
    const ascii = asciiSource(code);
    expect(ascii).toContain('/\\u00b5/');
    expect(ascii).toContain('/\\\\\\u00b5/'); // an escaped backslash, then the character
    expect(run(ascii)).toEqual([true, true]);
  });

  it("leaves a tagged template's raw text, which an escape would change", () => {
    const code = 'return String.raw`µ—`; // done — yes';
    const ascii = asciiSource(code);
    expect(ascii).toContain('String.raw`µ—`');
    expect(ascii).toContain('// done \\u2014 yes');
    expect(run(ascii)).toBe('µ—');
  });

  it('returns ASCII code and code it cannot parse unchanged', () => {
    const plain = 'return 1 + 1;';
    expect(asciiSource(plain)).toBe(plain);
    const broken = 'return ( // — unclosed';
    expect(asciiSource(broken)).toBe(broken);
  });
});
