import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import { HookToolOutputError, invalidArgument } from './errors.js';
import { withPrivateFile } from './private-temp-dir.js';
import { type RelationRef, relationArgs } from './relation-ref.js';
import type { ToolRunner } from './run-tool.js';
import { stringList, stringMap } from './schemas.js';
import {
  describe,
  requireInteger,
  requireMatch,
  requireNonEmpty,
  requireStringEntries,
  UNIT_NAME,
} from './validate.js';

/** Who owns a secret: the application (managed by the leader) or this unit. */
export type SecretOwner = 'application' | 'unit';

/** How often the owner is asked (secret-rotate) to rotate a secret. */
export type SecretRotatePolicy = 'never' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** The rotation policies Juju accepts. */
export const SECRET_ROTATE_POLICIES: readonly SecretRotatePolicy[] = [
  'never',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
];

/** Secret metadata that secret-add and secret-set can set. */
export interface SecretMetadataOptions {
  /** A label this unit/app uses to find the secret (and that secret hooks report). */
  readonly label?: string;
  /** A description for humans. */
  readonly description?: string;
  /**
   * When the current revision expires: a `Date`, an RFC 3339 time, or a Go duration from now
   * (`"24h"`, `"90m"`).
   */
  readonly expire?: Date | string;
  /** The rotation policy. */
  readonly rotate?: SecretRotatePolicy;
}

/** Options of {@link secretAdd}. */
export interface SecretAddOptions extends SecretMetadataOptions {
  /** The owner; Juju's default is the application. */
  readonly owner?: SecretOwner;
}

/** Options of {@link secretSet}. */
export interface SecretSetOptions extends SecretMetadataOptions {
  /** New content (a new revision if it differs from the current one); omit to change metadata only. */
  readonly content?: Readonly<Record<string, string>>;
}

/** Which secret, and how to read it. */
export interface SecretGetOptions {
  /** The secret's URI or id. */
  readonly id?: string;
  /** The label; with `id` too, the label is (re)assigned to that secret. */
  readonly label?: string;
  /** Read the latest revision once, without starting to track it. */
  readonly peek?: boolean;
  /** Read the latest revision and track it from now on. */
  readonly refresh?: boolean;
}

/** A secret picked by id or by label, not both. */
export type SecretSelector =
  | { readonly id: string; readonly label?: never }
  | { readonly label: string; readonly id?: never };

/** A grant on a secret, as `secret-info-get` reports it. */
export interface SecretAccess {
  readonly target: string;
  readonly scope: string;
  readonly role: string;
}

/** A secret's metadata: `secret-info-get`. */
export interface SecretInfo {
  /** The id Juju printed (the bare 20-character id). */
  readonly id: string;
  /** The latest revision. */
  readonly revision: number;
  /** The owner's label ('' when none). */
  readonly label: string;
  /** `application`, `unit` (or `model` for user secrets). */
  readonly owner: string;
  readonly description?: string;
  readonly rotation?: string;
  /** When the latest revision expires. */
  readonly expiry?: Date;
  /** When the next rotation is due. */
  readonly rotates?: Date;
  /** Grants ([] when none or not reported). */
  readonly access: readonly SecretAccess[];
}

/** A secret content key: lowercase, at least 3 characters, single inner hyphens (Juju's rule). */
export const SECRET_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

const XID = '[0-9a-v]{20}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * The secret URI shapes Juju accepts: `secret://<model-uuid>/<id>`, `secret:<id>`, the bare id, and
 * (rarer) `secret:<model-uuid>/<id>`. The id is an xid: 20 characters of base32hex.
 */
export const SECRET_URI = new RegExp(`^(?:secret:(?://${UUID}/|${UUID}/)?|${UUID}/)?${XID}$`);

