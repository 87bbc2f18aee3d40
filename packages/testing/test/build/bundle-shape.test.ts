import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '../../src/build/index.js';
import { builtinStub, requireBuiltins } from '../../src/build/require-builtins.js';

// What a hook loads is what the bundle holds: these checks keep two start-up savings (no
// `__name()` per function, no getter per built-in export) from costing correctness.
const charmDir = join(import.meta.dirname, '../fixtures/skip-charm');
const work = mkdtempSync(join(tmpdir(), 'charmkit-bundle-shape-'));
let code = '';

beforeAll(async () => {
  const built = await buildCharm({ charmDir, outDir: join(work, 'charm') });
  const dist = join(built.outDir, 'dist');
  const files = [
    join(dist, 'charm.mjs'),
    ...readdirSync(join(dist, 'chunks')).map((name) => join(dist, 'chunks', name)),
  ];
  code = files.map((file) => readFileSync(file, 'utf8')).join('\n');
}, 180_000); // esbuild and the build-time probe on a loaded CI machine
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the bundle a hook loads', () => {
  it('has no error class esbuild renamed (built without keepNames, so a rename would show in error.name)', () => {
    // esbuild renames a class that clashes with another (`FooError2`) or refers to itself
    // (`var FooError = class _FooError`): either would change what logs and `error.name` say.
    // Split chunks declare classes as `var FooError = class extends …`: the name comes from the var.
    expect(code).toMatch(/\bHookToolError = class extends/);
    expect(code).not.toMatch(/\w+Error\d+ = class\b/);
    expect(code).not.toMatch(/class \w+Error\d+\b/);
    expect(code).not.toMatch(/class _\w+Error\b/);
    expect(code).not.toContain('__name(');
  });

  it("bundles a built-in whose exports share a name with the stub's own helpers (http.get)", async () => {
    const out = await build({
      stdin: { contents: "import { get } from 'node:http'; console.log(typeof get);", resolveDir: work },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      plugins: [requireBuiltins],
      logLevel: 'silent',
    });
    expect(out.outputFiles[0]?.text).toContain('__charmkitRead("get")');
  });

  it('is all ASCII, so Node reads it as one-byte text (the framework has em dashes in kept comments)', () => {
    expect(code.match(/[\u0080-\uffff].{0,40}/)?.[0]).toBeUndefined();
  });

  it('reads the built-ins through require, without copying their exports', () => {
    expect(code).not.toMatch(/__toESM\(require_node_/);
    expect(code).toMatch(/__require\("node:fs"\)/);
    // Only what the framework uses is read from `fs`: never its lazily loaded streams.
    expect(code).toMatch(/__charmkitRead\("readFileSync"\)/);
    expect(code).not.toMatch(/__charmkitRead\("createReadStream"\)/);
    expect(code).not.toMatch(/__charmkitRead\("promises"\)/);
  });
});

describe('builtinStub', () => {
  it('exports each property of the built-in through a pure call, and the module as default', () => {
    const stub = builtinStub('node:path');
    expect(stub).toContain('const __charmkitBuiltin = require("node:path");');
    expect(stub).toContain('export default __charmkitBuiltin;');
    expect(stub).toContain('export const join = /* @__PURE__ */ __charmkitRead("join");');
  });

  it('leaves out names that cannot be variables', () => {
    // No built-in has such names today; a made-up module stands for a future one.
    const stub = builtinStub('node:future', {
      default: 1,
      delete: 2,
      'not-a-name': 3,
      ok: 4,
      __charmkitRead: 5,
    });
    expect(stub.match(/^export const \w+/gm)).toEqual(['export const ok']);
  });
});
