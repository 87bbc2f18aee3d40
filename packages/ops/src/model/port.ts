import type { IcmpPort, PortRange } from '../hook-tools/ports.js';
import { formatPort } from '../hook-tools/ports.js';
import { describe } from '../hook-tools/validate.js';
import type { ModelBackend, Port } from './model-backend.js';
import { InvalidPortError } from './model-errors.js';

export type { IcmpPort, Port, PortRange };

/** The protocols Juju can open. */
export type PortProtocol = 'tcp' | 'udp' | 'icmp';

/** A single port, or an inclusive range as `[from, to]`. */
export type PortNumberOrRange = number | readonly [from: number, to: number];

function checkPortNumber(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InvalidPortError(`${what} must be an integer from 1 to 65535, got ${describe(value)}`);
  }
  return value;
}

/** Builds and checks a {@link Port} from `openPort`-style arguments. */
export function makePort(protocol: unknown, port?: unknown): Port {
  if (protocol === 'icmp') {
    if (port !== undefined) throw new InvalidPortError(`icmp has no ports, got ${describe(port)}`);
    return { protocol: 'icmp' };
  }
  if (protocol !== 'tcp' && protocol !== 'udp') {
    throw new InvalidPortError(`protocol must be "tcp", "udp" or "icmp", got ${describe(protocol)}`);
  }
  if (port === undefined) throw new InvalidPortError(`a ${protocol} port needs a port number or range`);
  if (Array.isArray(port)) {
    if (port.length !== 2) {
      throw new InvalidPortError(`a port range is [from, to], got an array of ${port.length} items`);
    }
    const from = checkPortNumber(`${protocol} range start`, port[0]);
    const to = checkPortNumber(`${protocol} range end`, port[1]);
    if (to < from) throw new InvalidPortError(`${protocol} range ${from}-${to} ends before it starts`);
    return from === to ? { protocol, port: from } : { protocol, port: from, toPort: to };
  }
  return { protocol, port: checkPortNumber(`${protocol} port`, port) };
}

/** Checks a {@link Port} object (or a bare number, meaning TCP) and returns a clean copy. */
export function normalisePort(port: unknown): Port {
  if (typeof port === 'number') return makePort('tcp', port);
  if (typeof port !== 'object' || port === null) {
    throw new InvalidPortError(
      `a port must be a number or { protocol, port, toPort? }, got ${describe(port)}`,
    );
  }
  const { protocol, port: from, toPort } = port as { protocol?: unknown; port?: unknown; toPort?: unknown };
  if (protocol === 'icmp') return makePort('icmp', from);
  return makePort(protocol, toPort === undefined ? from : [from, toPort]);
}

/** `80/tcp`, `8000-8010/udp`, `icmp`: one key per distinct port or range. */
export function portKey(port: Port): string {
  return formatPort(port);
}

/** Orders ports as `opened-ports` does: tcp, then udp, then icmp; by first port. */
export function comparePorts(a: Port, b: Port): number {
  const rank = { tcp: 0, udp: 1, icmp: 2 } as const;
  if (a.protocol !== b.protocol) return rank[a.protocol] - rank[b.protocol];
  if (a.protocol === 'icmp' || b.protocol === 'icmp') return 0;
  return a.port - b.port || (a.toPort ?? a.port) - (b.toPort ?? b.port);
}

/**
 * The port changes of one hook, buffered: Juju applies `open-port`/`close-port` only when the
 * hook succeeds (and `opened-ports` does not show them before), so sending them at commit changes
 * nothing but lets a failed deferred handler's changes be undone and repeated changes fold.
 */
export class PortWrites {
  #committed: Port[] | null = null;
  #pending = new Map<string, { port: Port; open: boolean }>();

  /** The committed ports (one `opened-ports` per hook). */
  committed(backend: ModelBackend): readonly Port[] {
    this.#committed ??= backend.openedPorts();
    return this.#committed;
  }

  /** Buffers an open (`open: true`) or close of `port`; the last change per port wins. */
  change(port: Port, open: boolean): void {
    const key = portKey(port);
    // Re-inserting keeps the call order of the last change.
    this.#pending.delete(key);
    this.#pending.set(key, { port, open });
  }

  /** The ports open once this hook commits: committed ones with the pending changes applied. */
  view(backend: ModelBackend): Port[] {
    const open = new Map(this.committed(backend).map((p) => [portKey(p), p] as const));
    for (const [key, { port, open: isOpen }] of this.#pending) {
      if (isOpen) open.set(key, port);
      else open.delete(key);
    }
    return [...open.values()].sort(comparePorts);
  }

  /**
   * Sends the changes: closes first (so a range can be replaced by an overlapping one), then
   * opens. When `opened-ports` was read, changes that would not change anything are skipped.
   */
  flush(backend: ModelBackend): void {
    const known = this.#committed === null ? null : new Set(this.#committed.map(portKey));
    const after = this.#committed === null ? null : this.view(backend);
    const changes = [...this.#pending.entries()];
    this.#pending = new Map();
    for (const [key, { port, open }] of changes) {
      if (!open && (known === null || known.has(key))) backend.closePort(port);
    }
    for (const [key, { port, open }] of changes) {
      if (open && (known === null || !known.has(key))) backend.openPort(port);
    }
    if (after !== null) this.#committed = after;
  }

  /** Captures the buffered changes; the returned function puts them back. */
  checkpoint(): () => void {
    if (this.#pending.size === 0) return () => this.#pending.clear();
    const saved = new Map(this.#pending);
    return () => {
      this.#pending = new Map(saved);
    };
  }
}
