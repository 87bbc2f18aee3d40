import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { type CliIo, processIo } from './io.js';
import { SCENARIOS } from './simulate/scenario-names.js';
import { CLI_VERSION } from './version.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Builds the `charmkit` program; commands load their code only when they run. */
export function createProgram(io: CliIo): Command {
  const program = new Command('charmkit')
    .description('Write, build, pack and simulate Juju charms in TypeScript.')
    .version(CLI_VERSION, '-V, --version')
    .option('--debug', 'print the stack of an error')
    .showHelpAfterError('(run charmkit --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(pc.red(text)),
    });

  program
    .command('init')
    .description('create a charm that installs, tests, builds and packs out of the box')
    .argument('<dir>', 'the new charm directory (must not exist or be empty)')
    .option('--name <name>', "the charm's name (default: the directory's name)")
    .option(
      '--packages <dir>',
      'install @charmkit/* from the npm pack tarballs (or the charmkit checkout) in <dir>',
    )
    .action(async (dir: string, options: { name?: string; packages?: string }) => {
      const { initCommand } = await import('./commands/init.js');
      initCommand(dir, options, io);
    });

  program
    .command('typegen')
    .description('write TypeScript types and zod schemas for the charm config, actions and endpoints')
    .argument('[charm-dir]', 'the charm directory', '.')
    .option('-o, --out <file>', 'output file, relative to the charm directory', 'src/charm-types.ts')
    .option('--check', 'write nothing; fail when the file is missing or out of date')
    .action(async (dir: string, options: { out: string; check?: boolean }) => {
      const { typegenCommand } = await import('./commands/typegen.js');
      typegenCommand(dir, options, io);
    });

  program
    .command('build')
    .description('build the runnable charm: one bundle, the SQLite addon, dispatch and the metadata')
    .argument('[charm-dir]', 'the charm directory', '.')
    .option('-o, --out <dir>', 'output directory, relative to the charm directory', 'build')
    .option('--entry <file>', 'the entry that calls main(), relative to the charm directory', 'src/charm.ts')
    .option('--minify', 'minify the bundle')
    .action(async (dir: string, options: { out: string; entry: string; minify?: boolean }) => {
      const { buildCommand } = await import('./commands/build.js');
      await buildCommand(dir, options, io);
    });

  program
    .command('pack')
    .description(
      "build the charm and zip it with its own Node as <name>_<base>-<arch>.charm in charmcraft's layout",
    )
    .argument('[charm-dir]', 'the charm directory', '.')
    .option('-o, --out <dir>', 'where the .charm goes (default: the charm directory)')
    .option(
      '--base <base>',
      "the charm's Ubuntu base: ubuntu@20.04 … ubuntu@26.04 (default: this machine's Ubuntu, else ubuntu@24.04)",
    )
    .option('--entry <file>', 'the entry that calls main(), relative to the charm directory', 'src/charm.ts')
    .option(
      '--platform <arch>',
      "pack this one declared platform (this machine's architecture) when charmcraft.yaml declares several",
    )
    .option(
      '--startup-snapshot',
      'start hooks from a V8 startup snapshot the bundled Node builds (off: the compile cache alone is faster on Node 24)',
      false,
    )
    .action(
      async (
        dir: string,
        options: { out?: string; base?: string; entry: string; platform?: string; startupSnapshot: boolean },
      ) => {
        const { packCommand } = await import('./commands/pack.js');
        await packCommand(dir, options, io);
      },
    );

  program
    .command('simulate')
    .description('run the built charm on the multi-unit simulator through a scenario')
    .argument('[charm-dir]', 'the charm directory', '.')
    .option('-n, --units <n>', 'units to deploy', '3')
    .option('--seed <n>', 'seed of the scheduler and the faults', '1')
    .option(
      '--faults',
      'inject random hook failures, kills, leader changes and container restarts (with --model too)',
    )
    .addOption(
      new Option('--scenario <name>', 'what to run after the deploy').choices(SCENARIOS).default('deploy'),
    )
    .option('--config <option=value>', 'config at deploy (repeatable)', collect, [])
    .option(
      '--set <option=value>',
      'the change config-change and rolling-restart make (repeatable)',
      collect,
      [],
    )
    .option('--max-hooks <n>', 'stop after this many hooks', '5000')
    .option(
      '--juju <version>',
      'the Juju to simulate: 3.6 or 4 (default: charmkit.yaml simulate.juju, else 4)',
    )
    .option('--keep', "keep the units' directories (for charmkit state)")
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('-q, --quiet', 'no progress')
    .option('--model <file>', 'simulate several related applications described in a YAML file')
    .action(async (dir: string, options: Record<string, unknown>) => {
      if (typeof options.model === 'string') {
        const { simulateModelCommand } = await import('./commands/simulate-model.js');
        const summary = await simulateModelCommand(options.model, options, io);
        if (!summary.settled) process.exitCode = 1;
        return;
      }
      const { simulateCommand } = await import('./commands/simulate.js');
      const summary = await simulateCommand(dir, options, io);
      if (!summary.settled || summary.violations.length > 0) process.exitCode = 1;
    });

  program
    .command('state')
    .description("show a unit's stored state and deferred events; drop a stuck one")
    .argument('[path]', 'a .unit-state.db, or the charm directory holding it', '.unit-state.db')
    .option('--json', 'print everything as JSON')
    .option('--drop <sequence>', 'remove the deferred (or parked) notice with this sequence')
    .option('--requeue <sequence>', 'put a parked notice back in the queue')
    .option('-y, --yes', 'do not ask before changing the file')
    .action(async (path: string, options: Record<string, unknown>) => {
      const { stateCommand } = await import('./commands/state.js');
      await stateCommand(path, options, io);
    });

  return program;
}

/**
 * Runs `charmkit` with `args` (without node and the script) and resolves to the exit code. Errors
 * are one line on stderr, with the stack only under `--debug`.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = createProgram(io);
  const debug = args.includes('--debug');
  try {
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return error.exitCode;
    }
    // Loaded only on failure: @charmkit/ops is most of what `charmkit --version` would cost.
    const { CharmkitError } = await import('@charmkit/ops');
    if (debug && error instanceof Error) io.stderr(`${error.stack ?? error.message}\n`);
    else if (error instanceof CharmkitError) io.stderr(`${pc.red('error:')} ${firstLine(error.message)}\n`);
    else if (error instanceof Error)
      io.stderr(`${pc.red('error:')} ${firstLine(error.message)} (run with --debug for the stack)\n`);
    else io.stderr(`${pc.red('error:')} ${String(error)}\n`);
    return 1;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
