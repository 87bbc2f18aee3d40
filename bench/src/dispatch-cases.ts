import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { type Bench, type HookSpec, type ProcessRun, runHook, runProcess } from './hook-process.js';
import { type Summary, summarise } from './stats.js';

/** One whole-process case. */
export interface CaseResult {
  readonly name: string;
  readonly runs: number;
  readonly wallMs: Summary;
  readonly rssMiB: Summary | null;
  /** Hook-tool processes per run (median; they do not vary). */
  readonly tools: number;
  readonly toolNames: readonly string[];
  readonly stdoutBytes: number;
}

interface CaseDef {
  readonly name: string;
  readonly runs: number;
  /** Prepares a fresh directory state and returns the process to run. */
  readonly run: () => ProcessRun;
}

/**
 * Bundles the floor program into the built charm's `dist/` (beside the addon): `floor.mjs`, an ES
 * module like a built charm's bundle, and `floor.cjs`, CommonJS like a packed charm's.
 */
export async function buildFloor(srcDir: string, builtCharm: string): Promise<string> {
  const outfile = join(builtCharm, 'dist', 'floor.mjs');
  const common = {
    entryPoints: [join(srcDir, 'floor.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  } satisfies BuildOptions;
  await build({
    ...common,
    outfile,
    format: 'esm',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  await build({
    ...common,
    outfile: join(builtCharm, 'dist', 'floor.cjs'),
    format: 'cjs',
    define: { 'import.meta.url': '__floorUrl' },
    banner: { js: "const __floorUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

/** A fresh copy of the built charm (no state). */
export function copyCharm(template: string, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Runs `seed-deferred` once on a fresh charm copy and keeps the resulting store. */
export function prepareStore(bench: Bench, template: string, count: number): string {
  const dir = copyCharm(template, join(bench.scratchDir, `seed-${count}`));
  runHook(bench, dir, { dispatchPath: 'actions/seed-deferred', extraEnv: { BENCH_COUNT: String(count) } });
  const store = join(bench.scratchDir, `store-${count}.db`);
  copyFileSync(join(dir, '.unit-state.db'), store);
  return store;
}

export interface DispatchBenchOptions {
  readonly bench: Bench;
  /** The built bench charm. */
  readonly template: string;
  /** The same, built with a startup snapshot (`buildCharm({ startupSnapshot: true })`), if any. */
  readonly snapshotTemplate: string | null;
  /**
   * The bench charm as `charmkit pack` makes it, unzipped: with its startup snapshot, and without
   * one. Its own Node runs the hooks and its own floor (that Node, its addon, one database).
   */
  readonly packed: { readonly snapshot: string; readonly plain: string } | null;
  readonly runs: number;
  readonly deferredCounts: readonly number[];
  readonly deferredRuns: (count: number) => number;
  readonly log: (line: string) => void;
}

/**
 * The whole-process cases, interleaved run by run (floor, a, b, c, d…, then again), so a slow
 * stretch of the machine hits all of them alike. One warm-up run of each is not counted.
 */
export function runDispatchCases(options: DispatchBenchOptions): CaseResult[] {
  const { bench, template } = options;
  const hook = (dir: string, spec: HookSpec) => () => runHook(bench, dir, spec);
  const dirs = {
    floor: copyCharm(template, join(bench.scratchDir, 'floor')),
    a: copyCharm(template, join(bench.scratchDir, 'a')),
    b: copyCharm(template, join(bench.scratchDir, 'b')),
    c: copyCharm(template, join(bench.scratchDir, 'c')),
    unobserved: copyCharm(template, join(bench.scratchDir, 'unobserved')),
  };
  const floorEnv = { PATH: `${bench.toolsDir}:/usr/bin:/bin`, LANG: 'C.UTF-8' };
  const floorRun = (script: string) => () => {
    rmSync(join(dirs.floor, '.floor.db'), { force: true });
    return runProcess(bench, dirs.floor, [process.execPath, script], floorEnv);
  };
  const cases: CaseDef[] = [
    { name: 'floor: node + open better-sqlite3', runs: options.runs, run: floorRun('dist/floor.mjs') },
    { name: 'node alone (empty script)', runs: options.runs, run: floorRun('dist/empty.mjs') },
    {
      name: '(a) update-status',
      runs: options.runs,
      run: hook(dirs.a, { dispatchPath: 'hooks/update-status' }),
    },
    {
      name: '(b) config-changed',
      runs: options.runs,
      run: hook(dirs.b, { dispatchPath: 'hooks/config-changed' }),
    },
    {
      name: '(c) leader-elected',
      runs: options.runs,
      run: hook(dirs.c, { dispatchPath: 'hooks/leader-elected' }),
    },
    {
      name: '(e) start, observed by nothing: skipped',
      runs: options.runs,
      run: hook(dirs.unobserved, { dispatchPath: 'hooks/start' }),
    },
  ];
  if (options.snapshotTemplate !== null) {
    const snap = (name: string) =>
      copyCharm(options.snapshotTemplate as string, join(bench.scratchDir, `snap-${name}`));
    const [sa, sb, sc] = [snap('a'), snap('b'), snap('c')];
    cases.push(
      {
        name: '(a) update-status, snapshot',
        runs: options.runs,
        run: hook(sa, { dispatchPath: 'hooks/update-status' }),
      },
      {
        name: '(b) config-changed, snapshot',
        runs: options.runs,
        run: hook(sb, { dispatchPath: 'hooks/config-changed' }),
      },
      {
        name: '(c) leader-elected, snapshot',
        runs: options.runs,
        run: hook(sc, { dispatchPath: 'hooks/leader-elected' }),
      },
    );
  }
  if (options.packed !== null) {
    const { packed } = options;
    const pfloor = copyCharm(packed.plain, join(bench.scratchDir, 'packed-floor'));
    const [pa, pp] = [
      copyCharm(packed.snapshot, join(bench.scratchDir, 'packed-a')),
      copyCharm(packed.plain, join(bench.scratchDir, 'packed-plain-a')),
    ];
    cases.push(
      {
        // CommonJS, as the packed charm's bundle: what its Node costs to start and open SQLite.
        name: 'packed floor: bin/node + open its addon',
        runs: options.runs,
        run: () => {
          rmSync(join(pfloor, '.floor.db'), { force: true });
          return runProcess(bench, pfloor, [join(pfloor, 'bin', 'node'), 'dist/floor.cjs'], floorEnv);
        },
      },
      {
        name: '(p) packed floor as an ES module',
        runs: options.runs,
        run: () => {
          rmSync(join(pfloor, '.floor.db'), { force: true });
          return runProcess(bench, pfloor, [join(pfloor, 'bin', 'node'), 'dist/floor.mjs'], floorEnv);
        },
      },
      {
        name: '(p) update-status, packed (snapshot, compile cache)',
        runs: options.runs,
        run: hook(pa, { dispatchPath: 'hooks/update-status' }),
      },
      {
        name: '(p) update-status, packed (compile cache, no snapshot)',
        runs: options.runs,
        run: hook(pp, { dispatchPath: 'hooks/update-status' }),
      },
    );
  }
  for (const count of options.deferredCounts) {
    options.log(`preparing a store with ${count} deferred events`);
    const store = prepareStore(bench, template, count);
    const dir = copyCharm(template, join(bench.scratchDir, `d-${count}`));
    cases.push({
      name: `(d) update-status, ${count} deferred`,
      runs: options.deferredRuns(count),
      run: () => {
        // The store as the seeding left it: events pending, so no queue-empty marker either.
        rmSync(join(dir, '.unit-state.db-wal'), { force: true });
        rmSync(join(dir, '.unit-state.db.queue-empty'), { force: true });
        copyFileSync(store, join(dir, '.unit-state.db'));
        return runHook(bench, dir, { dispatchPath: 'hooks/update-status' });
      },
    });
  }
  const samples = new Map<string, ProcessRun[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) c.run(); // warm-up: page cache, first store creation
  const rounds = Math.max(...cases.map((c) => c.runs));
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) if (round < c.runs) samples.get(c.name)?.push(c.run());
    options.log(`round ${round + 1}/${rounds}`);
  }
  return cases.map((c) => {
    const runs = samples.get(c.name) ?? [];
    const rss = runs.map((r) => r.rssMiB).filter((r): r is number => r !== null);
    const last = runs.at(-1);
    return {
      name: c.name,
      runs: runs.length,
      wallMs: summarise(runs.map((r) => r.wallMs)),
      rssMiB: rss.length ? summarise(rss) : null,
      tools: Math.max(...runs.map((r) => r.tools)),
      toolNames: last?.toolNames ?? [],
      stdoutBytes: last?.stdoutBytes ?? 0,
    };
  });
}
