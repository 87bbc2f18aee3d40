import { CharmkitError } from '../charmkit-error.js';

/** Every `code` a hook-tool error can carry. */
export type HookToolErrorCode =
  | 'CHARMKIT_HOOK_TOOL'
  | 'CHARMKIT_RELATION_NOT_FOUND'
  | 'CHARMKIT_NOT_LEADER'
  | 'CHARMKIT_PERMISSION_DENIED'
  | 'CHARMKIT_SECRET_NOT_FOUND'
  | 'CHARMKIT_ACTION_NOT_RUNNING'
  | 'CHARMKIT_HOOK_TOOL_ARGS'
  | 'CHARMKIT_HOOK_TOOL_MISSING'
  | 'CHARMKIT_REMOVED_IN_JUJU_4'
  | 'CHARMKIT_HOOK_TOOL_OUTPUT'
  | 'CHARMKIT_HOOK_TOOL_OUTPUT_LIMIT'
  | 'CHARMKIT_HOOK_TOOL_TIMEOUT'
  | 'CHARMKIT_HOOK_TOOL_CONFIG'
  | 'CHARMKIT_HOOK_TOOL_TEMP_DIR';

/** What went wrong with one hook-tool call. */
export interface HookToolErrorDetails {
  /** The tool, e.g. `relation-get`. */
  readonly tool: string;
  /**
   * The arguments it was (or would have been) given. Values of `key=value` arguments of tools that
   * carry secrets (`leader-set`, `action-set`) are replaced by `<redacted>`, because errors get logged.
   */
  readonly args: readonly string[];
  /** The exit code, or `null` when no process ran to completion (rejected before spawning, missing, killed). */
  readonly exitCode: number | null;
  /** What the tool wrote to stderr, without the final newline (empty when it did not run). */
  readonly stderr: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * A hook tool failed, or could not be run. Subclasses name the common causes; match on `code`
 * (stable) rather than on the message (which quotes Juju's wording and may change).
 *
 * @remedy Read `tool`, `exitCode` and `stderr`: the failure is Juju's. Letting it propagate fails
 * the hook, and Juju retries it, which is right for a transient failure (a controller that did
 * not answer).
 */
export class HookToolError extends CharmkitError {
  readonly code: HookToolErrorCode = 'CHARMKIT_HOOK_TOOL';
  /** The tool, e.g. `relation-get`. */
  readonly tool: string;
  /** The arguments passed (secret values redacted). */
  readonly args: readonly string[];
  /** The exit code, or `null` when the tool did not run to completion. */
  readonly exitCode: number | null;
  /** The tool's stderr (without its final newline). */
  readonly stderr: string;

  constructor(message: string, details: HookToolErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.tool = details.tool;
    this.args = details.args;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}

/**
 * The relation given with `-r` is not one this unit is in (Juju reports it as an argument error,
 * exit 2, `relation not found`).
 *
 * @remedy The relation is gone or was never this unit's: take ids from `model.relations()` or the
 * event rather than from stored state, and expect a relation to disappear between hooks.
 */
export class RelationNotFoundError extends HookToolError {
  override readonly code = 'CHARMKIT_RELATION_NOT_FOUND';
}

/**
 * Only the leader may do this (`leader-set`, app status, app relation data, app-owned secrets).
 *
 * @remedy Guard the write with `this.unit.isLeader()`. Leadership can move between hooks, so a
 * unit that was leader when it deferred an event may not be when the event runs again.
 */
export class NotLeaderError extends HookToolError {
  override readonly code = 'CHARMKIT_NOT_LEADER';
}

/**
 * Juju refused access: e.g. reading another app's data, or a secret that was not granted.
 *
 * @remedy Read only what this unit may (the relations how-to has the table); for a secret, the
 * owner must `grant()` it to this application's relation first.
 */
export class PermissionDeniedError extends HookToolError {
  override readonly code = 'CHARMKIT_PERMISSION_DENIED';
}

/**
 * The secret (or a key in it) does not exist or is not visible to this unit.
 *
 * @remedy The secret was removed, or not yet granted to this unit: wait for the owner (a later
 * `relation-changed` or `secret-changed`), or drop the reference you kept.
 */
export class SecretNotFoundError extends HookToolError {
  override readonly code = 'CHARMKIT_SECRET_NOT_FOUND';
}

/**
 * An `action-*` tool was called outside an action.
 *
 * @remedy Call `setResults()`, `log()` and `fail()` only from an action's handler (on its
 * `ActionEvent`), not from a hook.
 */
export class ActionNotRunningError extends HookToolError {
  override readonly code = 'CHARMKIT_ACTION_NOT_RUNNING';
}

/**
 * The arguments were rejected: by charmkit before spawning anything (then `exitCode` is `null`),
 * or by the tool itself (a usage error, exit 2).
 *
 * @remedy Fix the argument the message names (a malformed relation id, a key that breaks Juju's
 * rules, a value that is not a string, one argument over 131071 bytes).
 */
export class HookToolArgumentError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_ARGS';
}

/**
 * The tool is not on `PATH`. Hook tools exist only while Juju runs a hook or action, so this usually
 * means the code runs outside one (or `PATH` was replaced).
 *
 * @remedy Run the code in a hook, or in tests through the testing package's `Context` or
 * simulator; keep Juju's `PATH` when the charm starts processes that call hook tools.
 */
export class HookToolNotFoundError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_MISSING';
}

/**
 * The tool was removed in Juju 4 (`leader-get`, `leader-set`, `add-metric`, the pod-spec tools) and
 * `JUJU_VERSION` says the unit runs on Juju 4 or later: charmkit refuses before spawning anything,
 * where Juju would only say "command not found". The message names what to use instead.
 *
 * @remedy Share leader-chosen data through the peer relation's application databag (the default
 * backend of `@charmkit/leadership`'s `LeaderSettings`, which on Juju 3.6 copies existing leader
 * settings over once); read `ingress-address` rather than `private-address`; drop metrics and
 * pod-spec code (Juju 4 has neither; use a sidecar charm with Pebble). The how-to "Moving a charm
 * from Juju 3.6 to 4" has the details.
 */
export class RemovedInJuju4Error extends HookToolError {
  override readonly code = 'CHARMKIT_REMOVED_IN_JUJU_4';
}

/**
 * The tool succeeded but printed something charmkit cannot parse as the documented format (not
 * JSON, the wrong shape, or bytes that are not UTF-8). The message never quotes the output: it may
 * hold relation data, config or secrets.
 *
 * @remedy Usually a Juju version whose output charmkit does not know, or a wrapper script in place
 * of the tool: run the tool by hand in `juju debug-hooks` and report the output's shape.
 */
export class HookToolOutputError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_OUTPUT';
}

