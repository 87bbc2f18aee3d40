import { CharmkitError } from '@charmkit/ops';
import type { InterfacesErrorCode } from '../error-codes.js';

/** One field of a databag that does not match its interface's schema. */
export interface DatabagIssue {
  /** The databag key (`endpoints`, `port`), or `(databag)` for the bag as a whole. */
  readonly field: string;
  /** What the interface expects there, e.g. `expected a JSON value`, `expected int, received string`. */
  readonly expected: string;
}

/**
 * A remote application's (or unit's) databag does not match the interface's schema: a field is
 * missing, is not the JSON the interface encodes it as, or has the wrong type. The message names the
 * relation, the remote application or unit, each field and what was expected (never the values,
 * which may be credentials). The interface objects of this package catch it, log it and set the
 * unit blocked; it reaches a charm only through `readDatabag()`.
 *
 * @remedy The remote charm writes data this interface version does not accept: check that both
 * sides speak the same interface version (see docs/reference/interfaces.md) and fix or upgrade the
 * remote charm. Call `tryReadDatabag()` instead of `readDatabag()` to handle it without a throw.
 */
export class RemoteDatabagError extends CharmkitError {
  readonly code = 'CHARMKIT_REMOTE_DATABAG_INVALID' satisfies InterfacesErrorCode;
  /** The relation, `endpoint:id`. */
  readonly relation: string;
  /** The remote application or unit whose bag was read. */
  readonly member: string;
  /** Every field that did not match. */
  readonly issues: readonly DatabagIssue[];

  constructor(relation: string, member: string, issues: readonly DatabagIssue[]) {
    const list = issues.map((i) => `${i.field}: ${i.expected}`).join('; ');
    super(`relation ${relation}: the databag of ${member} does not match the interface: ${list}`);
    this.relation = relation;
    this.member = member;
    this.issues = issues;
  }
}

/**
 * What this charm was about to write into a databag does not match the interface's schema (a
 * wrong port, an empty database name, a URL that is not one). Nothing is written.
 *
 * @remedy Fix the value passed to the interface object; the message names the field and what the
 * interface expects.
 */
export class DatabagWriteError extends CharmkitError {
  readonly code = 'CHARMKIT_DATABAG_WRITE_INVALID' satisfies InterfacesErrorCode;
}

/**
 * A method that writes the application databag (credentials, URLs, requests) was called on a unit
 * that is not the leader. Same code as `@charmkit/ops`' `NotLeaderError`: the same refusal, found
 * before any hook tool runs.
 *
 * @remedy Call it only when `this.unit.isLeader()`; the interface objects re-publish from the
 * leader on `leader-elected`, so non-leaders can simply skip it.
 */
export class InterfaceNotLeaderError extends CharmkitError {
  readonly code = 'CHARMKIT_NOT_LEADER' satisfies InterfacesErrorCode;
}