/**
 * Creates a secret and returns its URI: `secret-add [--owner=…] [--label=…] [--description=…]
 * [--expire=…] [--rotate=…] --file=<tmp>/content.json`.
 *
 * The content goes through a JSON file, not as `key=value` arguments: the values then never appear
 * on a command line (visible to every user in `/proc`), they arrive exactly (Juju parses the file
 * as JSON first; arguments would be cut at `=` padding rules and are size-limited), and it works on
 * every Juju 3.x (the `key#file=` form is newer). Juju reads content only from arguments or files,
 * never stdin, so a file it is: mode 0600, in the runner's private directory (default
 * `<charm dir>/.charmkit-tmp`, mode 0700), removed right after the call, and by the next dispatch's
 * `cleanPrivateTempDir` if the hook was killed meanwhile. Keys must match {@link SECRET_KEY}; values are strings.
 */
export function secretAdd(
  runner: ToolRunner,
  content: Readonly<Record<string, string>>,
  options: SecretAddOptions = {},
): string {
  const entries = checkContent('secret-add', content);
  if (entries.length === 0) throw invalidArgument('secret-add', 'a secret needs at least one key');
  const args: string[] = [];
  if (options.owner !== undefined) {
    if (options.owner !== 'application' && options.owner !== 'unit') {
      throw invalidArgument(
        'secret-add',
        `owner must be "application" or "unit", got ${describe(options.owner)}`,
      );
    }
    args.push(`--owner=${options.owner}`);
  }
  args.push(...metadataArgs('secret-add', options));
  const uri = withContentFile(runner, 'secret-add', entries, (file) =>
    runner.run('secret-add', [...args, `--file=${file}`]),
  ).trim();
  if (uri === '') {
    throw new HookToolOutputError('secret-add printed no secret URI', {
      tool: 'secret-add',
      args,
      exitCode: 0,
      stderr: '',
    });
  }
  return uri;
}

/**
 * A secret's content: `secret-get --format=json [--label=<label>] [--peek|--refresh] [-- <id>]`.
 * Consumers see the revision they first read until they `refresh` (or `peek`).
 * An unknown secret raises `SecretNotFoundError`; one not granted, `PermissionDeniedError`.
 */
export function secretGet(runner: ToolRunner, options: SecretGetOptions): Record<string, string> {
  const tool = 'secret-get';
  if (options.id === undefined && options.label === undefined) {
    throw invalidArgument(tool, 'give the secret id, its label, or both');
  }
  if (options.peek === true && options.refresh === true) {
    throw invalidArgument(tool, 'peek and refresh cannot be used together');
  }
  const args: string[] = [];
  if (options.label !== undefined) args.push(`--label=${requireNonEmpty(tool, 'label', options.label)}`);
  if (options.peek === true) args.push('--peek');
  if (options.refresh === true) args.push('--refresh');
  if (options.id !== undefined) args.push('--', checkSecretId(tool, options.id));
  return runner.runJson(tool, args, stringMap, { secretOutput: true });
}

const secretInfoOutput = lazy(() =>
  z.record(
    z.string(),
    z.looseObject({
      revision: z.number(),
      label: z.optional(z.string()),
      owner: z.optional(z.string()),
      description: z.optional(z.string()),
      rotation: z.optional(z.string()),
      expiry: z.optional(z.string()),
      rotates: z.optional(z.string()),
      access: z.optional(
        z.nullable(z.array(z.looseObject({ target: z.string(), scope: z.string(), role: z.string() }))),
      ),
    }),
  ),
);

/**
 * A secret's metadata, by id or by label: `secret-info-get --format=json -- <id>` or
 * `secret-info-get --format=json --label=<label>`. Juju prints `{"<id>": {...}}`.
 */