/**
 * The tool printed more than the runner's output limit on stdout or stderr; it was killed and its
 * output discarded.
 *
 * @remedy Raise `maxOutputBytes` of the `HookTools`/`ToolRunner` if the output is legitimately
 * that large (no hook tool normally prints anything near 100 MB).
 */
export class HookToolOutputLimitError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_OUTPUT_LIMIT';
}

/**
 * The tool did not finish within the runner's timeout and was killed (`SIGKILL`).
 *
 * @remedy Juju retries the hook, which is right when the controller was briefly slow. If it is
 * slow for good, raise the limit with the `CHARMKIT_HOOK_TOOL_TIMEOUT` environment variable
 * (seconds; `0` for none) or the `timeoutMs` option; see the hook-tools reference.
 */
export class HookToolTimeoutError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_TIMEOUT';
}

/**
 * The runner's own settings are invalid (e.g. a `CHARMKIT_HOOK_TOOL_TIMEOUT` that is not a number).
 *
 * @remedy Set `CHARMKIT_HOOK_TOOL_TIMEOUT` to a number of seconds (`600`, `2.5`, `0` for no limit)
 * or unset it.
 */
export class HookToolConfigError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_CONFIG';
}

/**
 * The private directory for files handed to a tool (secret content) could not be made safe: it is
 * not a directory, is a symlink, or belongs to another user.
 *
 * @remedy Remove `<charm dir>/.charmkit-tmp` (charmkit recreates it, mode 0700) and find what put
 * something else there.
 */
