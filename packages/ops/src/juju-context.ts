import { JujuContextError } from './errors.js';

/**
 * The hook's context, parsed from the `JUJU_*` environment Juju builds for every hook and action.
 * Optional parts are null when the variable is absent or empty.
 */
export interface JujuContext {
  readonly charmDir: string;
  readonly dispatchPath: string;
  readonly hookName: string;
  readonly contextId: string;
  readonly unitName: string;
  readonly appName: string;
  readonly modelName: string;
  readonly modelUuid: string;
  readonly version: string;
  /** `JUJU_VERSION` parsed: ask `jujuVersion.major >= 4` for what Juju 4 changed. */
  readonly jujuVersion: JujuVersion;
  /**
   * `JUJU_TARGET_BASE` (e.g. `ubuntu@22.04`), in the hooks where Juju sets it; null elsewhere. Juju 4
   * has no `JUJU_TARGET_SERIES` (series are gone in favour of bases), so charmkit reads only this.
   */
  readonly targetBase: string | null;
  readonly machineId: string | null;
  readonly principalUnit: string | null;
  readonly availabilityZone: string | null;
  readonly apiAddresses: readonly string[];
  readonly agentSocketAddress: string | null;
  readonly agentSocketNetwork: string | null;
  readonly debug: boolean;
  readonly debugAt: ReadonlySet<string>;
  readonly actionName: string | null;
  readonly actionUuid: string | null;
  readonly actionTag: string | null;
  readonly relationName: string | null;
  readonly relationId: number | null;
  readonly remoteApp: string | null;
  readonly remoteUnit: string | null;
  readonly departingUnit: string | null;
  readonly secretId: string | null;
  readonly secretLabel: string | null;
  readonly secretRevision: number | null;
  readonly storageName: string | null;
  readonly storageIndex: number | null;
  readonly storageLocation: string | null;
  readonly storageKind: 'filesystem' | 'block' | null;
  readonly workloadName: string | null;
  readonly noticeId: string | null;
  readonly noticeType: string | null;
  readonly noticeKey: string | null;
  readonly pebbleCheckName: string | null;
  readonly traceId: string | null;
  readonly spanId: string | null;
  readonly traceFlags: string | null;
  readonly proxies: {
    readonly http: string;
    readonly https: string;
    readonly ftp: string;
    readonly noProxy: string;
  };
}

/** A Juju version (`JUJU_VERSION`) in parts; an unreadable or absent one is `0.0.0`. */
export interface JujuVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As Juju wrote it, e.g. `4.0.1` or `4.0-beta1` (`0.0.0` when absent). */
  readonly text: string;
}

/**
 * Parses a `JUJU_VERSION`: `3.6.8` → 3.6.8, `4.0-beta1` → 4.0.0, `3.6.8.1` (a build number) → 3.6.8.
 * Anything unreadable counts as 0.0.0, which every version check treats as "before Juju 4", as ops
 * does.
 */
export function parseJujuVersion(text: string | undefined | null): JujuVersion {
  const raw = text ?? '';
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  const part = (digits: string | undefined): number => {
    const n = Number(digits ?? '0');
    return Number.isSafeInteger(n) ? n : 0;
  };
  if (!match) return { major: 0, minor: 0, patch: 0, text: raw === '' ? '0.0.0' : raw };
  return { major: part(match[1]), minor: part(match[2]), patch: part(match[3]), text: raw };
}

/** The major version of a `JUJU_VERSION` (`4.0.1`, `4.0-beta1` → 4); 0 when it cannot be read. */
export function jujuMajorVersion(text: string | undefined | null): number {
  return parseJujuVersion(text).major;
}

type Env = Readonly<Record<string, string | undefined>>;

const UNIT_NAME = /^[a-z][a-z0-9-]*\/\d+$/;

function opt(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value === '' ? null : value;
}