export function secretInfoGet(runner: ToolRunner, selector: SecretSelector): SecretInfo {
  const tool = 'secret-info-get';
  const { id, label } = selector as { id?: unknown; label?: unknown };
  if ((id === undefined) === (label === undefined))
    throw invalidArgument(tool, 'give either the secret id or its label');
  const args =
    id === undefined ? [`--label=${requireNonEmpty(tool, 'label', label)}`] : ['--', checkSecretId(tool, id)];
  const result = runner.runJson(tool, args, secretInfoOutput);
  const entries = Object.entries(result);
  const outputError = (what: string): HookToolOutputError =>
    new HookToolOutputError(`${tool} printed ${what}`, {
      tool,
      args: ['--format=json', ...args],
      exitCode: 0,
      stderr: '',
    });
  if (entries.length !== 1) throw outputError(`${entries.length} secrets where one was expected`);
  const [secretId, info] = entries[0] as [string, z.infer<ReturnType<typeof secretInfoOutput>>[string]];
  const time = (field: string, text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const value = new Date(text);
    if (Number.isNaN(value.getTime()))
      throw outputError(`${field} ${JSON.stringify(text)}, which is not a time`);
    return value;
  };
  const expiry = time('expiry', info.expiry);
  const rotates = time('rotates', info.rotates);
  return {
    id: secretId,
    revision: info.revision,
    label: info.label ?? '',
    owner: info.owner ?? '',
    ...(info.description === undefined ? {} : { description: info.description }),
    ...(info.rotation === undefined ? {} : { rotation: info.rotation }),
    ...(expiry === undefined ? {} : { expiry }),
    ...(rotates === undefined ? {} : { rotates }),
    access: (info.access ?? []).map(({ target, scope, role }) => ({ target, scope, role })),
  };
}

/**
 * Updates a secret: `secret-set [--label=…] [--description=…] [--expire=…] [--rotate=…]
 * [--file=<tmp>/content.json] -- <id>`. New content makes a new revision (only if it differs);
 * metadata alone can change without one. Content goes through a private file, as in
 * {@link secretAdd}.
 */
export function secretSet(runner: ToolRunner, id: string, options: SecretSetOptions): void {
  const tool = 'secret-set';
  const secretId = checkSecretId(tool, id);
  const args = metadataArgs(tool, options);
  if (options.content === undefined) {
    if (args.length === 0) throw invalidArgument(tool, 'nothing to set: give content or metadata');
    runner.run(tool, [...args, '--', secretId]);
    return;
  }
  const entries = checkContent(tool, options.content);
  if (entries.length === 0) throw invalidArgument(tool, 'content needs at least one key');
  withContentFile(runner, tool, entries, (file) =>
    runner.run(tool, [...args, `--file=${file}`, '--', secretId]),
  );
}

/** Options of {@link secretGrant} and {@link secretRevoke}. */
export interface SecretGrantOptions {
  /** Only this unit of the related application (default: the whole application). */
  readonly unit?: string;
}

/** Grants read access to the related application (or one unit): `secret-grant -r <id> [--unit=<u>] -- <id>`. */
export function secretGrant(
  runner: ToolRunner,
  id: string,
  relationId: RelationRef,
  options: SecretGrantOptions = {},
): void {
  runner.run('secret-grant', grantArgs('secret-grant', id, relationId, options));
}

/** Revokes access granted with {@link secretGrant}: `secret-revoke -r <id> [--unit=<u>] -- <id>`. */
export function secretRevoke(
  runner: ToolRunner,
  id: string,
  relationId: RelationRef,
  options: SecretGrantOptions = {},
): void {
  runner.run('secret-revoke', grantArgs('secret-revoke', id, relationId, options));
}

/** Options of {@link secretRemove}. */
export interface SecretRemoveOptions {
  /** Remove only this revision (default: the whole secret). */
  readonly revision?: number;
}

/** Removes a secret or one revision: `secret-remove [--revision=<n>] -- <id>`. */
export function secretRemove(runner: ToolRunner, id: string, options: SecretRemoveOptions = {}): void {
  const tool = 'secret-remove';
  const secretId = checkSecretId(tool, id);
  const args =
    options.revision === undefined
      ? []
      : [`--revision=${requireInteger(tool, 'revision', options.revision, 1, Number.MAX_SAFE_INTEGER)}`];
  runner.run(tool, [...args, '--', secretId]);
}

