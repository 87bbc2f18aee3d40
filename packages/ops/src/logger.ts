import { writeSync } from 'node:fs';

/** Log levels, as `juju-log --log-level` spells them. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Where the framework and charms write log lines. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  log(level: LogLevel, message: string): void;
}

/** Sends INFO and above somewhere (in production: `juju-log`), one call per line. */
export type LogSink = (level: Exclude<LogLevel, 'DEBUG'>, message: string) => void;

/** The level methods of every logger, in terms of {@link Logger.log}. */
export abstract class LevelLogger implements Logger {
  abstract log(level: LogLevel, message: string): void;
  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
}

/** DEBUG output is written in pieces of about this many characters. */
const DEBUG_BUFFER_CHARS = 64 * 1024;

/**
 * The hook's logger. DEBUG lines go to stdout, which Juju records at DEBUG, so the framework's
 * own chatter costs no process; INFO and above go to `sink` (normally one `juju-log` each). When
 * `JUJU_DEBUG` is set everything is also written to stderr, as ops does.
 *
 * DEBUG lines are buffered and written 64 KiB at a time (stdout to a pipe is one system call per
 * write, and re-emitting 10 000 deferred events logs 20 000 lines), and always before a line goes
 * to `sink`, so the order is kept. Call {@link HookLogger.flush} before the process ends.
 */
export class HookLogger extends LevelLogger {
  #buffer: string[] = [];
  #buffered = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly options: {
      readonly stdout?: (line: string) => void;
      readonly stderr?: (line: string) => void;
      readonly echoToStderr?: boolean;
    } = {},
  ) {
    super();
  }

  override log(level: LogLevel, message: string): void {
    if (this.options.echoToStderr) (this.options.stderr ?? writeStderr)(`${level} ${message}\n`);
    if (level === 'DEBUG') {
      const line = `DEBUG ${message}\n`;
      this.#buffer.push(line);
      this.#buffered += line.length;
      if (this.#buffered >= DEBUG_BUFFER_CHARS) this.flush();
      return;
    }
    this.flush();
    this.sink(level, message);
  }

  /** Writes the buffered DEBUG lines. */
  flush(): void {
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    this.#buffered = 0;
    (this.options.stdout ?? writeStdout)(text);
  }
}

/** A logger that keeps every line in memory: for tests and the testing package. */
export class MemoryLogger extends LevelLogger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  override log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
}

/**
 * Writes to file descriptor 1 directly: creating `process.stdout` costs about a millisecond, a
 * noticeable part of a short hook. Falls back to the stream when the descriptor would block.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written, bytes.length - written);
  } catch {
    process.stdout.write(bytes.subarray(written));
  }
}
function writeStderr(line: string): void {
  process.stderr.write(line);
}
