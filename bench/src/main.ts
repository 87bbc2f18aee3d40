import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCharm } from '@charmkit/testing';
import { type ContextCase, runContextCases } from './context-runs.js';
import { buildFloor, type CaseResult, runDispatchCases } from './dispatch-cases.js';
import { writeFakeTools } from './fake-tools.js';
import { TIME_BIN } from './hook-process.js';
import { packAndUnzip } from './packed-charm.js';
import { type RollResult, rollingRestart } from './roll.js';
import { ms, summarise } from './stats.js';

// `npm run bench [-- --quick] [--runs=N] [--units=3,10,30] [--in-process-units=3,10,30]
//   [--only=dispatch|roll|context] [--keep] [--out=file] [--no-packed]`   (--units=0 skips process mode)

const args = process.argv.slice(2);
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const runsOverride = option('runs') === undefined ? null : Number(option('runs'));
const only = option('only') ?? null;
// Process mode is where dispatch costs show, but a 30-unit roll there is ~2000 Node starts (about 8
// minutes on 2 cores): by default it runs 3 and 10 units, and 30 with --units=3,10,30.
const sizes = (name: string, fallback: string): number[] => (option(name) ?? fallback).split(',').map(Number);
const processSizes = sizes('units', quick ? '3' : '3,10');
const inProcessSizes = sizes('in-process-units', quick ? '3,10' : '3,10,30');

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const repoDir = join(benchDir, '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const scratch = mkdtempSync(join(tmpdir(), 'charmkit-bench-'));
try {
  const toolsDir = join(scratch, 'tools');
  writeFakeTools(toolsDir);
  const bench = { toolsDir, scratchDir: scratch };
  const started = performance.now();

  // The fake tools' own cost, as the charm sees it: one spawnSync from Node.
  const toolMs: number[] = [];
  for (let i = 0; i < (quick ? 20 : 100); i++) {
    const t = performance.now();
    spawnSync(join(toolsDir, 'is-leader'), ['--format=json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    toolMs.push(performance.now() - t);
  }
  const fakeToolMs = summarise(toolMs);

  let cases: CaseResult[] = [];
  let bundleBytes = 0;
  let manifest: unknown = null;
  if (only === null || only === 'dispatch') {
    log('building bench/charm');
    const built = await buildCharm({ charmDir: join(benchDir, 'charm'), outDir: join(scratch, 'built') });
    bundleBytes = built.bundleBytes;
    manifest = built.dispatchManifest;
    await buildFloor(join(benchDir, 'src'), built.outDir);
    writeFileSync(join(built.outDir, 'dist', 'empty.mjs'), '');
    log('building bench/charm with a startup snapshot');
    const snapshotted = await buildCharm({
      charmDir: join(benchDir, 'charm'),
      outDir: join(scratch, 'built-snapshot'),
      startupSnapshot: true,
    });
    if (snapshotted.snapshotError) log(`no snapshot: ${snapshotted.snapshotError}`);
    let packed: { snapshot: string; plain: string } | null = null;
    if (!args.includes('--no-packed')) {
      log('packing bench/charm as charmkit pack does (bundled Node; the first pack compiles its addon)');
      const charmDir = join(benchDir, 'charm');
      packed = {
        snapshot: packAndUnzip(repoDir, charmDir, join(scratch, 'packed-snapshot'), {
          startupSnapshot: true,
        }),
        plain: packAndUnzip(repoDir, charmDir, join(scratch, 'packed-plain'), { startupSnapshot: false }),
      };
      await buildFloor(join(benchDir, 'src'), packed.plain);
    }
    cases = runDispatchCases({
      bench,
      template: built.outDir,
      snapshotTemplate: snapshotted.snapshot === null ? null : snapshotted.outDir,
      packed,
      runs: runsOverride ?? (quick ? 5 : 30),
      deferredCounts: [100, 1000, 10000],
      deferredRuns: (count) => runsOverride ?? (quick ? 3 : count >= 10000 ? 10 : 20),
      log,
    });
  }

  let contextCases: ContextCase[] = [];
  if (only === null || only === 'context') {
    log('Context runs of a sidecar charm (in-memory Pebble)');
    contextCases = await runContextCases(runsOverride ?? (quick ? 500 : 5000));
  }

  const rolls: RollResult[] = [];
  if (only === null || only === 'roll') {
    log('building examples/rolling-restart');
    const built = await buildCharm({
      charmDir: join(repoDir, 'examples', 'rolling-restart'),
      outDir: join(scratch, 'rolling-restart'),
    });
    const plan = [
      ...processSizes.map((units) => ['process', units] as const),
      ...inProcessSizes.map((units) => ['in-process', units] as const),
    ];
    for (const [mode, units] of plan) {
      if (!units) continue;
      log(`rolling restart of ${units} units (simulator, ${mode})`);
      rolls.push(await rollingRestart(built, units, 23000 + 100 * rolls.length, mode));
    }
  }

  if (cases.length > 0) {
    // Packed-charm cases run on the charm's own Node: they are compared with that Node's floor.
    const nodeFloor = cases[0] as CaseResult;
    const packedFloor = cases.find((c) => c.name.startsWith('packed floor')) ?? nodeFloor;
    const floorOf = (c: CaseResult): CaseResult => (c.name.startsWith('(p)') ? packedFloor : nodeFloor);
    console.log('\nWhole-process hook runs (./dispatch, Juju environment, fake hook tools on PATH):');
    console.table(
      cases.map((c) => ({
        case: c.name,
        runs: c.runs,
        'wall ms median': ms(c.wallMs.median),
        'min–max': `${ms(c.wallMs.min)}–${ms(c.wallMs.max)}`,
        'vs floor':
          c === nodeFloor || c === packedFloor
            ? ''
            : `${c.wallMs.median >= floorOf(c).wallMs.median ? '+' : ''}${ms(c.wallMs.median - floorOf(c).wallMs.median)} (${((c.wallMs.median / floorOf(c).wallMs.median - 1) * 100).toFixed(0)}%)`,
        'RSS vs floor MiB':
          c.rssMiB && floorOf(c).rssMiB
            ? ms(c.rssMiB.median - (floorOf(c).rssMiB as { median: number }).median)
            : 'n/a',
        'peak RSS MiB': c.rssMiB ? ms(c.rssMiB.median) : 'n/a',
        'hook tools': c.tools,
      })),
    );
    console.log(
      `fake hook tool, one spawnSync from Node: median ${ms(fakeToolMs.median)} ms (min ${ms(fakeToolMs.min)}, max ${ms(fakeToolMs.max)}); peak RSS: ${TIME_BIN ? `GNU time %M (${TIME_BIN})` : 'n/a (no /usr/bin/time)'}`,
    );
    for (const c of cases) if (c.toolNames.length) console.log(`  ${c.name}: ${c.toolNames.join(', ')}`);
  }
  if (contextCases.length > 0) {
    console.log('\nState-in/state-out Context runs (@charmkit/testing; per run, over batches of 50):');
    console.table(
      contextCases.map((c) => ({
        case: c.name,
        runs: c.runs,
        'ms median': c.msPerRun.median.toFixed(3),
        'min–max': `${c.msPerRun.min.toFixed(3)}–${c.msPerRun.max.toFixed(3)}`,
      })),
    );
  }
  if (rolls.length > 0) {
    console.log(
      '\nRolling restart of examples/rolling-restart in the simulator (config change until settled):',
    );
    console.table(
      rolls.map((r) => ({
        mode: r.mode,
        units: r.units,
        settled: r.settled && r.problems.length === 0,
        'hook executions': r.hooks,
        'dispatch CPU s': r.dispatchCpuMs === null ? 'n/a' : (r.dispatchCpuMs / 1000).toFixed(2),
        'CPU ms / hook': r.cpuPerHookMs === null ? 'n/a' : ms(r.cpuPerHookMs),
        'wall s': (r.wallMs / 1000).toFixed(1),
        'tool calls': r.toolCalls,
      })),
    );
    for (const r of rolls) for (const p of r.problems) console.log(`  ${r.mode}, ${r.units} units: ${p}`);
  }

  const results = {
    date: new Date().toISOString(),
    quick,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    rssSource: TIME_BIN ? `GNU time %M (${TIME_BIN})` : null,
    durationS: (performance.now() - started) / 1000,
    bundleBytes,
    dispatchManifest: manifest,
    fakeToolMs,
    cases,
    contextRuns: contextCases,
    rollingRestart: rolls,
  };
  writeFileSync(option('out') ?? join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const failed = rolls.some((r) => !r.settled || r.problems.length > 0);
  if (failed) process.exitCode = 1;
} finally {
  if (keep) log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
