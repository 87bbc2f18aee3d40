import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MissingExecHandlerError } from '../../src/pebble/errors.js';
import { MemoryPebble } from '../../src/pebble/memory-pebble.js';

describe('MemoryPebble exec', () => {
  it('answers with the handler of the longest matching prefix and records every call', async () => {
    const pebble = new MemoryPebble({
      execHandlers: [
        { command: ['nginx'], stdout: 'short' },
        { command: ['nginx', '-t'], stdout: 'long', stderr: 'warn' },
      ],
    });
    const tested = await pebble.exec(['nginx', '-t', '-q'], {
      environment: { A: '1' },
      workingDir: '/srv',
      user: 'www',
    });
    expect(await tested.waitOutput()).toEqual({ stdout: 'long', stderr: 'warn' });
    await (await pebble.exec(['nginx', '-s', 'reload'])).wait();
    expect(pebble.execs).toEqual([
      { command: ['nginx', '-t', '-q'], environment: { A: '1' }, workingDir: '/srv', user: 'www', stdin: '' },
      { command: ['nginx', '-s', 'reload'], environment: {}, stdin: '' },
    ]);
  });

  it('runs a handler function with the arguments, environment and stdin', async () => {
    const pebble = new MemoryPebble({
      execHandlers: [
        {
          command: ['tr'],
          run: (call) => ({ stdout: call.stdin.toUpperCase() + (call.environment.SUFFIX ?? '') }),
        },
      ],
    });
    const given = await pebble.exec(['tr', 'a-z', 'A-Z'], { stdin: 'hello', environment: { SUFFIX: '!' } });
    expect((await given.waitOutput()).stdout).toBe('HELLO!');
    const streamed = await pebble.exec(['tr', 'a-z', 'A-Z'], { stdin: Readable.from(['a', 'b']) });
    expect((await streamed.waitOutput()).stdout).toBe('AB');
    const piped = await pebble.exec(['tr', 'a-z', 'A-Z']);
    piped.stdin?.write('x');
    piped.stdin?.end('y');
    expect((await piped.waitOutput()).stdout).toBe('XY');
    expect(pebble.execs.map((c) => c.stdin)).toEqual(['hello', 'ab', 'xy']);
  });

  it('combines stderr, gives bytes, and streams into the given writable', async () => {
    const pebble = new MemoryPebble({ execHandlers: [{ command: ['sh'], stdout: 'out', stderr: 'err' }] });
    const combined = await pebble.exec(['sh'], { combineStderr: true });
    expect(await combined.waitOutput()).toEqual({ stdout: 'outerr', stderr: '' });
    const bytes = await pebble.exec(['sh'], { encoding: null });
    expect((await bytes.waitOutput()).stdout).toEqual(new Uint8Array(Buffer.from('out')));
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const streamed = await pebble.exec(['sh'], { stdout: sink });
    await streamed.wait();
    expect(chunks.join('')).toBe('out');
    await expect(streamed.waitOutput()).rejects.toThrow(TypeError);
  });

  it('fails a non-zero exit with the real client error class, carrying the output', async () => {
    const pebble = new MemoryPebble({
      execHandlers: [{ command: ['false'], exitCode: 3, stdout: 'o', stderr: 'bad' }],
    });
    const process = await pebble.exec(['false']);
    const error = await process.waitOutput().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHARMKIT_PEBBLE_EXEC', exitCode: 3, stdout: 'o', stderr: 'bad' });
    await expect(process.wait()).rejects.toMatchObject({ exitCode: 3 });
  });

  it('fails a command that outlives its timeout with the real client timeout error', async () => {
    const pebble = new MemoryPebble({
      execHandlers: [{ command: ['sleep'], timedOut: true, stdout: 'partial' }],
    });
    const process = await pebble.exec(['sleep', '100'], { timeout: 500 });
    const error = await process.wait().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHARMKIT_PEBBLE_EXEC_TIMEOUT', timeout: 500, stdout: 'partial' });
  });

  it('refuses a command nothing handles with a testing error, not a Pebble one', async () => {
    const pebble = new MemoryPebble({ name: 'web', execHandlers: [{ command: ['ls', '-l'] }] });
    const error = await pebble.exec(['ls']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingExecHandlerError);
    expect((error as Error).message).toContain('container "web"');
    expect((error as Error).message).toContain('["ls"]');
    expect(pebble.execs).toEqual([]);
  });
});
