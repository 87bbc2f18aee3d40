import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { InitError, initCommand, runCli } from '../src/index.js';
import { charmcraftYaml } from '../src/pack/charmcraft-yaml.js';
import { captureIo, cliDir, removeRepoTempDirs, repoDir, repoTempDir, tempDir } from './helpers.js';

afterAll(removeRepoTempDirs);

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
    expect(() => initCommand(join(scratch, 'My_App'), {}, captureIo(scratch))).toThrow(InitError);
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
    const text = charmcraftYaml(path, { name: 'ubuntu', channel: '24.04' }, 'arm64', '20.19.0');
    expect(text).toContain('# my charm\nname: web\nsummary: Web.');
    expect(text).not.toContain('bases:');
    expect(text).toContain(
      'base: ubuntu@24.04\nplatforms:\n  arm64: null\nparts:\n  charm:\n    plugin: npm',
    );
    expect(text).toContain('npm-node-version: 20.19.0');
    expect(text).toContain('npx charmkit build . --out');
  });

  it('is written beside the charm by charmkit pack', async () => {
    const scratch = repoTempDir('pack-');
    initCommand(join(scratch, 'packed'), {}, captureIo(scratch));
    mkdirSync(join(scratch, 'out'));
    expect(
      await runCli(['pack', 'packed', '--out', 'out', '--base', 'ubuntu@22.04'], captureIo(scratch)),
    ).toBe(0);
    expect(existsSync(join(scratch, 'out', 'packed.charm'))).toBe(true);
    expect(readFileSync(join(scratch, 'packed', 'charmcraft.yaml'), 'utf8')).toContain('base: ubuntu@22.04');
  }, 30_000);
});
