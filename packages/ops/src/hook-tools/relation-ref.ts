import { invalidArgument } from './errors.js';
import { describe } from './validate.js';

/**
 * A relation as hook tools take it with `-r`: the numeric id (`3`) or `<endpoint>:<id>`
 * (`"db:3"`, as `JUJU_RELATION_ID` and `relation-ids` spell it). Juju ignores the endpoint part;
 * it only makes error messages easier to read.
 */
export type RelationRef = number | string;

const RELATION_REF = /^(?:[a-zA-Z][\w-]*:)?\d+$/;

/**
 * The `-r <ref>` arguments for `ref`, or none when it is undefined (the tool then uses the hook's
 * own relation). Rejects what Juju would reject as `invalid relation id`, before spawning.
 */
export function relationArgs(tool: string, ref: RelationRef | undefined): string[] {
  if (ref === undefined) return [];
  if (typeof ref === 'number') {
    if (!Number.isSafeInteger(ref) || ref < 0) {
      throw invalidArgument(tool, `relation id must be a non-negative integer, got ${describe(ref)}`);
    }
    return ['-r', String(ref)];
  }
  if (typeof ref !== 'string' || !RELATION_REF.test(ref)) {
    throw invalidArgument(
      tool,
      `relation id ${describe(ref)} is not a relation id (expected a number or "<endpoint>:<number>")`,
    );
  }
  return ['-r', ref];
}

/**
 * The numeric id in `"<endpoint>:<id>"` (or a bare `"<id>"`), as `relation-ids` prints it;
 * `undefined` if `text` is not of that shape.
 */
export function parseRelationId(text: string): number | undefined {
  const match = /^(?:[^:]*:)?(\d+)$/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
