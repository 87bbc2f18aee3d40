import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { HookKilledSignal, type HookSession } from './hook-session.js';
import { runSimulatedTool } from './tool-commands.js';
import { decodeNetstrings, encodeNetstrings, WIRE_VERSION } from './wire-protocol.js';

/**
 * The simulator's unit agent: a unix-socket server that answers the hook-tool clients on the hook
 * processes' PATH. Each request names its hook by `JUJU_CONTEXT_ID`; only a hook that is running
 * gets answers, as with Juju (a stray or late call gets an error).
 */
export class ToolServer {
  readonly #sessions = new Map<string, HookSession>();
  /** Tool calls answered. */
  calls = 0;
  /** Milliseconds spent answering them (inside the simulator, not counting the client process). */
  serveMs = 0;

  private constructor(
    private readonly server: Server,
    /** The socket path (`JUJU_AGENT_SOCKET_ADDRESS`). */
    readonly socketPath: string,
  ) {}

  /** Listens on `socketPath` (replacing a stale socket file). */
  static async listen(socketPath: string): Promise<ToolServer> {
    if (existsSync(socketPath)) rmSync(socketPath);
    const server = createServer();
    const toolServer = new ToolServer(server, socketPath);
    server.on('connection', (socket) => toolServer.#serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return toolServer;
  }

  /** Lets `session`'s hook call tools. */
  open(session: HookSession): void {
    this.#sessions.set(session.contextId, session);
  }

  /** Stops answering `session`'s hook. */
  close(session: HookSession): void {
    this.#sessions.delete(session.contextId);
  }

  /** Stops listening and removes the socket file. */
  async shutdown(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }

  #serve(socket: Socket): void {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      const started = performance.now();
      const reply = (exitCode: number, stdout: string, stderr: string): void => {
        socket.end(encodeNetstrings([String(exitCode), stdout, stderr]));
      };
      const fields = decodeNetstrings(Buffer.concat(chunks));
      if (fields === null || fields.length < 5 || fields[0] !== WIRE_VERSION) {
        reply(1, '', 'ERROR bad request: not a charmkit simulator hook-tool request\n');
        return;
      }
      const [, contextId = '', tool = '', cwd = '', stdin = '', ...args] = fields;
      const session = this.#sessions.get(contextId);
      if (!session || session.closed) {
        reply(1, '', `ERROR bad request: no hook is running with context id "${contextId}"\n`);
        return;
      }
      try {
        const response = runSimulatedTool(session, { tool, args, stdin, cwd });
        reply(response.exitCode, response.stdout, response.stderr);
      } catch (error) {
        // A kill fault: the hook process is being killed; its tool call never returns.
        if (error instanceof HookKilledSignal) socket.destroy();
        else
          reply(1, '', `ERROR simulator error: ${error instanceof Error ? error.message : String(error)}\n`);
      } finally {
        this.calls++;
        this.serveMs += performance.now() - started;
      }
    });
  }
}
