import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real `juju debug-code` session: a tiny hook with JUJU_DEBUG_AT=hook runs under a pseudo-terminal
// (`script`, as tmux gives one), Node's terminal debugger attaches, and we type `cont` into it.

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = '/usr/bin/script';
const canPty = process.platform === 'linux' && existsSync(SCRIPT);

const ENTRY = `
import { CharmBase, parseCharmMeta } from ${JSON.stringify(join(here, '../src/index.ts'))};
import { dispatch, MemoryLogger, MemoryStorage, parseJujuContext } from ${JSON.stringify(join(here, '../src/internal/index.ts'))};
import { FakeBackend } from ${JSON.stringify(join(here, 'helpers/fake-backend.ts'))};
class DebugMe extends CharmBase {
  static override readonly handleKind = 'DebugMe';
  constructor(framework: any) {
    super(framework);
    framework.observe(this.on.start, this.onStart);
  }
  onStart(): void {
    console.log('HANDLER RAN');
  }
}
await dispatch(DebugMe, {
  context: parseJujuContext({ JUJU_UNIT_NAME: 'debug-me/0', JUJU_DISPATCH_PATH: 'hooks/start', JUJU_DEBUG_AT: 'hook' }),
  meta: parseCharmMeta({ metadata: { name: 'debug-me' } }),
  storage: new MemoryStorage(),
  backend: new FakeBackend(),
  logger: new MemoryLogger(),
});
console.log('HOOK DONE');
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  // Inside the package, so the bundle's external imports resolve from the workspace's node_modules.
  dir = mkdtempSync(join(here, '..', '.debug-inspector-test-'));
  writeFileSync(join(dir, 'entry.ts'), ENTRY);
  bundle = join(dir, 'hook.mjs');
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function collect(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('juju debug-code under a real debugger', () => {
  it('does not stop, and says why, when stdin is not a terminal', async () => {
    const child = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    const { code, output } = await collect(child);
    expect(code).toBe(0);
    expect(output).toContain('stdin is not a terminal');
    expect(output).toContain('HANDLER RAN');
    expect(output).toContain('HOOK DONE');
  }, 90_000);

  it.skipIf(!canPty)(
    'stops before the handler in `node inspect`, and goes on after `cont`',
    async () => {
      const child = spawn(
        SCRIPT,
        ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)}`, '/dev/null'],
        // Its own process group, so a wedged run can be ended with the debugger and hook in it.
        { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
      );
      const done = collect(child);
      let seen = '';
      let typed = false;
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        // Type only once the debugger has stopped at the `debugger;` statement.
        if (!typed && seen.includes('break in')) {
          typed = true;
          child.stdin.write('cont\n');
        }
      });
      // Only if the session wedges: end the whole group before the test's own timeout.
      const reaper = setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 100_000);
      const { code, output } = await done.finally(() => clearTimeout(reaper));
      expect(typed).toBe(true);
      expect(code).toBe(0);
      expect(output).toContain('juju debug-code');
      expect(output.indexOf('break in')).toBeLessThan(output.indexOf('HANDLER RAN'));
      expect(output).toContain('HOOK DONE');
    },
    120_000,
  );
});
