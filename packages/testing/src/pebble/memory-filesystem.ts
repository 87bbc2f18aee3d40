import { posix } from 'node:path';
import type { FileInfo, FileOwnership } from '@charmkit/ops/pebble';
import { PebblePathError } from '@charmkit/ops/pebble';

/** A file or directory as a test gives it, or as a container's in-memory filesystem reports it. */
export interface FileEntry extends FileOwnership {
  /** Default `'file'`. */
  readonly type?: 'file' | 'directory';
  /** A file's content (text is stored as UTF-8). */
  readonly content?: string | Uint8Array;
  /** Permission bits; default `0o644` for files, `0o755` for directories (Pebble's). */
  readonly permissions?: number;
}

interface Node extends FileOwnership {
  type: 'file' | 'directory';
  data: Uint8Array;
  permissions: number;
  lastModified: Date;
}

const notFound = (path: string, op: string) =>
  new PebblePathError(path, 'not-found', `${op} ${path}: no such file or directory`);
const generic = (path: string, message: string) => new PebblePathError(path, 'generic-file-error', message);

function owner(options: FileOwnership): FileOwnership {
  const out: { -readonly [K in keyof FileOwnership]: FileOwnership[K] } = {};
  if (options.user !== undefined) out.user = options.user;
  if (options.userId !== undefined) out.userId = options.userId;
  if (options.group !== undefined) out.group = options.group;
  if (options.groupId !== undefined) out.groupId = options.groupId;
  return out;
}

/** Go's `path.Match` for one name: `*`, `?`, `[...]` (with `^`/`!` negation) and `\` escapes. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += `\\${pattern[++i]}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new RangeError('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * A container's filesystem in memory: a tree of files and directories with permissions and
 * owners, failing as Pebble's file API does (`PebblePathError` with Pebble's kinds and messages).
 */
export class MemoryFilesystem {
  readonly #nodes = new Map<string, Node>();