/**
 * Ids of the secrets this unit (or its application) owns: `secret-ids --format=json`. Juju prints
 * `null`, not `[]`, when there are none; that reads as `[]`.
 */
export function secretIds(runner: ToolRunner): string[] {
  return runner.runJson('secret-ids', [], stringList);
}

function grantArgs(tool: string, id: string, relationId: RelationRef, options: SecretGrantOptions): string[] {
  const secretId = checkSecretId(tool, id);
  if (relationId === undefined) throw invalidArgument(tool, 'a relation id is required');
  const args = relationArgs(tool, relationId);
  if (options.unit !== undefined)
    args.push(`--unit=${requireMatch(tool, 'unit', options.unit, UNIT_NAME, 'a unit name')}`);
  args.push('--', secretId);
  return args;
}

function checkSecretId(tool: string, id: unknown): string {
  return requireMatch(
    tool,
    'secret id',
    id,
    SECRET_URI,
    'a secret URI (secret://<model-uuid>/<id>, secret:<id> or a 20-character id)',
  );
}

function checkContent(tool: string, content: unknown): [string, string][] {
  const entries = requireStringEntries(tool, 'secret content', content, { allowNull: false });
  for (const [key] of entries) {
    if (!SECRET_KEY.test(key)) {
      throw invalidArgument(
        tool,
        `secret content key ${JSON.stringify(key)} is not valid: keys are at least 3 characters of lowercase letters and digits, starting with a letter, with single hyphens between`,
      );
    }
  }
  return entries;
}

function metadataArgs(tool: string, options: SecretMetadataOptions): string[] {
  const args: string[] = [];
  // `--flag=value` keeps a value that starts with `-` from reading as a flag.
  if (options.label !== undefined) args.push(`--label=${requireNonEmpty(tool, 'label', options.label)}`);
  if (options.description !== undefined) {
    if (typeof options.description !== 'string') {
      throw invalidArgument(tool, `description must be a string, got ${describe(options.description)}`);
    }
    args.push(`--description=${options.description}`);
  }
  if (options.expire !== undefined) args.push(`--expire=${expireArg(tool, options.expire)}`);
  if (options.rotate !== undefined) {
    if (!SECRET_ROTATE_POLICIES.includes(options.rotate)) {
      throw invalidArgument(
        tool,
        `rotate must be one of ${SECRET_ROTATE_POLICIES.join(', ')}, got ${describe(options.rotate)}`,
      );
    }
    args.push(`--rotate=${options.rotate}`);
  }
  return args;
}

function expireArg(tool: string, expire: Date | string): string {
  if (expire instanceof Date) {
    if (Number.isNaN(expire.getTime())) throw invalidArgument(tool, 'expire is an invalid Date');
    // RFC 3339 in UTC without milliseconds, the form Juju's own examples use.
    return expire.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const text = requireNonEmpty(tool, 'expire', expire);
  if (text.startsWith('-')) throw invalidArgument(tool, `expire ${JSON.stringify(text)} is in the past`);
  return text;
}

/**
 * Writes the content as JSON to a file in the runner's private temp directory (0700, the file
 * 0600), calls `use` with its path, and removes it whatever happens; a hook killed meanwhile leaves
 * it to the next dispatch's clean-up. The agent reads the file (it runs on the same machine or in
 * the same pod), so the path is absolute.
 */
function withContentFile<T>(
  runner: ToolRunner,
  tool: string,
  entries: readonly [string, string][],
  use: (file: string) => T,
): T {
  const dir = process.getBuiltinModule('node:path').resolve(runner.privateTempDir);
  return withPrivateFile(dir, tool, JSON.stringify(Object.fromEntries(entries)), use);
}
