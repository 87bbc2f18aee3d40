import { realpathSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PebbleAPIError,
  PebbleClient,
  PebbleConnectionError,
  PebbleExecError,
  PebbleExecTimeoutError,
} from '../../src/pebble/index.js';
import { FakePebbleServer } from './fake-pebble-server.js';

// Each test spawns real processes on a shared, loaded machine: generous timeouts, no timing asserts.
const SLOW = 20_000;

let fake: FakePebbleServer;
let client: PebbleClient;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
  client = new PebbleClient({ socketPath: fake.socketPath, timeout: 5000 });
});

afterEach(async () => {
  await fake.close();
});

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('exec', () => {
  it('sends Pebble the command and options in its wire form', { timeout: SLOW }, async () => {
    const process = await client.exec(['true'], {
      environment: { A: '1' },
      workingDir: fake.root,
      timeout: 1500,
      user: 'root',
      groupId: 0,
    });
    await process.wait();
    expect(fake.execs.execs[0]?.payload).toEqual({
      command: ['true'],
      environment: { A: '1' },
      'working-dir': fake.root,
      timeout: '1500ms',
      user: 'root',
      'group-id': 0,
      'split-stderr': true,
    });
    const paths = fake.requests.map((r) => r.path);
    const taskId = fake.execs.execs[0]?.taskId;
    expect(paths).toContain(`/v1/tasks/${taskId}/websocket/control`);
    expect(paths).toContain(`/v1/tasks/${taskId}/websocket/stdio`);
    expect(paths).toContain(`/v1/tasks/${taskId}/websocket/stderr`);
  });

  it('collects stdout and stderr separately', { timeout: SLOW }, async () => {
    const process = await client.exec(['sh', '-c', 'echo out; echo err >&2']);
    expect(await process.waitOutput()).toEqual({ stdout: 'out\n', stderr: 'err\n' });
  });

  it('combines stderr into stdout without a stderr websocket', { timeout: SLOW }, async () => {
    const process = await client.exec(['sh', '-c', 'echo out; echo err >&2'], { combineStderr: true });
    const { stdout, stderr } = await process.waitOutput();
    expect(stdout.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(stderr).toBe('');
    expect(fake.execs.execs[0]?.payload['split-stderr']).toBe(false);
    expect(fake.requests.some((r) => r.path.endsWith('/websocket/stderr'))).toBe(false);
  });

  it('feeds stdin given as a string, bytes, or a stream', { timeout: SLOW }, async () => {
    const text = await (await client.exec(['cat'], { stdin: 'hello\n' })).waitOutput();
    expect(text.stdout).toBe('hello\n');
    const bytes = await (await client.exec(['cat'], { stdin: new Uint8Array([104, 105]) })).waitOutput();
    expect(bytes.stdout).toBe('hi');
    const stream = await (await client.exec(['cat'], { stdin: Readable.from(['a', 'b', 'c']) })).waitOutput();
    expect(stream.stdout).toBe('abc');
  });

  it('streams stdin written to process.stdin, ending it at the end message', { timeout: SLOW }, async () => {
    const process = await client.exec(['cat']);
    expect(process.stdin).not.toBeNull();
    process.stdin?.write('one ');
    process.stdin?.write('two');
    process.stdin?.end();
    expect((await process.waitOutput()).stdout).toBe('one two');
    expect(fake.execs.execs[0]?.stdinEnded).toBe(true);
  });

  it('ends an open process.stdin when waiting, so a reader of stdin finishes', {
    timeout: SLOW,
  }, async () => {
    const process = await client.exec(['cat']);
    process.stdin?.write('partial');
    expect((await process.waitOutput()).stdout).toBe('partial');
  });

  it('returns bytes with encoding null', { timeout: SLOW }, async () => {
    const process = await client.exec(['printf', '\\001\\002'], { encoding: null });
    const { stdout } = await process.waitOutput();
    expect(stdout).toBeInstanceOf(Uint8Array);
    expect([...stdout]).toEqual([1, 2]);
  });

  it('streams output into given writables', { timeout: SLOW }, async () => {
    const out = sink();
    const err = sink();
    const process = await client.exec(['sh', '-c', 'echo to-out; echo to-err >&2'], {
      stdout: out.stream,
      stderr: err.stream,
    });
    await process.wait();
    expect(out.text()).toBe('to-out\n');
    expect(err.text()).toBe('to-err\n');
    await expect(process.waitOutput()).rejects.toThrow(TypeError);
  });

  it('passes the environment and working directory', { timeout: SLOW }, async () => {
    const process = await client.exec(['sh', '-c', 'echo "$GREETING"; pwd'], {
      environment: { GREETING: 'hi there' },
      workingDir: fake.dir,
    });
    const { stdout } = await process.waitOutput();
    expect(stdout).toBe(`hi there\n${realpathSync(fake.dir)}\n`);
  });

  it('rejects a non-zero exit with PebbleExecError carrying the output', { timeout: SLOW }, async () => {
    const process = await client.exec(['sh', '-c', 'echo partial; echo broken >&2; exit 3']);
    const error = await process.waitOutput().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleExecError);
    const execError = error as PebbleExecError<string>;
    expect(execError.code).toBe('CHARMKIT_PEBBLE_EXEC');
    expect(execError.exitCode).toBe(3);
    expect(execError.command).toEqual(['sh', '-c', 'echo partial; echo broken >&2; exit 3']);
    expect(execError.stdout).toBe('partial\n');
    expect(execError.stderr).toBe('broken\n');
    expect(execError.message).toBe(
      'non-zero exit code 3 executing "sh", stdout="partial\\n", stderr="broken\\n"',
    );
    // wait() rejects the same way.
    await expect((await client.exec(['false'])).wait()).rejects.toMatchObject({ exitCode: 1 });
  });

  it('truncates long output in the message but keeps it in the error', { timeout: SLOW }, async () => {
    const process = await client.exec(['sh', '-c', 'head -c 3000 /dev/zero | tr "\\0" x; exit 1']);
    const error = (await process.waitOutput().catch((e: unknown) => e)) as PebbleExecError<string>;
    expect(error.stdout).toHaveLength(3000);
    expect(error.message).toContain(`stdout="${'x'.repeat(1024)}" [truncated]`);
    expect(error.message).not.toContain('x'.repeat(1025));
  });

  it('rejects with PebbleExecTimeoutError when the command outlives its timeout', {
    timeout: SLOW,
  }, async () => {
    const process = await client.exec(['sh', '-c', 'echo started; exec sleep 30'], { timeout: 300 });
    const error = await process.waitOutput().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleExecTimeoutError);
    const timeoutError = error as PebbleExecTimeoutError<string>;
    expect(timeoutError.code).toBe('CHARMKIT_PEBBLE_EXEC_TIMEOUT');
    expect(timeoutError.timeout).toBe(300);
    expect(timeoutError.stdout).toBe('started\n');
    expect(fake.execs.execs[0]?.payload.timeout).toBe('300ms');
  });

  it('sends signals over the control websocket', { timeout: SLOW }, async () => {
    let output = '';
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output += chunk.toString('utf8');
        if (output.includes('ready')) onReady();
        callback();
      },
    });
    const script = 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.05; done';
    const process = await client.exec(['sh', '-c', script], { stdin: '', stdout });
    await ready; // the trap is set
    await process.sendSignal('SIGTERM');
    const error = await process.wait().catch((e: unknown) => e);
    expect(fake.execs.execs[0]?.signals).toEqual(['SIGTERM']);
    expect(error).toBeInstanceOf(PebbleExecError);
    expect((error as PebbleExecError).exitCode).toBe(7);
    expect(output).toBe('ready\ngot-term\n');
    // After the exit the control socket is closed: a signal is a connection error.
    await expect(process.sendSignal('SIGTERM')).rejects.toBeInstanceOf(PebbleConnectionError);
  });

  it('reports a missing executable as Pebble does, before any websocket', { timeout: SLOW }, async () => {
    const error = await client.exec(['no-such-command-here']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect((error as PebbleAPIError).statusCode).toBe(400);
    expect((error as PebbleAPIError).pebbleMessage).toBe('cannot find executable "no-such-command-here"');
    expect(fake.requests.some((r) => r.path.includes('/websocket/'))).toBe(false);
  });

  it('turns a refused websocket into PebbleConnectionError', { timeout: SLOW }, async () => {
    fake.execs.refuseWebsocket = 'stderr';
    const error = await client.exec(['true']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleConnectionError);
    expect((error as Error).message).toContain('stderr websocket');
    expect((error as Error).message).toContain('invalid websocket ID');
  });

  it('refuses an empty command and stderr streams with combineStderr', async () => {
    await expect(client.exec([])).rejects.toThrow(TypeError);
    await expect(client.exec(['true'], { combineStderr: true, stderr: sink().stream })).rejects.toThrow(
      TypeError,
    );
    expect(fake.requests).toEqual([]);
  });
});
