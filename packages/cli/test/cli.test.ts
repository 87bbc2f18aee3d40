import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CharmNameError, initCommand, isValidCharmName, PlatformError, runCli } from '../src/index.js';
import { charmcraftYaml } from '../src/pack/charmcraft-yaml.js';
import { jujuArchitecture } from '../src/pack/manifest.js';
import { choosePlatform, declaredPlatforms } from '../src/pack/platforms.js';
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

describe('the charmcraft.yaml pack writes', () => {
  it('keeps what the author wrote in a unified charmcraft.yaml and replaces only the build keys', () => {
    const dir = tempDir('charmkit-cc-');
    const path = join(dir, 'charmcraft.yaml');
    writeFileSync(
      path,
      '# my charm\nname: web\nsummary: Web.\nbases:\n  - name: ubuntu\n    channel: "22.04"\nconfig:\n  options: {}\n',
    );
    const text = charmcraftYaml(path, { name: 'ubuntu', channel: '24.04' }, ['arm64'], '20.19.0');
    expect(text).toContain('# my charm\nname: web\nsummary: Web.');
    expect(text).not.toContain('bases:');
    expect(text).toContain(
      'base: ubuntu@24.04\nplatforms:\n  arm64: null\nparts:\n  charm:\n    plugin: npm',
    );
    expect(text).toContain('npm-node-version: 20.19.0');
    expect(text).toContain('npx charmkit build . --out');
  });

  it('keeps declared platforms as written', () => {
    const dir = tempDir('charmkit-cc-');
    const path = join(dir, 'charmcraft.yaml');
    writeFileSync(path, 'name: web\nplatforms:\n  amd64:\n  arm64:\n');
    const text = charmcraftYaml(path, { name: 'ubuntu', channel: '24.04' }, ['amd64'], '20.19.0');
    expect(text).toContain('platforms:\n  amd64:\n  arm64:\n');
  });

  it('is written beside the charm by charmkit pack, which ships what build.include lists', async () => {
    const scratch = repoTempDir('pack-');
    initCommand(join(scratch, 'packed'), {}, captureIo(scratch));
    mkdirSync(join(scratch, 'packed', 'scripts'));
    writeFileSync(join(scratch, 'packed', 'scripts', 'backup.sh'), '#!/bin/sh\necho backup\n', {
      mode: 0o755,
    });
    writeFileSync(join(scratch, 'packed', 'NOTICE'), 'notice\n');
    writeFileSync(join(scratch, 'packed', 'charmkit.yaml'), 'build:\n  include: [scripts, NOTICE]\n');
    mkdirSync(join(scratch, 'out'));
    expect(
      await runCli(['pack', 'packed', '--out', 'out', '--base', 'ubuntu@22.04'], captureIo(scratch)),
    ).toBe(0);
    const zip = new Uint8Array(readFileSync(join(scratch, 'out', 'packed.charm')));
    expect(Object.keys(zipFiles(zip))).toEqual(
      expect.arrayContaining(['charmkit.yaml', 'scripts/backup.sh', 'NOTICE']),
    );
    expect(zipModes(zip).get('scripts/backup.sh')).toBe(0o755);
    expect(readFileSync(join(scratch, 'packed', 'charmcraft.yaml'), 'utf8')).toContain('base: ubuntu@22.04');
  }, 120_000);
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
    expect(existsSync(join(scratch, 'multi', 'multi.charm'))).toBe(false);

    const io2 = captureIo(scratch);
    expect(await runCli(['pack', 'multi', '--base', 'ubuntu@24.04', '--platform', host], io2)).toBe(0);
    expect(io2.out.join('')).toContain(`ubuntu@24.04 ${host}`);
    const written = readFileSync(recipe, 'utf8');
    expect(written).toContain(`platforms:\n  ${host}:\n  ${other}:\n`);
    const zip = new Uint8Array(readFileSync(join(scratch, 'multi', 'multi.charm')));
    expect(new TextDecoder().decode(zipFiles(zip)['manifest.yaml'])).toContain(
      `architectures:\n      - ${host}`,
    );
  }, 120_000);
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