export class HookToolTempDirError extends HookToolError {
  override readonly code = 'CHARMKIT_HOOK_TOOL_TEMP_DIR';
}

/** A constructor of one of the error classes above. */
export type HookToolErrorClass = new (message: string, details: HookToolErrorDetails) => HookToolError;

interface FailureRule {
  /** Tools the rule applies to; all when absent. */
  readonly tools?: RegExp;
  /** Exit code the rule applies to; any when absent. */
  readonly exitCode?: number;
  /** Text stderr must contain (case-insensitive). */
  readonly stderr: RegExp;
  readonly errorClass: HookToolErrorClass;
}

/**
 * How a failed tool's stderr maps to an error class; first match wins. The texts are Juju's
 * (juju-contract §1–§2). Specific causes come before the generic "exit 2 = usage error" rule,
 * because `relation not found` is itself reported with exit 2.
 */
const FAILURE_RULES: readonly FailureRule[] = [
  { stderr: /not running an action/i, errorClass: ActionNotRunningError },
  { stderr: /relation not found/i, errorClass: RelationNotFoundError },
  // "cannot write leadership settings: ... not the leader", "this unit is not the leader",
  // "finding application status: this unit is not the leader".
  { stderr: /not the leader/i, errorClass: NotLeaderError },
  // relation-set --app by a non-leader says only this; leadership is the one check behind it.
  { tools: /^relation-set$/, stderr: /cannot write relation settings/i, errorClass: NotLeaderError },
  { stderr: /permission denied|access denied|unauthori[sz]ed/i, errorClass: PermissionDeniedError },
  // "secret \"x\" not found", "secret key \"k\" not found", and the backend's own not-found texts.
  { tools: /^secret-/, stderr: /not found/i, errorClass: SecretNotFoundError },
  { exitCode: 2, stderr: /(?:)/, errorClass: HookToolArgumentError },
];

/**
 * Picks the error class for a tool that exited non-zero, from its exit code and stderr.
 * Exported so the mapping can be tested (and reused by fakes) without spawning anything.
 */
export function classifyHookToolFailure(
  tool: string,
  exitCode: number | null,
  stderr: string,
): HookToolErrorClass {
  for (const rule of FAILURE_RULES) {
    if (rule.tools !== undefined && !rule.tools.test(tool)) continue;
    if (rule.exitCode !== undefined && rule.exitCode !== exitCode) continue;
    if (rule.stderr.test(stderr)) return rule.errorClass;
  }
  return HookToolError;
}

/** Builds the error for a tool that exited non-zero (or was killed): class from the table above. */
export function hookToolFailure(
  tool: string,
  args: readonly string[],
  exitCode: number | null,
  stderr: string,
  signal?: string,
): HookToolError {
  const ErrorClass = classifyHookToolFailure(tool, exitCode, stderr);
  const how =
    exitCode === null ? `was killed by ${signal ?? 'a signal'}` : `failed with exit code ${exitCode}`;
  const reason = jujuErrorText(stderr);
  return new ErrorClass(`${tool} ${how}${reason === '' ? '' : `: ${reason}`}`, {
    tool,
    args,
    exitCode,
    stderr,
  });
}

/** Builds the error for arguments charmkit rejects before spawning the tool. */
export function invalidArgument(tool: string, message: string): HookToolArgumentError {
  return new HookToolArgumentError(`${tool}: ${message}`, { tool, args: [], exitCode: null, stderr: '' });
}

/**
 * The message of Juju's `ERROR <message>` line, without the prefix; if there is no such line, the
 * last non-empty line of stderr (tools may print deprecation warnings before failing).
 */
function jujuErrorText(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errorLine = lines.find((line) => line.startsWith('ERROR '));
  if (errorLine !== undefined) return errorLine.slice('ERROR '.length);
  return lines.at(-1) ?? '';
}
