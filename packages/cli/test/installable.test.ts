import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InitError, initCommand } from '../src/index.js';
import { CLI_VERSION } from '../src/version.js';
import { captureIo, cliDir, removeTempDirs, repoDir, repoTempDir, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const run = promisify(execFile);

/** A gzipped tar holding just `package/package.json`, as `npm pack` lays it out. */
function fakeTarball(path: string, manifest: Record<string, unknown>): void {
  const body = Buffer.from(JSON.stringify(manifest));
  const header = Buffer.alloc(512);
  header.write('package/package.json', 0);
  header.write('0000644\0', 100);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  writeFileSync(path, gzipSync(Buffer.concat([header, body, padding, Buffer.alloc(1024)])));
}

function manifestOf(dir: string): {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
} {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

describe('charmkit init --packages', () => {
  it('points every @charmkit/* package the charm needs at npm pack tarballs', () => {
    const tarballs = tempDir('charmkit-tgz-');
    const at = (name: string) => join(tarballs, name);
    fakeTarball(at('charmkit-ops-0.0.1.tgz'), { name: '@charmkit/ops', version: '0.0.1' });
    fakeTarball(at('charmkit-ops-x.tgz'), { name: '@charmkit/ops', version: CLI_VERSION });
    fakeTarball(at('charmkit-testing.tgz'), {
      name: '@charmkit/testing',
      version: CLI_VERSION,
      dependencies: { '@charmkit/ops': CLI_VERSION },
    });
    fakeTarball(at('charmkit-cli.tgz'), {
      name: '@charmkit/cli',
      version: CLI_VERSION,
      dependencies: { '@charmkit/coordinator': CLI_VERSION, commander: '^14' },
    });
    fakeTarball(at('charmkit-coordinator.tgz'), {
      name: '@charmkit/coordinator',
      version: CLI_VERSION,
      devDependencies: { '@charmkit/reactive': CLI_VERSION },
    });
    fakeTarball(at('charmkit-leadership.tgz'), { name: '@charmkit/leadership', version: CLI_VERSION });
    writeFileSync(at('not-a-tarball.tgz'), 'junk');

    const scratch = tempDir('charmkit-init-tgz-');
    initCommand(join(scratch, 'web'), { packages: tarballs }, captureIo(scratch));
    const manifest = manifestOf(join(scratch, 'web'));
    expect(manifest.dependencies['@charmkit/ops']).toBe(`file:${at('charmkit-ops-x.tgz')}`);
    expect(manifest.devDependencies).toMatchObject({
      '@charmkit/cli': `file:${at('charmkit-cli.tgz')}`,
      '@charmkit/testing': `file:${at('charmkit-testing.tgz')}`,
      // Needed by the CLI only, but npm must find it locally too.
      '@charmkit/coordinator': `file:${at('charmkit-coordinator.tgz')}`,
    });
    // Neither a dependency of anything the charm uses, nor a devDependency's.
    expect(Object.keys(manifest.devDependencies)).not.toContain('@charmkit/leadership');
    expect(Object.keys(manifest.devDependencies)).not.toContain('@charmkit/reactive');
  });

  it('takes a charmkit checkout, and names what a directory lacks', () => {
    const scratch = repoTempDir('init-local-');
    initCommand(join(scratch, 'web'), { packages: repoDir }, captureIo(scratch));
    const manifest = manifestOf(join(scratch, 'web'));
    expect(manifest.dependencies['@charmkit/ops']).toBe(`file:${join(repoDir, 'packages', 'ops')}`);
    expect(manifest.devDependencies['@charmkit/coordinator']).toBe(
      `file:${join(repoDir, 'packages', 'coordinator')}`,
    );

    const empty = tempDir('charmkit-empty-');
    expect(() => initCommand(join(scratch, 'x'), { packages: empty }, captureIo(scratch))).toThrow(
      /no @charmkit\/ops, @charmkit\/testing, @charmkit\/cli there/,
    );
    expect(() =>
      initCommand(join(scratch, 'y'), { packages: join(empty, 'nope') }, captureIo(scratch)),
    ).toThrow(InitError);
  });

  it('writes a charm that installs outside this repository', () => {
    const scratch = repoTempDir('init-out-');
    initCommand(join(scratch, 'web'), {}, captureIo(scratch));
    const dir = join(scratch, 'web');
    const manifest = manifestOf(dir);
    expect(manifest.dependencies['@charmkit/ops']).toBe(`^${CLI_VERSION}`);
    expect(manifest.engines?.node).toMatch(/^>=20/);
    expect(manifest.allowScripts?.['better-sqlite3']).toBe(true);
    // The source condition would make tsc check the packages' sources (and need their devDependencies).
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).not.toContain('@charmkit/source');
    expect(readFileSync(join(dir, 'vitest.config.ts'), 'utf8')).not.toContain('@charmkit/source');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).not.toMatch(/github\.com/);
  });
});

describe('bin/charmkit.js', () => {
  // A stand-in package: dist/ and src/ each say which one ran.
  function standIn(root: string): string {
    const pkg = join(root, 'cli');
    cpSync(join(cliDir, 'bin'), join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist'));
    mkdirSync(join(pkg, 'src'));
    const main = (which: string) => `export async function runCli() { console.log('${which}'); return 0; }\n`;
    writeFileSync(join(pkg, 'dist', 'main.js'), main('dist'));
    writeFileSync(join(pkg, 'src', 'main.ts'), main('src'));
    return join(pkg, 'bin', 'charmkit.js');
  }

  it('runs the built dist/ when installed (under node_modules), and src/ in a checkout', async () => {
    const installed = standIn(join(repoTempDir('bin-'), 'node_modules', '@charmkit'));
    expect((await run(process.execPath, [installed])).stdout.trim()).toBe('dist');
    const checkout = standIn(join(repoTempDir('bin-'), 'packages'));
    expect((await run(process.execPath, [checkout])).stdout.trim()).toBe('src');
  }, 30_000);
});
