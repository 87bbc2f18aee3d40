import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type PackResult, packCommand } from '../src/index.js';
import { BUNDLED_NODE_VERSION } from '../src/pack/node-runtime.js';
import { captureIo, cliDir, removeTempDirs, repoDir, repoTempDir, tempDir } from './helpers.js';
import { zipFiles, zipModes } from './zip-reader.js';

// One packed charm shared by every test: the first pack on a machine fetches Node through the
// npm registry and compiles the SQLite addon for it (minutes on a slow CI machine; cached after).
const fixture = join(cliDir, 'test', 'fixtures', 'packed-proof');
let packed: PackResult;
let charmDir: string;
let tools: string;
let toolLog: string;
let manifestArch: string;

// Fake hook tools: each appends its name and arguments to $TOOL_LOG; a few answer.
const TOOL_ANSWERS: Record<string, string> = {
  'config-get': `echo '{"greeting":"bonjour"}'`,
  'is-leader': 'echo true',
  'action-get': `echo '{}'`,
};
const TOOLS = [
  'juju-log',
  'status-set',
  'status-get',
  'action-set',
  'action-log',
  'action-fail',
  'application-version-set',
];

beforeAll(async () => {
  const out = tempDir('charmkit-packed-');
  // A copy inside the repository (the build writes build/ beside the sources; the copy still
  // resolves the workspace packages).
  const project = join(repoTempDir('packed-proof-'), 'packed-proof');
  cpSync(fixture, project, { recursive: true });
  // The snapshot is opt-in; this proof packs with it, so the path a charm author can choose is covered
  // (pack-examples.test.ts packs with the defaults).
  packed = await packCommand(
    project,
    { out, base: 'ubuntu@24.04', startupSnapshot: true },
    captureIo(repoDir),
  );
  const zip = new Uint8Array(readFileSync(packed.charmFile));
  const modes = zipModes(zip);
  // Unpacked as Juju does: every entry with the mode the archive records.
  charmDir = tempDir('charmkit-unit-');
  for (const [path, data] of Object.entries(zipFiles(zip))) {
    const full = join(charmDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
    chmodSync(full, modes.get(path) ?? 0o644);
  }
  const manifest = parseYaml(readFileSync(join(charmDir, 'manifest.yaml'), 'utf8')) as {
    bases: { architectures: string[] }[];
  };
  manifestArch = manifest.bases[0]?.architectures[0] as string;

  const scratch = tempDir('charmkit-agent-');
  tools = join(scratch, 'tools');
  const fakeNode = join(scratch, 'fake-node');
  toolLog = join(scratch, 'tools.log');
  mkdirSync(tools);
  mkdirSync(fakeNode);
  for (const tool of [...TOOLS, ...Object.keys(TOOL_ANSWERS)]) {
    writeFileSync(
      join(tools, tool),
      `#!/bin/sh\necho "${tool} $*" >> "$TOOL_LOG"\n${TOOL_ANSWERS[tool] ?? ''}\n`,
    );
    chmodSync(join(tools, tool), 0o755);
  }
  // First on PATH: a dispatch that looked Node up would fail loudly.
  writeFileSync(join(fakeNode, 'node'), '#!/bin/sh\necho "node from PATH was run" >&2\nexit 1\n');
  chmodSync(join(fakeNode, 'node'), 0o755);
  tools = `${fakeNode}:${tools}`;
}, 600_000);
afterAll(removeTempDirs);

let contextId = 0;
/** Runs dispatch as the Juju agent does: only JUJU_* variables and PATH (hook tools first). */
function dispatch(path: string, extra: Record<string, string> = {}) {
  contextId += 1;
  const result = spawnSync(join(charmDir, 'dispatch'), [], {
    cwd: charmDir,
    env: {
      PATH: `${tools}:/usr/local/bin:/usr/bin:/bin`,
      CHARM_DIR: charmDir,
      JUJU_CHARM_DIR: charmDir,
      JUJU_CONTEXT_ID: `packed-proof/0-${contextId}`,
      JUJU_UNIT_NAME: 'packed-proof/0',
      JUJU_MODEL_NAME: 'proof',
      JUJU_MODEL_UUID: '6f1c5d3e-0000-4000-8000-000000000001',
      JUJU_VERSION: '3.6.4',
      JUJU_DISPATCH_PATH: path,
      TOOL_LOG: toolLog,
      ...extra,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** e_machine of an ELF file, read here rather than with pack's own ELF reader. */
function elfMachine(path: string): string {
  const buf = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  readSync(fd, buf, 0, 20, 0);
  closeSync(fd);
  expect(buf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  return ({ 62: 'amd64', 183: 'arm64' } as Record<number, string>)[buf.readUInt16LE(18)] ?? 'other';
}

describe('a packed charm', { timeout: 120_000 }, () => {
  it('is named like charmcraft names it and carries its own Node, addon and dispatch for its platform', () => {
    expect(packed.charmFile.endsWith(`/packed-proof_ubuntu@24.04-${packed.architecture}.charm`)).toBe(true);
    expect(manifestArch).toBe(packed.architecture);
    expect(elfMachine(join(charmDir, 'bin', 'node'))).toBe(manifestArch);
    expect(elfMachine(join(charmDir, 'dist', 'better_sqlite3.node'))).toBe(manifestArch);
    const script = readFileSync(join(charmDir, 'dispatch'), 'utf8');
    expect(script).toContain('exec "$JUJU_CHARM_DIR/bin/node" "$JUJU_CHARM_DIR/dist/charm.cjs"');
    expect(script).not.toMatch(/^\s*(exec )?node /m);
    expect(packed.nodeVersion).toBe(BUNDLED_NODE_VERSION);
    expect(packed.files).toContain('bin/node');
    expect(packed.files).not.toContain('charmcraft.yaml');
    // Started from a snapshot its own Node built, falling back to the bundle if Node refuses it.
    expect(packed.snapshot).toBe(true);
    expect(packed.files).toContain('dist/charm.blob');
    expect(script).toContain('"$JUJU_CHARM_DIR/bin/node" --snapshot-blob dist/charm.blob');
    expect(script).toContain('NODE_COMPILE_CACHE="$JUJU_CHARM_DIR/.charmkit-compile-cache"');
    // With the compile cache one CommonJS file starts fastest: nothing split off, no ES module.
    expect(packed.files.filter((f) => f.startsWith('dist/') && /\.[cm]?js$/.test(f))).toEqual([
      'dist/charm.cjs',
    ]);
  });

  it('runs install, config-changed, leader-elected and an action with no node on PATH', () => {
    for (const hook of ['install', 'config-changed', 'leader-elected']) {
      const run = dispatch(`hooks/${hook}`);
      expect(run.code, `${hook}: ${run.stderr}`).toBe(0);
      expect(run.stderr).not.toContain('node from PATH');
    }
    const action = dispatch('actions/greet', {
      JUJU_ACTION_NAME: 'greet',
      JUJU_ACTION_UUID: '4',
      JUJU_ACTION_TAG: 'action-4',
    });
    expect(action.code, action.stderr).toBe(0);
    const log = readFileSync(toolLog, 'utf8');
    expect(log).toMatch(/^status-set .*maintenance.*installed/m);
    expect(log).toMatch(/^status-set .*active.*greeting bonjour/m);
    // Results from stored state that three earlier processes wrote: the unit's SQLite database works.
    const results = log.split('\n').find((line) => line.startsWith('action-set ')) ?? '';
    expect(results).toContain('greeting=bonjour');
    expect(results).toContain('installs=1');
    expect(results).toContain('leader=true');
    expect(results).toContain(`node=v${BUNDLED_NODE_VERSION}`);
    // The snapshot was accepted (the dispatch drops a blob Node refuses), the compile cache was
    // written, and the charm's children do not inherit the cache variable.
    expect(existsSync(join(charmDir, 'dist', 'charm.blob'))).toBe(true);
    expect(readdirSync(join(charmDir, '.charmkit-compile-cache')).length).toBeGreaterThan(0);
    expect(results).toContain('compile-cache-env=unset');
    const db = readFileSync(join(charmDir, '.unit-state.db'));
    expect(db.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  });
});
