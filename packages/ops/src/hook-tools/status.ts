import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import type { JsonObject } from '../json.js';
import { invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { jsonObject } from './schemas.js';
import { describe, requireString } from './validate.js';

/** The statuses a charm may set. */
export type SettableStatus = 'active' | 'blocked' | 'maintenance' | 'waiting';

/** The statuses `status-set` accepts, in Juju's order. */
export const SETTABLE_STATUSES: readonly SettableStatus[] = ['maintenance', 'blocked', 'waiting', 'active'];

/** A workload status as `status-get --include-data` reports it. */
export interface StatusInfo {
  /**
   * The status name: one of {@link SettableStatus}, or one Juju sets itself (`unknown`, `error`,
   * `terminated`, …). Kept as a string so a status Juju adds later does not fail parsing.
   */
  readonly status: string;
  /** The message ('' when none). */
  readonly message: string;
  /** The status data ({} when none). */
  readonly data: JsonObject;
}

/** The application's status and its units' statuses. */
export interface ApplicationStatusInfo extends StatusInfo {
  /** Unit name → status. */
  readonly units: Readonly<Record<string, StatusInfo>>;
}

const statusDetails = lazy(() =>
  z.looseObject({
    status: z.string(),
    message: z.optional(z.string()),
    'status-data': z.optional(jsonObject()),
  }),
);

// When the agent cannot report a status (NotImplemented), status-get prints just the string
// "unknown", whatever the format: accept a bare string too.
const unitStatusOutput = lazy(() => z.union([z.string(), statusDetails()]));
const applicationStatusOutput = lazy(() =>
  z.union([
    z.string(),
    z.looseObject({
      'application-status': z.looseObject({
        ...statusDetails().shape,
        units: z.optional(z.nullable(z.record(z.string(), statusDetails()))),
      }),
    }),
  ]),
);

type StatusDetails = z.infer<ReturnType<typeof statusDetails>>;

function toStatusInfo(details: StatusDetails | string): StatusInfo {
  if (typeof details === 'string') return { status: details, message: '', data: {} };
  return { status: details.status, message: details.message ?? '', data: details['status-data'] ?? {} };
}

/** This unit's workload status: `status-get --format=json --include-data`. */
export function statusGet(runner: ToolRunner): StatusInfo {
  return toStatusInfo(runner.runJson('status-get', ['--include-data'], unitStatusOutput));
}

/**
 * The application's status and its units': `status-get --format=json --include-data --application`.
 * Leader only (`NotLeaderError`).
 */
export function applicationStatusGet(runner: ToolRunner): ApplicationStatusInfo {
  const result = runner.runJson('status-get', ['--include-data', '--application'], applicationStatusOutput);
  if (typeof result === 'string') return { ...toStatusInfo(result), units: {} };
  const app = result['application-status'];
  const units: Record<string, StatusInfo> = {};
  for (const [name, details] of Object.entries(app.units ?? {})) units[name] = toStatusInfo(details);
  return { ...toStatusInfo(app), units };
}

/** Options of {@link statusSet}. */
export interface StatusSetOptions {
  /** Set the application's status (`--application`; leader only) instead of this unit's. */
  readonly application?: boolean;
}

/**
 * Sets the workload status: `status-set [--application] -- <status> <message>`. Immediate (a
 * failing hook does not undo it). The message is always passed, so `''` clears the old one; `--`
 * keeps a message that starts with `-` from reading as a flag.
 */
export function statusSet(
  runner: ToolRunner,
  status: SettableStatus,
  message = '',
  options: StatusSetOptions = {},
): void {
  if (!(SETTABLE_STATUSES as readonly unknown[]).includes(status)) {
    throw invalidArgument(
      'status-set',
      `status must be one of ${SETTABLE_STATUSES.join(', ')}, got ${describe(status)}`,
    );
  }
  requireString('status-set', 'message', message);
  const args = options.application === true ? ['--application'] : [];
  runner.run('status-set', [...args, '--', status, message]);
}

/**
 * Sets the workload version shown by `juju status`: `application-version-set -- <version>`.
 * Immediate. `''` clears it.
 */
export function applicationVersionSet(runner: ToolRunner, version: string): void {
  requireString('application-version-set', 'version', version);
  runner.run('application-version-set', ['--', version]);
}