/** A decimal that a JavaScript number holds exactly; beyond it `1e23` would stand for another id. */
function safeInt(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

function int(env: Env, name: string, value: string | null): number | null {
  if (value === null) return null;
  const n = /^\d+$/.test(value) ? safeInt(value) : null;
  if (n === null)
    throw new JujuContextError(
      `${name}=${JSON.stringify(env[name])}: expected a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`,
    );
  return n;
}

/** `<application>/<number>` with a number a JavaScript number holds exactly. */
function checkUnitName(name: string, value: string): void {
  if (!UNIT_NAME.test(value))
    throw new JujuContextError(`${name}=${JSON.stringify(value)}: expected <application>/<number>`);
  if (safeInt(value.slice(value.lastIndexOf('/') + 1)) === null)
    throw new JujuContextError(
      `${name}=${JSON.stringify(value)}: expected <application>/<number> with a number up to ${Number.MAX_SAFE_INTEGER}`,
    );
}

/**
 * Parses the hook environment. `JUJU_UNIT_NAME` is required; everything else is optional, but a
 * variable that is present must have the right shape (`JUJU_RELATION_ID` is `<endpoint>:<n>` or
 * `<n>`, `JUJU_STORAGE_ID` is `<name>/<n>`, …). Every number must be a safe integer (at most
 * `Number.MAX_SAFE_INTEGER`): a larger one would silently become a different number. `fallbackDispatchPath` is used when
 * `JUJU_DISPATCH_PATH` is absent (a legacy `hooks/<name>` link runs the charm directly).
 */
export function parseJujuContext(
  env: Env,
  options: { fallbackDispatchPath?: string; cwd?: string } = {},
): JujuContext {
  const unitName = opt(env, 'JUJU_UNIT_NAME');
  if (unitName === null)
    throw new JujuContextError('JUJU_UNIT_NAME is not set: this does not look like a Juju hook environment');
  checkUnitName('JUJU_UNIT_NAME', unitName);

  const relationRaw = opt(env, 'JUJU_RELATION_ID');
  const relationId =
    relationRaw === null
      ? null
      : int(env, 'JUJU_RELATION_ID', relationRaw.slice(relationRaw.lastIndexOf(':') + 1));

  const storageRaw = opt(env, 'JUJU_STORAGE_ID');
  let storageName: string | null = null;
  let storageIndex: number | null = null;
  if (storageRaw !== null) {
    const match = /^([a-z][a-z0-9-]*)\/(\d+)$/.exec(storageRaw);
    if (!match)
      throw new JujuContextError(
        `JUJU_STORAGE_ID=${JSON.stringify(storageRaw)}: expected <storage name>/<number>`,
      );
    storageName = match[1] as string;
    storageIndex = safeInt(match[2] as string);
    if (storageIndex === null)
      throw new JujuContextError(
        `JUJU_STORAGE_ID=${JSON.stringify(storageRaw)}: expected <storage name>/<number> with a number up to ${Number.MAX_SAFE_INTEGER}`,
      );
  }
  const storageKind = opt(env, 'JUJU_STORAGE_KIND');
  if (storageKind !== null && storageKind !== 'filesystem' && storageKind !== 'block') {
    throw new JujuContextError(
      `JUJU_STORAGE_KIND=${JSON.stringify(storageKind)}: expected filesystem or block`,
    );
  }

  const remoteUnit = opt(env, 'JUJU_REMOTE_UNIT');
  if (remoteUnit !== null) checkUnitName('JUJU_REMOTE_UNIT', remoteUnit);
  const charmDir = opt(env, 'JUJU_CHARM_DIR') ?? opt(env, 'CHARM_DIR') ?? options.cwd ?? process.cwd();
  const debugAt = opt(env, 'JUJU_DEBUG_AT');

  return {
    charmDir,
    dispatchPath: opt(env, 'JUJU_DISPATCH_PATH') ?? options.fallbackDispatchPath ?? '',
    hookName: env.JUJU_HOOK_NAME ?? '',
    contextId: env.JUJU_CONTEXT_ID ?? '',
    unitName,
    appName: unitName.split('/')[0] as string,
    modelName: env.JUJU_MODEL_NAME ?? '',
    modelUuid: env.JUJU_MODEL_UUID ?? '',
    version: opt(env, 'JUJU_VERSION') ?? '0.0.0',
    jujuVersion: parseJujuVersion(opt(env, 'JUJU_VERSION')),
    targetBase: opt(env, 'JUJU_TARGET_BASE'),
    machineId: opt(env, 'JUJU_MACHINE_ID'),
    principalUnit: opt(env, 'JUJU_PRINCIPAL_UNIT'),
    availabilityZone: opt(env, 'JUJU_AVAILABILITY_ZONE'),
    apiAddresses: (env.JUJU_API_ADDRESSES ?? '').split(/\s+/).filter(Boolean),
    agentSocketAddress: opt(env, 'JUJU_AGENT_SOCKET_ADDRESS'),
    agentSocketNetwork: opt(env, 'JUJU_AGENT_SOCKET_NETWORK'),
    debug: env.JUJU_DEBUG !== undefined,
    debugAt: new Set(
      (debugAt ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    actionName: opt(env, 'JUJU_ACTION_NAME'),
    actionUuid: opt(env, 'JUJU_ACTION_UUID'),
    actionTag: opt(env, 'JUJU_ACTION_TAG'),
    relationName: opt(env, 'JUJU_RELATION'),
    relationId,
    remoteApp: opt(env, 'JUJU_REMOTE_APP') ?? (remoteUnit ? (remoteUnit.split('/')[0] as string) : null),
    remoteUnit,
    departingUnit: opt(env, 'JUJU_DEPARTING_UNIT'),
    secretId: opt(env, 'JUJU_SECRET_ID'),
    secretLabel: opt(env, 'JUJU_SECRET_LABEL'),
    secretRevision: int(env, 'JUJU_SECRET_REVISION', opt(env, 'JUJU_SECRET_REVISION')),
    storageName,
    storageIndex,
    storageLocation: opt(env, 'JUJU_STORAGE_LOCATION'),
    storageKind,
    workloadName: opt(env, 'JUJU_WORKLOAD_NAME'),
    noticeId: opt(env, 'JUJU_NOTICE_ID'),
    noticeType: opt(env, 'JUJU_NOTICE_TYPE'),
    noticeKey: opt(env, 'JUJU_NOTICE_KEY'),
    pebbleCheckName: opt(env, 'JUJU_PEBBLE_CHECK_NAME'),
    traceId: opt(env, 'JUJU_TRACE_ID'),
    spanId: opt(env, 'JUJU_SPAN_ID'),
    traceFlags: opt(env, 'JUJU_TRACE_FLAGS'),
    proxies: {
      http: env.JUJU_CHARM_HTTP_PROXY ?? '',
      https: env.JUJU_CHARM_HTTPS_PROXY ?? '',
      ftp: env.JUJU_CHARM_FTP_PROXY ?? '',
      noProxy: env.JUJU_CHARM_NO_PROXY ?? '',
    },
  };
}

/**
 * The event kind a dispatch path names: `hooks/db-relation-changed` → `db_relation_changed`,
 * `actions/back-up` → `back_up_action`.
 */
export function eventKindFromDispatchPath(dispatchPath: string): string {
  const parts = dispatchPath.split('/').filter(Boolean);
  const name = (parts[parts.length - 1] ?? '').replace(/-/g, '_');
  return parts[parts.length - 2] === 'actions' ? `${name}_action` : name;
}
