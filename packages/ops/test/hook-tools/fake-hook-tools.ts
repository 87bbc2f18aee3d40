import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { HookToolArgumentError, HookTools } from '../../src/hook-tools/index.js';

const FAKE_TOOL = fileURLToPath(new URL('../fixtures/fake-tools/fake-hook-tool.sh', import.meta.url));

/** Every hook tool of juju-contract §2. */
export const TOOL_NAMES = [
  'is-leader',
  'leader-get',
  'leader-set',
  'relation-ids',
  'relation-list',
  'relation-get',
  'relation-set',
  'relation-model-get',
  'config-get',
  'status-get',
  'status-set',
  'application-version-set',
  'juju-log',
  'action-get',
  'action-set',
  'action-log',
  'action-fail',
  'state-get',
  'state-set',
  'state-delete',
  'open-port',
  'close-port',
  'opened-ports',
  'secret-add',
  'secret-get',
  'secret-set',
  'secret-remove',
  'secret-grant',
  'secret-revoke',
  'secret-ids',
  'secret-info-get',
  'network-get',
  'unit-get',
  'goal-state',
  'storage-list',
  'storage-get',
  'storage-add',
  'resource-get',
  'credential-get',
  'juju-reboot',
] as const;

/** A canned answer of a fake tool. */
export interface FakeResponse {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
}

/** One recorded call of a fake tool. */
export interface RecordedCall {
  readonly tool: string;
  readonly args: string[];
  readonly stdin: string;
  /** JUJU_CONTEXT_ID as the tool saw it. */
  readonly contextId: string;
  readonly cwd: string;
  /** Copy of a `--file=<path>` argument's file, if any. */
  readonly file?: string;
  /** That file's permission bits, e.g. `600`. */
  readonly fileMode?: string;
}

/**
 * A directory of fake hook tools (one shell script copied under every tool name), its call log and
 * its canned responses. Create one per test file; call {@link reset} between tests.
 */
export class FakeHookTools {
  readonly root: string;
  readonly binDir: string;
  readonly logDir: string;
  readonly responsesDir: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'charmkit-fake-tools-'));
    this.binDir = join(this.root, 'bin');
    this.logDir = join(this.root, 'log');
    this.responsesDir = join(this.root, 'responses');
    mkdirSync(this.binDir);
    for (const tool of TOOL_NAMES) {
      const target = join(this.binDir, tool);
      copyFileSync(FAKE_TOOL, target);
      chmodSync(target, 0o755);
    }
    this.reset();
  }

  /** The environment a runner needs to find and drive the fakes. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${this.binDir}${delimiter}${process.env.PATH ?? ''}`,
      FAKE_HOOK_TOOLS_LOG: this.logDir,
      FAKE_HOOK_TOOLS_RESPONSES: this.responsesDir,
      JUJU_CONTEXT_ID: 'app/0-test-1',
      // The charm dir: where the private temp dir for secret content goes (not the test's cwd).
      JUJU_CHARM_DIR: this.root,
      ...extra,
    };
  }

  /** A fresh `HookTools` over the fakes. */
  tools(): HookTools {
    return new HookTools({ env: this.env() });
  }

  /** Sets what `tool` answers from now on. */
  respond(tool: string, response: FakeResponse): void {
    const dir = join(this.responsesDir, tool);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (response.stdout !== undefined) writeFileSync(join(dir, 'stdout'), response.stdout);
    if (response.stderr !== undefined) writeFileSync(join(dir, 'stderr'), response.stderr);
    if (response.exitCode !== undefined) writeFileSync(join(dir, 'exit'), `${response.exitCode}\n`);
  }

  /** Makes `tool` print `text` followed by the newline Juju always adds to JSON output. */
  respondJson(tool: string, text: string): void {
    this.respond(tool, { stdout: `${text}\n` });
  }

  /** Makes `tool` fail as Juju does: `ERROR <message>` on stderr. */
  fail(tool: string, message: string, exitCode: number): void {
    this.respond(tool, { stderr: `ERROR ${message}\n`, exitCode });
  }

  /** The calls recorded since the last reset, in order. */
  calls(): RecordedCall[] {
    const countFile = join(this.logDir, 'count');
    if (!existsSync(countFile)) return [];
    const count = Number(readFileSync(countFile, 'utf8').trim());
    const calls: RecordedCall[] = [];
    for (let n = 1; n <= count; n++) {
      const read = (suffix: string): string | undefined => {
        const path = join(this.logDir, `${n}.${suffix}`);
        return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      };
      const [tool = '', ...args] = (read('argv') ?? '').split('\0').slice(0, -1);
      const file = read('file');
      const fileMode = read('mode');
      calls.push({
        tool,
        args,
        stdin: read('stdin') ?? '',
        contextId: read('env') ?? '',
        cwd: (read('cwd') ?? '').trim(),
        ...(file === undefined ? {} : { file }),
        ...(fileMode === undefined ? {} : { fileMode: fileMode.trim() }),
      });
    }
    return calls;
  }

  /** The only call recorded; fails the test if there is not exactly one. */
  onlyCall(): RecordedCall {
    const calls = this.calls();
    expect(calls, 'expected exactly one tool call').toHaveLength(1);
    return calls[0] as RecordedCall;
  }

  /** Tool name + arguments of every call: the exact command lines. */
  commandLines(): string[][] {
    return this.calls().map((call) => [call.tool, ...call.args]);
  }

  /** Forgets calls and responses. */
  reset(): void {
    rmSync(this.logDir, { recursive: true, force: true });
    rmSync(this.responsesDir, { recursive: true, force: true });
    mkdirSync(this.logDir);
    mkdirSync(this.responsesDir);
  }

  /** Removes the whole directory. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Asserts that `run` throws a `HookToolArgumentError` whose message matches `message`, and that no
 * process was spawned for it.
 */
export function expectRejectedBeforeSpawn(
  fake: FakeHookTools,
  tools: HookTools,
  run: (tools: HookTools) => unknown,
  message: RegExp,
): HookToolArgumentError {
  const before = tools.spawnCount;
  let caught: unknown;
  try {
    run(tools);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HookToolArgumentError);
  const error = caught as HookToolArgumentError;
  expect(error.message).toMatch(message);
  expect(error.exitCode).toBeNull();
  expect(tools.spawnCount).toBe(before);
  expect(fake.calls()).toEqual([]);
  return error;
}
