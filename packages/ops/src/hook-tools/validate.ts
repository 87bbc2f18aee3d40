import { invalidArgument } from './errors.js';
import { hasLoneSurrogate } from './yaml-safe-json.js';

// Checks shared by the wrappers. They run before anything is spawned, so a bad argument costs no
// process and fails with a message that names the argument, not with Juju's usage text.

/** A unit name, `app/0`. */
export const UNIT_NAME = /^[a-z][a-z0-9-]*\/\d+$/;
/** An application name (Juju's own rule is stricter; it still rejects what this lets through). */
export const APP_NAME = /^[a-z][a-z0-9-]*$/;
/** A unit or an application name. */
export const UNIT_OR_APP_NAME = /^[a-z][a-z0-9-]*(?:\/\d+)?$/;
/** An endpoint (relation, extra-binding, storage) name from the charm's metadata. */
export const ENDPOINT_NAME = /^[a-zA-Z][\w-]*$/;

/** Throws unless `value` is a string. */
export function requireString(tool: string, what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw invalidArgument(tool, `${what} must be a string, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a non-empty string. */
export function requireNonEmpty(tool: string, what: string, value: unknown): string {
  const text = requireString(tool, what, value);
  if (text === '') throw invalidArgument(tool, `${what} must not be empty`);
  return text;
}

/** Throws unless `value` is a string matching `pattern`; `expected` says what it should look like. */
export function requireMatch(
  tool: string,
  what: string,
  value: unknown,
  pattern: RegExp,
  expected: string,
): string {
  const text = requireString(tool, what, value);
  if (!pattern.test(text)) throw invalidArgument(tool, `${what} ${JSON.stringify(text)} is not ${expected}`);
  return text;
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function requireInteger(tool: string, what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(tool, `${what} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a plain object; returns its entries. */
export function requireRecord(tool: string, what: string, value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument(tool, `${what} must be an object, got ${describe(value)}`);
  }
  return Object.entries(value);
}

/**
 * Checks a map of string values (a databag, settings) and returns its entries, with `null` read as
 * `''` where `allowNull` (Juju deletes a key written with an empty value).
 */
export function requireStringEntries(
  tool: string,
  what: string,
  values: unknown,
  options: { readonly allowNull: boolean },
): [string, string][] {
  return requireRecord(tool, what, values).map(([key, value]) => {
    if (key === '') throw invalidArgument(tool, `${what}: keys must not be empty`);
    if (value === null && options.allowNull) return [key, ''];
    if (typeof value !== 'string') {
      const allowed = options.allowNull ? 'a string (or null to delete the key)' : 'a string';
      // The type only, never the value: these maps hold relation data, settings and secrets.
      throw invalidArgument(
        tool,
        `${what}: the value of ${JSON.stringify(key)} must be ${allowed}, got ${describeKind(value)}`,
      );
    }
    if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      throw invalidArgument(
        tool,
        `${what}: ${JSON.stringify(key)} holds an unpaired UTF-16 surrogate, which has no UTF-8 form`,
      );
    }
    return [key, value];
  });
}

/** The kind of a value for error messages (`a number`, `an array`…), never the value itself. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  // NaN and Infinity are no one's secret, and "a number" would not say what is wrong.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

/**
 * A short description of a value for error messages (never the value itself if it is long). Not
 * for values that may be data or secrets: use {@link describeKind}.
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}
