import { ToolFailure } from './errors.js';

/** One flag a simulated tool accepts. */
export interface FlagSpec {
  /** Its names without dashes; the first is canonical. One letter means one dash (`r` → `-r`). */
  readonly names: readonly string[];
  /** `bool` takes no value; `value` takes one (`--format json`, `--format=json`, `-r 0`, `-r=0`). */
  readonly kind: 'bool' | 'value';
}

/** A parsed flag: its value ('' for bool flags) and how it was spelled, for error messages. */
export interface ParsedFlag {
  readonly value: string;
  readonly spelled: string;
}

/** Arguments parsed the way `juju/gnuflag` does. */
export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  readonly positional: readonly string[];
  /** `-h`/`--help` was given. */
  readonly help: boolean;
}

/**
 * Parses hook-tool arguments as gnuflag does (juju-contract §1): flags and positional arguments
 * may interleave, `--` ends flags, one-letter flags take one dash and longer ones two. Errors are
 * Juju's texts, exit 2.
 */
export function parseToolArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) for (const name of spec.names) byName.set(name, spec);
  const flags = new Map<string, ParsedFlag>();
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spelled = `${long ? '--' : '-'}${name}`;
    if (name === 'h' || name === 'help') {
      help = true;
      continue;
    }
    const spec = byName.get(name);
    // gnuflag: one-letter names with one dash, longer names with two.
    if (!spec || long !== name.length > 1)
      throw new ToolFailure(2, `flag provided but not defined: ${spelled}`);
    if (spec.kind === 'bool') {
      if (eq >= 0 && !['true', 'false', '1', '0'].includes(body.slice(eq + 1))) {
        throw new ToolFailure(2, `invalid boolean value "${body.slice(eq + 1)}" for flag ${spelled}`);
      }
      if (eq < 0 || ['true', '1'].includes(body.slice(eq + 1)))
        flags.set(spec.names[0] as string, { value: '', spelled });
      else flags.delete(spec.names[0] as string);
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i] as string;
    else throw new ToolFailure(2, `flag needs an argument: ${spelled}`);
    flags.set(spec.names[0] as string, { value, spelled });
  }
  return { flags, positional, help };
}

/** Go's `%q` of a string list, as `unrecognized args` prints it: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(' ')}]`;
}

/**
 * `keyvalues.Parse` (juju/utils): `key=value` split at the first `=`, both sides trimmed; empty key,
 * no `=` or a repeated key are argument errors (exit 2).
 */
export function parseKeyValues(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? '' : arg.slice(0, eq).trim();
    if (eq < 0 || key === '') throw new ToolFailure(2, `expected "key=value", got ${JSON.stringify(arg)}`);
    if (Object.hasOwn(out, key)) throw new ToolFailure(2, `key "${key}" specified more than once`);
    out[key] = arg.slice(eq + 1).trim();
  }
  return out;
}
