import { connect } from 'node:net';

/** A RESP value as Redis replies it. */
export type RespValue = string | number | null | RespValue[] | RespError;

/** An error reply (`-ERR …`). */
export class RespError {
  constructor(readonly message: string) {}
}

function encode(args: readonly (string | number)[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`;
}

/** Parses one reply at `offset`; null when `buffer` does not hold all of it yet. */
function parse(buffer: Buffer, offset: number): [RespValue, number] | null {
  const end = buffer.indexOf('\r\n', offset);
  if (end === -1) return null;
  const type = String.fromCharCode(buffer[offset] as number);
  const line = buffer.toString('utf8', offset + 1, end);
  const next = end + 2;
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [new RespError(line), next];
    case ':':
      return [Number(line), next];
    case '$': {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buffer.length < next + length + 2) return null;
      return [buffer.toString('utf8', next, next + length), next + length + 2];
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (!item) return null;
        items.push(item[0]);
        at = item[1];
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/**
 * Sends `commands` on one connection to a Redis or Sentinel server (each a list of words, e.g.
 * `['AUTH', password]`) and resolves to their replies in order. Enough RESP for a charm's few
 * admin commands, with no dependency and a hard timeout: a hook must never hang on the workload.
 */
export function respCommands(
  host: string,
  port: number,
  commands: readonly (readonly (string | number)[])[],
  timeoutMs = 3000,
): Promise<RespValue[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = Buffer.alloc(0);
    const replies: RespValue[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let offset = 0;
      for (;;) {
        const parsed = parse(buffer, offset);
        if (!parsed) break;
        replies.push(parsed[0]);
        offset = parsed[1];
      }
      buffer = buffer.subarray(offset);
      if (replies.length >= commands.length) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
