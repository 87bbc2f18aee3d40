import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RelationMismatchError, UnknownApplicationError, UnknownEndpointError } from '@charmkit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelDescriptionError, runCli, simulateModelCommand } from '../src/index.js';
import { captureIo, cliDir, removeTempDirs, repoDir, tempDir } from './helpers.js';

// The testing package's fixture charms: a provider that publishes an endpoint and a password,
// and a requirer that goes active once it has both.
const fixtures = join(repoDir, 'packages', 'testing', 'test', 'fixtures');

afterAll(removeTempDirs);

/** Writes a model description beside nothing else; charm paths are absolute. */
function modelFile(yaml: string): string {
  const dir = tempDir('charmkit-model-');
  const file = join(dir, 'model.yaml');
  writeFileSync(file, yaml.replaceAll('FIXTURES', fixtures));
  return file;
}

const twoApps = `
juju: "3.6"
seed: 4
applications:
  webapp: { charm: FIXTURES/model-requirer, units: 2 }
  db: { charm: FIXTURES/model-provider, units: 1, config: { port: 7000 } }
relations:
  - [webapp:database, db:database]
`;

describe('charmkit simulate --model', () => {
  it('builds both charms, relates them and reports each application as JSON', async () => {
    const io = captureIo(repoDir);
    const summary = await simulateModelCommand(modelFile(twoApps), { json: true }, io);
    expect(JSON.parse(io.out.join(''))).toEqual(summary);
    expect(summary).toMatchObject({
      juju: '3.6.8',
      seed: 4,
      faults: false,
      settled: true,
      relations: [{ a: 'webapp:database', b: 'db:database' }],
      applications: {
        webapp: {
          charm: 'model-requirer',
          units: 2,
          statuses: {
            'webapp/0': { status: 'active', message: 'connected to 10.3.0.2:7000' },
            'webapp/1': { status: 'active', message: 'connected to 10.3.0.2:7000' },
          },
        },
        db: {
          charm: 'model-provider',
          units: 1,
          statuses: { 'db/0': { status: 'active', message: 'serving 1 client' } },
        },
      },
    });
    expect(summary.hooks.failed).toBe(0);
    expect(summary.hooks.total).toBe(
      (summary.hooks.byApplication.webapp ?? 0) + (summary.hooks.byApplication.db ?? 0),
    );
    expect(summary.report).toBe(`settled after ${summary.hooks.total} hooks`);
    expect(io.err.join('')).toBe(''); // --json: no progress
  }, 240_000);

  it('--faults: each application gets faults of its own, and the model still settles', async () => {
    const io = captureIo(repoDir);
    const summary = await simulateModelCommand(
      modelFile(twoApps),
      { json: true, faults: true, seed: '3' },
      io,
    );
    expect(summary).toMatchObject({ faults: true, settled: true });
    // Failed hooks were retried until they passed; both sides still end connected.
    expect(summary.hooks.failed).toBeGreaterThan(0);
    expect(summary.applications.webapp?.statuses['webapp/0']).toEqual({
      status: 'active',
      message: 'connected to 10.3.0.2:7000',
    });
    expect(summary.applications.db?.statuses['db/0']?.status).toBe('active');
  }, 240_000);

  it('prints a summary per application through runCli, with the progress on stderr', async () => {
    const io = captureIo(repoDir);
    const code = await runCli(['simulate', '--model', modelFile(twoApps), '--seed', '2'], io);
    const out = io.out.join('');
    expect(code).toBe(0);
    expect(out).toMatch(/webapp.*\(model-requirer, 2 units, \d+ hooks\)/);
    expect(out).toContain('webapp/1');
    expect(out).toContain('active: connected to 10.3.0.2:7000');
    expect(out).toMatch(/webapp:database .* db:database/);
    expect(out).toMatch(/settled after \d+ hooks: \d+ hooks in total, 0 failed/);
    expect(io.err.join('')).toContain('building webapp (model-requirer)');
    expect(io.err.join('')).toMatch(/#0 +\S+\/\d +install/);
  }, 240_000);

  it('refuses bad descriptions and relations before building, naming what was expected', async () => {
    const run = (yaml: string) => simulateModelCommand(modelFile(yaml), { json: true }, captureIo(repoDir));
    const mismatch = await run(`
applications:
  a: { charm: FIXTURES/model-requirer }
  b: { charm: FIXTURES/model-requirer }
relations: [[a:database, b:database]]
`).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(RelationMismatchError);
    expect(String(mismatch)).toContain('both require sim-database; expected one side to provide it');
    await expect(
      run(`
applications:
  webapp: { charm: FIXTURES/model-requirer }
relations: [[webapp:database, postgres:database]]
`),
    ).rejects.toBeInstanceOf(UnknownApplicationError);
    await expect(
      run(`
applications:
  webapp: { charm: FIXTURES/model-requirer }
  db: { charm: FIXTURES/model-provider }
relations: [[webapp:database, db:db]]
`),
    ).rejects.toThrow(UnknownEndpointError);
    await expect(
      run(`
applications:
  db: { charm: FIXTURES/model-provider, config: { prot: 1 } }
`),
    ).rejects.toThrow(
      /applications\.db\.config: charm model-provider has no option "prot" \(options: port\)/,
    );
    await expect(run('applications:\n  db: { charm: FIXTURES/model-provider, units: 0 }\n')).rejects.toThrow(
      /applications\.db\.units: /,
    );
    await expect(run('applications:\n  db: { charm: ./nowhere }\n')).rejects.toThrow(
      /applications\.db\.charm: \.\/nowhere is not a directory/,
    );
    await expect(run('applications: {}\n')).rejects.toBeInstanceOf(ModelDescriptionError);
    await expect(run('applications:\n  db: { charm: x, image: y }\n')).rejects.toThrow(/applications\.db/);
  });

  it('simulates the Kubernetes examples as real processes, exec answered by the stand-in the model gives', async () => {
    const examples = join(repoDir, 'examples');
    const file = modelFile(`
seed: 3
applications:
  web: { charm: ${examples}/k8s-webapp, units: 2 }
  db:
    charm: ${examples}/k8s-db
    containers:
      db: { exec: [{ command: [k8s-db-admin, create-database], stdout: "created" }] }
relations:
  - [web:database, db:database]
`);
    const summary = await simulateModelCommand(file, { json: true }, captureIo(repoDir));
    expect(summary.settled, summary.report).toBe(true);
    expect(summary.applications.db?.statuses['db/0']).toEqual({
      status: 'active',
      message: 'serving 1 database',
    });
    expect(summary.applications.web?.statuses['web/1']).toEqual({
      status: 'active',
      message: 'serving on port 8080',
    });
    await expect(
      simulateModelCommand(
        modelFile(`applications:\n  db: { charm: ${examples}/k8s-db, containers: { dbb: { exec: [] } } }\n`),
        { json: true },
        captureIo(repoDir),
      ),
    ).rejects.toThrow(/applications\.db\.containers: charm k8s-db has no container "dbb" \(containers: db\)/);
  }, 240_000);

  it('on SIGTERM mid-run cleans up: no summary, the work dir removed, exit 143', async () => {
    const tmp = tempDir('charmkit-model-interrupt-');
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, NO_COLOR: '1' };
    const child = spawn(
      process.execPath,
      [join(cliDir, 'bin', 'charmkit.js'), 'simulate', '--model', modelFile(twoApps)],
      {
        cwd: repoDir,
        env,
      },
    );
    let output = '';
    const firstHook = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/#\d+ +\S+\/\d +\S+/.test(output)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await firstHook;
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(output).toMatch(
      /interrupted \(SIGTERM\): stopped \d+ process\(es\), removed .*charmkit-simulate-model-/,
    );
    expect(output).not.toMatch(/settled after/);
    expect(readdirSync(tmp).filter((name) => name.startsWith('charmkit-simulate-model-'))).toEqual([]);
  }, 240_000);
});