  constructor(
    entries: Readonly<Record<string, string | Uint8Array | FileEntry>> = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#nodes.set('/', {
      type: 'directory',
      data: new Uint8Array(),
      permissions: 0o755,
      lastModified: now(),
    });
    for (const [path, value] of Object.entries(entries)) {
      const entry: FileEntry =
        typeof value === 'string' || value instanceof Uint8Array ? { content: value } : value;
      const absolute = this.#absolute(path);
      this.#makeParents(posix.dirname(absolute), {});
      if (entry.type === 'directory') this.#makeParents(absolute, entry, entry.permissions);
      else this.#write(absolute, entry.content ?? '', entry, entry.permissions ?? 0o644);
    }
  }

  #absolute(path: string): string {
    if (!path.startsWith('/')) throw generic(path, `paths must be absolute, got ${JSON.stringify(path)}`);
    return posix.normalize(path).replace(/(.)\/$/, '$1');
  }

  #write(path: string, content: string | Uint8Array, own: FileOwnership, permissions: number): void {
    const data = typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'utf8')) : content;
    this.#nodes.set(path, {
      type: 'file',
      data: new Uint8Array(data),
      permissions,
      lastModified: this.now(),
      ...owner(own),
    });
  }

  #makeParents(path: string, own: FileOwnership, permissions = 0o755): void {
    const node = this.#nodes.get(path);
    if (node?.type === 'directory') return;
    if (node) throw generic(path, `mkdir ${path}: not a directory`);
    this.#makeParents(posix.dirname(path), own);
    this.#nodes.set(path, {
      type: 'directory',
      data: new Uint8Array(),
      permissions,
      lastModified: this.now(),
      ...owner(own),
    });
  }

  /** Pebble's `write`: the parent must exist unless `makeDirs`. */
  push(
    path: string,
    data: string | Uint8Array,
    options: FileOwnership & { permissions?: number; makeDirs?: boolean; encoding?: BufferEncoding } = {},
  ): void {
    const absolute = this.#absolute(path);
    const parent = posix.dirname(absolute);
    if (options.makeDirs) this.#makeParents(parent, options);
    const dir = this.#nodes.get(parent);
    if (!dir) throw notFound(path, 'open');
    if (dir.type !== 'directory') throw generic(path, `open ${absolute}: not a directory`);
    if (this.#nodes.get(absolute)?.type === 'directory')
      throw generic(path, `open ${absolute}: is a directory`);
    const bytes = typeof data === 'string' ? Buffer.from(data, options.encoding ?? 'utf8') : data;
    this.#write(absolute, bytes, options, options.permissions ?? 0o644);
  }

  /** A regular file's bytes. */
  pull(path: string): Uint8Array {
    const absolute = this.#absolute(path);
    const node = this.#nodes.get(absolute);
    if (!node) throw notFound(path, 'open');
    if (node.type !== 'file')
      throw generic(path, `can only read a regular file: ${JSON.stringify(absolute)}`);
    return new Uint8Array(node.data);
  }

  #info(path: string, node: Node): FileInfo {
    const info: FileInfo = {
      path,
      name: path === '/' ? '/' : posix.basename(path),
      type: node.type,
      permissions: node.permissions,
      lastModified: node.lastModified,
      ...owner(node),
    };
    if (node.type === 'file') info.size = node.data.length;
    return info;
  }

  /** Pebble's `list`: a directory's entries (by name), or the file (or, with `itself`, directory). */
  list(path: string, options: { pattern?: string; itself?: boolean } = {}): FileInfo[] {
    const absolute = this.#absolute(path);
    const node = this.#nodes.get(absolute);
    if (!node) throw notFound(path, 'stat');
    if (node.type !== 'directory' || options.itself) return [this.#info(absolute, node)];
    const match = options.pattern === undefined ? null : globToRegExp(options.pattern);
    return this.#children(absolute)
      .filter((child) => match === null || match.test(posix.basename(child)))
      .map((child) => this.#info(child, this.#nodes.get(child) as Node));
  }

  #children(dir: string): string[] {
    return [...this.#nodes.keys()].filter((p) => p !== dir && posix.dirname(p) === dir).sort();
  }

  /** The node's type, or undefined when nothing is there. */
  typeOf(path: string): 'file' | 'directory' | undefined {
    return this.#nodes.get(this.#absolute(path))?.type;
  }

  /** Pebble's `make-dirs`. */
  makeDir(path: string, options: FileOwnership & { makeParents?: boolean; permissions?: number } = {}): void {
    const absolute = this.#absolute(path);
    const existing = this.#nodes.get(absolute);
    if (options.makeParents) {
      if (existing && existing.type !== 'directory')
        throw generic(path, `mkdir ${absolute}: not a directory`);
      this.#makeParents(absolute, options, options.permissions ?? 0o755);
      return;
    }
    if (existing) throw generic(path, `mkdir ${absolute}: file exists`);
    const parent = this.#nodes.get(posix.dirname(absolute));
    if (!parent) throw notFound(path, 'mkdir');
    if (parent.type !== 'directory') throw generic(path, `mkdir ${absolute}: not a directory`);
    this.#makeParents(absolute, options, options.permissions ?? 0o755);
  }

  /** Pebble's `remove`: a file or empty directory, or with `recursive` a tree (missing is fine then). */
  remove(path: string, options: { recursive?: boolean } = {}): void {
    const absolute = this.#absolute(path);
    const node = this.#nodes.get(absolute);
    if (!node) {
      if (options.recursive) return;
      throw notFound(path, 'remove');
    }
    if (absolute === '/') throw generic(path, 'cannot remove the root directory');
    if (node.type === 'directory') {
      const inside = [...this.#nodes.keys()].filter((p) => p.startsWith(`${absolute}/`));
      if (inside.length && !options.recursive) throw generic(path, `remove ${absolute}: directory not empty`);
      for (const p of inside) this.#nodes.delete(p);
    }
    this.#nodes.delete(absolute);
  }

  /** Every file and directory but the root, by path: what an output state shows. */
  entries(): Record<string, FileEntry> {
    const out: Record<string, FileEntry> = {};
    for (const path of [...this.#nodes.keys()].sort()) {
      const node = this.#nodes.get(path) as Node;
      if (path === '/') continue;
      out[path] =
        node.type === 'directory'
          ? { type: 'directory', permissions: node.permissions, ...owner(node) }
          : {
              type: 'file',
              content: new Uint8Array(node.data),
              permissions: node.permissions,
              ...owner(node),
            };
    }
    return out;
  }
}
