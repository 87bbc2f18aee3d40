import { HookToolOutputError, invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { stringList } from './schemas.js';
import { describe, ENDPOINT_NAME, requireInteger } from './validate.js';

/** A TCP or UDP port, or a range of them (`toPort` inclusive). */
export interface PortRange {
  readonly protocol: 'tcp' | 'udp';
  /** The (first) port, 1–65535. */
  readonly port: number;
  /** The last port of a range; absent for a single port. */
  readonly toPort?: number;
}

/** ICMP (no ports). */
export interface IcmpPort {
  readonly protocol: 'icmp';
}

/** What `open-port`/`close-port` take and `opened-ports` lists. */
export type Port = PortRange | IcmpPort;

/** An entry of `opened-ports`. */
export type OpenedPort = Port & {
  /**
   * With `endpoints: true` only: the endpoints the range is open for, or `'*'` for all of them.
   */
  readonly endpoints?: '*' | readonly string[];
};

/** Options of {@link openPort} and {@link closePort}. */
export interface PortOptions {
  /** Only for these endpoints (`--endpoints a,b`); default: all endpoints. */
  readonly endpoints?: readonly string[];
}

/**
 * Opens a port, a range or ICMP: `open-port [--endpoints=a,b] -- <port>/<proto>` (also
 * `<from>-<to>/<proto>`, or `icmp`). A bare number means TCP. Buffered: applied when the hook
 * exits 0, so {@link openedPorts} does not show it in the same hook.
 */
export function openPort(runner: ToolRunner, port: Port | number, options: PortOptions = {}): void {
  runner.run('open-port', portArgs('open-port', port, options));
}

/** Closes a port, range or ICMP: `close-port [--endpoints=a,b] -- <spec>`. Buffered like open-port. */
export function closePort(runner: ToolRunner, port: Port | number, options: PortOptions = {}): void {
  runner.run('close-port', portArgs('close-port', port, options));
}

/** Options of {@link openedPorts}. */
export interface OpenedPortsOptions {
  /** Also report the endpoints each range is open for (`--endpoints`). */
  readonly endpoints?: boolean;
}

/**
 * The ports opened by committed hooks, sorted: `opened-ports --format=json [--endpoints]`.
 * Juju prints `"80/tcp"`, `"8000-8010/udp"`, `"icmp"`, with `--endpoints` followed by
 * `" (*)"` or `" (ep1, ep2)"`.
 */
export function openedPorts(runner: ToolRunner, options: OpenedPortsOptions = {}): OpenedPort[] {
  const args = options.endpoints === true ? ['--endpoints'] : [];
  const entries = runner.runJson('opened-ports', args, stringList);
  return entries.map((entry) => {
    const parsed = parseOpenedPort(entry);
    if (parsed === undefined) {
      throw new HookToolOutputError(
        `opened-ports printed ${JSON.stringify(entry)}, which is not a port range`,
        {
          tool: 'opened-ports',
          args: ['--format=json', ...args],
          exitCode: 0,
          stderr: '',
        },
      );
    }
    return parsed;
  });
}

const OPENED_PORT = /^(?:(icmp)|(\d+)(?:-(\d+))?\/(tcp|udp))(?: \((.*)\))?$/;

/**
 * Parses one `opened-ports` entry (`"80/tcp"`, `"8000-8010/udp"`, `"icmp"`, optionally followed by
 * `" (*)"` or `" (ep1, ep2)"`); `undefined` if it is not of that shape.
 */
export function parseOpenedPort(text: string): OpenedPort | undefined {
  const match = OPENED_PORT.exec(text);
  if (match === null) return undefined;
  const [, icmp, from, to, protocol, endpointList] = match;
  const endpoints =
    endpointList === undefined
      ? {}
      : { endpoints: endpointList === '*' ? ('*' as const) : endpointList.split(', ') };
  if (icmp !== undefined) return { protocol: 'icmp', ...endpoints };
  const port = Number(from);
  const range = to === undefined || Number(to) === port ? {} : { toPort: Number(to) };
  return { protocol: protocol as 'tcp' | 'udp', port, ...range, ...endpoints };
}

/** The command-line form of a port: `80/tcp`, `8000-8010/udp`, `icmp`. */
export function formatPort(port: Port): string {
  if (port.protocol === 'icmp') return 'icmp';
  return port.toPort === undefined
    ? `${port.port}/${port.protocol}`
    : `${port.port}-${port.toPort}/${port.protocol}`;
}

function portArgs(tool: string, port: Port | number, options: PortOptions): string[] {
  const spec = checkPort(tool, typeof port === 'number' ? { protocol: 'tcp', port } : port);
  const args: string[] = [];
  if (options.endpoints !== undefined) {
    if (!Array.isArray(options.endpoints) || options.endpoints.length === 0) {
      throw invalidArgument(
        tool,
        'endpoints must be a non-empty list of endpoint names (omit it for all endpoints)',
      );
    }
    for (const endpoint of options.endpoints) {
      if (typeof endpoint !== 'string' || !ENDPOINT_NAME.test(endpoint)) {
        throw invalidArgument(tool, `endpoint ${describe(endpoint)} is not an endpoint name`);
      }
    }
    args.push(`--endpoints=${options.endpoints.join(',')}`);
  }
  args.push('--', formatPort(spec));
  return args;
}

function checkPort(tool: string, port: Port): Port {
  if (typeof port !== 'object' || port === null) {
    throw invalidArgument(
      tool,
      `port must be a number or { protocol, port, toPort? }, got ${describe(port)}`,
    );
  }
  if (port.protocol === 'icmp') {
    if ('port' in port) throw invalidArgument(tool, 'icmp takes no port');
    return port;
  }
  if (port.protocol !== 'tcp' && port.protocol !== 'udp') {
    throw invalidArgument(
      tool,
      `protocol must be tcp, udp or icmp, got ${describe((port as { protocol: unknown }).protocol)}`,
    );
  }
  requireInteger(tool, 'port', port.port, 1, 65535);
  if (port.toPort !== undefined) requireInteger(tool, 'toPort', port.toPort, port.port, 65535);
  return port;
}
