import type { Change, CheckInfo, Identity, Layer, Notice, Plan, ServiceStatus } from '@charmkit/ops/pebble';
import type { ExecCall, ExecHandler } from '../pebble/exec-handler.js';
import type { FileEntry } from '../pebble/memory-filesystem.js';
import type { SentSignal } from '../pebble/memory-pebble.js';
import { type CheckInfoInit, makeCheckInfo, makeNotice, type NoticeInit } from '../pebble/pebble-records.js';
import { planOf } from '../pebble/plan-rules.js';

/** What a test says about a workload container; every field is optional. */
export interface ContainerInit {
  /** Whether the charm can reach the container's Pebble (default true). */
  readonly canConnect?: boolean;
  /** Pebble layers by label, lowest first. */
  readonly layers?: Readonly<Record<string, Layer>>;
  /** Service statuses by name (services not named are `inactive`); active ones count as started with the plan. */
  readonly serviceStatuses?: Readonly<Record<string, ServiceStatus>>;
  /** The filesystem: absolute path → text, bytes or a {@link FileEntry}; parents are created. */
  readonly files?: Readonly<Record<string, string | Uint8Array | FileEntry>>;
  /** Stand-ins for the commands the charm runs: the longest matching command prefix wins. */
  readonly execHandlers?: readonly ExecHandler[];
  /** Check states; checks in the plan that are not listed are `up` (or `inactive` when disabled). */
  readonly checks?: readonly CheckInfoInit[];
  /** Pebble notices; each gets an id when it has none. */
  readonly notices?: readonly NoticeInit[];
  readonly identities?: Readonly<Record<string, Identity>>;
  /** Commands the charm ran (output). */
  readonly execs?: readonly ExecCall[];
  /** Service changes (start, stop, restart, replan…) the charm caused (output). */
  readonly changes?: readonly Change[];
  /** Signals the charm sent to services (output). */
  readonly signals?: readonly SentSignal[];
}

function entry(value: string | Uint8Array | FileEntry): FileEntry {
  return typeof value === 'string' || value instanceof Uint8Array
    ? Object.freeze({ type: 'file', content: value })
    : Object.freeze({ type: 'file', ...value });
}

/**
 * A workload container of a Kubernetes charm as a test sets it up (ops' `testing.Container`):
 * immutable; build another with {@link Container.with}. In the output state it shows the plan,
 * services, files, the commands that ran and the notices added.
 *
 * ```ts
 * const web = new Container('web', { files: { '/etc/web.conf': 'port: 80' } });
 * const out = await ctx.run(ctx.on.pebbleReady(web), new State({ containers: [web] }));
 * out.getContainer('web').serviceStatuses // { web: 'active' }
 * ```
 */
export class Container<N extends string = string> {
  readonly name: N;
  readonly canConnect: boolean;
  readonly layers: Readonly<Record<string, Layer>>;
  readonly serviceStatuses: Readonly<Record<string, ServiceStatus>>;
  readonly files: Readonly<Record<string, FileEntry>>;
  readonly execHandlers: readonly ExecHandler[];
  readonly checks: readonly CheckInfo[];
  readonly notices: readonly Notice[];
  readonly identities: Readonly<Record<string, Identity>>;
  readonly execs: readonly ExecCall[];
  readonly changes: readonly Change[];
  readonly signals: readonly SentSignal[];

  constructor(name: N, init: ContainerInit = {}) {
    this.name = name;
    this.canConnect = init.canConnect ?? true;
    this.layers = Object.freeze({ ...init.layers });
    this.serviceStatuses = Object.freeze({ ...init.serviceStatuses });
    this.files = Object.freeze(
      Object.fromEntries(Object.entries(init.files ?? {}).map(([p, v]) => [p, entry(v)])),
    );
    this.execHandlers = Object.freeze([...(init.execHandlers ?? [])]);
    this.checks = Object.freeze((init.checks ?? []).map((c) => Object.freeze(makeCheckInfo(c))));
    this.notices = Object.freeze((init.notices ?? []).map((n) => Object.freeze(makeNotice(n))));
    this.identities = Object.freeze({ ...init.identities });
    this.execs = Object.freeze([...(init.execs ?? [])]);
    this.changes = Object.freeze([...(init.changes ?? [])]);
    this.signals = Object.freeze([...(init.signals ?? [])]);
    Object.freeze(this);
  }

  /** The plan of {@link layers}, combined by Pebble's rules. */
  get plan(): Plan {
    return planOf(Object.entries(this.layers).map(([label, layer]) => ({ label, layer })));
  }

  /** A file's content as UTF-8 text; throws RangeError when there is no such file. */
  readText(path: string): string {
    const file = this.files[path];
    if (file === undefined || file.type === 'directory' || file.content === undefined)
      throw new RangeError(`container ${this.name} has no file ${JSON.stringify(path)}`);
    return typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8');
  }

  /** The notice with this key (the latest type match: custom unless `type` is given). */
  getNotice(key: string, type = 'custom'): Notice | undefined {
    return this.notices.find((n) => n.key === key && n.type === type);
  }

  /** The check's state, or undefined. */
  getCheck(name: string): CheckInfo | undefined {
    return this.checks.find((c) => c.name === name);
  }

  /** A copy with some fields replaced. */
  with(changes: ContainerInit): Container<N> {
    return new Container(this.name, { ...this, ...changes });
  }
}
