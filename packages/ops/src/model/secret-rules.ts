import {
  SECRET_KEY,
  SECRET_ROTATE_POLICIES,
  SECRET_URI,
  type SecretRotatePolicy,
} from '../hook-tools/secret.js';
import { describe, describeKind } from '../hook-tools/validate.js';
import { hasLoneSurrogate } from '../hook-tools/yaml-safe-json.js';
import { isPlainObject } from '../json.js';
import type { SecretMetadataArgs } from './model-backend.js';
import { SecretValidationError } from './model-errors.js';

// Juju's rules for secrets, checked by the model before anything is spawned or buffered, so a bad
// argument fails at the line that passed it (not at commit) with a message that names it.

/** How often the owner is asked (`secret-rotate`) to rotate a secret. */
export type SecretRotate = SecretRotatePolicy;

/**
 * When a secret's current revision expires: an absolute `Date`, or a duration from now in
 * milliseconds (converted to an absolute UTC time at the call, as Juju wants an RFC 3339 time).
 */
export type SecretExpiry = Date | number;

/** A secret's content: at least one key; keys as {@link SECRET_KEY}; string values. */
export type SecretContent = Readonly<Record<string, string>>;

/** Metadata a charm can set when adding a secret or with `secret.setInfo()`. */
export interface SecretMetadata {
  /** The owner's label for the secret (unique per owner); secret events carry it. */
  readonly label?: string;
  /** A description for humans (`juju secrets`). */
  readonly description?: string;
  /** When the revision expires (owners then get `secret-expired`). */
  readonly expire?: SecretExpiry;
  /** How often the owner gets `secret-rotate`. */
  readonly rotate?: SecretRotate;
}

const UUID_PREFIX =
  /^(?:secret:)?(?:\/\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-v]{20})$/;
const BARE = /^(?:secret:)?([0-9a-v]{20})$/;

/**
 * The canonical form of a secret id: `secret://<model uuid>/<xid>`. `secret:<xid>` and a bare xid
 * take the model's uuid when it is known (else they become `secret:<xid>`); a uuid already in the
 * id is kept. Two spellings of one secret then compare equal, which the model's per-secret
 * buffers rely on.
 */
export function canonicalSecretId(id: unknown, modelUuid: string): string {
  if (typeof id !== 'string' || !SECRET_URI.test(id.trim())) {
    throw new SecretValidationError(
      `secret id ${describe(id)} is not valid: expected secret://<model uuid>/<id>, secret:<id> or a 20-character id`,
    );
  }
  const text = id.trim();
  const withUuid = UUID_PREFIX.exec(text);
  if (withUuid) return `secret://${withUuid[1]}/${withUuid[2]}`;
  const bare = BARE.exec(text) as RegExpExecArray;
  return modelUuid ? `secret://${modelUuid}/${bare[1]}` : `secret:${bare[1]}`;
}

/** The 20-character xid at the end of any accepted spelling of a secret id. */
export function secretXid(id: string): string {
  return id.slice(-20);
}

/** Checks content against Juju's rules and returns a plain copy. */
export function checkSecretContent(content: unknown, what = 'secret content'): Record<string, string> {
  if (!isPlainObject(content)) {
    throw new SecretValidationError(
      `${what} must be an object of string values, got ${describeKind(content)}`,
    );
  }
  const entries = Object.entries(content);
  if (entries.length === 0) throw new SecretValidationError(`${what} must have at least one key`);
  const copy: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!SECRET_KEY.test(key)) {
      throw new SecretValidationError(
        `${what}: key ${JSON.stringify(key)} is not valid: keys are at least 3 characters of lowercase letters and digits, starting with a letter, with single hyphens between (e.g. "password", "api-key")`,
      );
    }
    if (typeof value !== 'string') {
      throw new SecretValidationError(
        `${what}: the value of ${JSON.stringify(key)} must be a string, got ${describeKind(value)} (serialise it, e.g. JSON.stringify)`,
      );
    }
    if (hasLoneSurrogate(value)) {
      throw new SecretValidationError(
        `${what}: the value of ${JSON.stringify(key)} holds an unpaired UTF-16 surrogate, which has no UTF-8 form`,
      );
    }
    copy[key] = value;
  }
  return copy;
}

/** RFC 3339 in UTC without milliseconds, the form Juju's own examples use. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Checks metadata and converts it to what the backend takes; `now` turns durations into times.
 * `requireSome` rejects an empty set (`setInfo({})` would be a no-op Juju refuses).
 */
export function secretMetadataArgs(
  metadata: SecretMetadata,
  now: number,
  options: { readonly requireSome?: boolean } = {},
): SecretMetadataArgs {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new SecretValidationError(`secret metadata must be an object, got ${describe(metadata)}`);
  }
  const args: { -readonly [K in keyof SecretMetadataArgs]: SecretMetadataArgs[K] } = {};
  const { label, description, expire, rotate } = metadata;
  if (label !== undefined) {
    if (typeof label !== 'string' || label.trim() === '') {
      throw new SecretValidationError(`secret label must be a non-empty string, got ${describe(label)}`);
    }
    args.label = label;
  }
  if (description !== undefined) {
    if (typeof description !== 'string') {
      throw new SecretValidationError(`secret description must be a string, got ${describe(description)}`);
    }
    args.description = description;
  }
  if (expire !== undefined) args.expire = expiryArg(expire, now);
  if (rotate !== undefined) {
    if (!SECRET_ROTATE_POLICIES.includes(rotate)) {
      throw new SecretValidationError(
        `secret rotation must be one of ${SECRET_ROTATE_POLICIES.join(', ')}, got ${describe(rotate)}`,
      );
    }
    args.rotate = rotate;
  }
  if (options.requireSome === true && Object.keys(args).length === 0) {
    throw new SecretValidationError(
      'nothing to set: give at least one of label, description, expire, rotate',
    );
  }
  return args;
}

function expiryArg(expire: unknown, now: number): string {
  if (expire instanceof Date) {
    if (Number.isNaN(expire.getTime())) throw new SecretValidationError('secret expiry is an invalid Date');
    return rfc3339(expire);
  }
  if (typeof expire === 'number') {
    if (!Number.isFinite(expire) || expire <= 0) {
      throw new SecretValidationError(
        `secret expiry as a duration must be a positive number of milliseconds, got ${describe(expire)}`,
      );
    }
    return rfc3339(new Date(now + expire));
  }
  throw new SecretValidationError(
    `secret expiry must be a Date or a duration in milliseconds, got ${describe(expire)}`,
  );
}
