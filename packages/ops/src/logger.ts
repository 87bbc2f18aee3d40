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

/**
 * The hook's logger. DEBUG lines go to stdout, which Juju records at DEBUG, so the framework's
 * own chatter costs no process; INFO and above go to `sink` (normally one `juju-log` each). When
 * `JUJU_DEBUG` is set everything is also written to stderr, as ops does.
 */
export class HookLogger implements Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly options: {
      readonly stdout?: (line: string) => void;
      readonly stderr?: (line: string) => void;
      readonly echoToStderr?: boolean;
    } = {},
  ) {}

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

  log(level: LogLevel, message: string): void {
    if (this.options.echoToStderr) (this.options.stderr ?? writeStderr)(`${level} ${message}\n`);
    if (level === 'DEBUG') {
      (this.options.stdout ?? writeStdout)(`DEBUG ${message}\n`);
      return;
    }
    this.sink(level, message);
  }
}

/** A logger that keeps every line in memory: for tests and the testing package. */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
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
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
}

function writeStdout(line: string): void {
  process.stdout.write(line);
}
function writeStderr(line: string): void {
  process.stderr.write(line);
}
