import { type Application, type Relation, Unit } from '@charmkit/ops';
import type { z } from 'zod';
import { type DatabagIssue, DatabagWriteError, RemoteDatabagError } from './errors.js';

/**
 * The schema of one databag: a zod object whose fields decode from the bag's strings (plain
 * `z.string()` for a bare string, {@link jsonField} for JSON in a string). Keys the schema does not
 * name (Juju's own `ingress-address`, other libraries' keys) are ignored.
 */
export type DatabagSchema = z.ZodObject<z.ZodRawShape>;

/** What {@link tryReadDatabag} returns: the parsed bag, or why it does not match. */
export type DatabagResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: RemoteDatabagError };

/** `app "postgresql"` / `unit "postgresql/0"`: how messages name a databag's owner. */
export function describeMember(member: Unit | Application): string {
  return member instanceof Unit ? `unit ${member.name}` : `app ${member.name}`;
}

function issuesOf(error: z.ZodError): DatabagIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(databag)',
    expected: issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, ', got nothing'),
  }));
}

/**
 * Reads `member`'s databag in `relation` with `schema`.
 *
 * @throws {RemoteDatabagError} the bag does not match: names the relation, the member and each field.
 */
export function readDatabag<S extends DatabagSchema>(
  relation: Relation,
  member: Unit | Application,
  schema: S,
): z.output<S> {
  const result = tryReadDatabag(relation, member, schema);
  if (!result.ok) throw result.error;
  return result.value;
}

/** {@link readDatabag} without the throw: `{ ok: false, error }` when the bag does not match. */
export function tryReadDatabag<S extends DatabagSchema>(
  relation: Relation,
  member: Unit | Application,
  schema: S,
): DatabagResult<z.output<S>> {
  const bag = relation.data(member).toObject();
  const result = schema.safeDecode(bag as z.input<S>);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    error: new RemoteDatabagError(String(relation), describeMember(member), issuesOf(result.error)),
  };
}

/**
 * Encodes `value` with `schema` into databag strings, checking it first (`where` names the bag in
 * the error). {@link writeDatabag} uses it; call it alone to check a value before any relation exists.
 *
 * @throws {DatabagWriteError} `value` does not match `schema`.
 */
export function encodeDatabag<S extends DatabagSchema>(
  schema: S,
  value: z.output<S>,
  where: string,
): Record<string, string | undefined> {
  const result = schema.safeEncode(value);
  if (!result.success) {
    const list = issuesOf(result.error)
      .map((i) => `${i.field}: ${i.expected}`)
      .join('; ');
    throw new DatabagWriteError(`cannot write ${where}: ${list}`);
  }
  return result.data as Record<string, string | undefined>;
}

/**
 * Writes `value` into `member`'s databag, encoded by `schema` (checked first: nothing is written
 * when a field is wrong). The schema's keys that `value` leaves `undefined` are deleted from the
 * bag, so the bag says exactly what `value` says; keys the schema does not name are left alone.
 * Buffered like every databag write: one `relation-set` at commit.
 *
 * @throws {DatabagWriteError} `value` does not match `schema`.
 */
export function writeDatabag<S extends DatabagSchema>(
  relation: Relation,
  member: Unit | Application,
  schema: S,
  value: z.output<S>,
): void {
  const encoded = encodeDatabag(
    schema,
    value,
    `the databag of ${describeMember(member)} in relation ${relation}`,
  );
  const bag = relation.data(member);
  const changes: Record<string, string | null> = {};
  for (const key of Object.keys(schema.shape)) {
    const text = encoded[key];
    if (text !== undefined) {
      if (bag.get(key) !== text) changes[key] = text;
    } else if (bag.has(key)) changes[key] = null;
  }
  if (Object.keys(changes).length > 0) bag.update(changes);
}
