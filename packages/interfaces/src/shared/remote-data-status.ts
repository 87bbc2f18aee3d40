import {
  ActiveStatus,
  BlockedStatus,
  type CharmBase,
  type CollectStatusEvent,
  OpsObject,
} from '@charmkit/ops';
import type { RemoteDatabagError } from './errors.js';

/**
 * "A bad remote bag blocks the unit, it never crashes the hook", for an interface object. Give it
 * a function that returns the problems of every relation of the endpoint (usually by calling
 * `tryReadDatabag()` on each remote bag): at collect-status, in every hook, the first problem
 * becomes the unit's blocked status, e.g. `database: app postgresql sent invalid endpoints`.
 * When the remote charm fixes its data, the next hook clears the blocked status it set (with an
 * empty active status, which any status the charm adds at collect-status outranks). Handlers
 * that meet a problem call {@link RemoteDataStatus.report}, which logs it once per hook (the
 * message names each field and what was expected) and leaves the handler free to return.
 */
export class RemoteDataStatus extends OpsObject {
  static override readonly handleKind = 'RemoteDataStatus';
  readonly #problems: () => Iterable<RemoteDatabagError>;
  readonly #logged = new Set<string>();
  /** The blocked message this object set, kept so it can clear it once the data is fixed. */
  readonly #stored: { blocked: string | null };

  constructor(charm: CharmBase, owner: OpsObject, problems: () => Iterable<RemoteDatabagError>) {
    super(owner, 'remote-data');
    this.#problems = problems;
    this.#stored = this.storedState('status', { blocked: null as string | null });
    this.observe(charm.on.collectUnitStatus, this.onCollectUnitStatus);
  }

  /** Logs `error` at WARNING (once per hook); the blocked status follows at collect-status. */
  report(error: RemoteDatabagError): void {
    if (this.#logged.has(error.message)) return;
    this.#logged.add(error.message);
    this.framework.log.log('WARNING', error.message);
  }

  /** @internal */
  onCollectUnitStatus(event: CollectStatusEvent): void {
    for (const error of this.#problems()) {
      this.report(error);
      const endpoint = error.relation.replace(/:\d+$/, '');
      const fields = [...new Set(error.issues.map((i) => i.field))].join(', ');
      const message = `${endpoint}: ${error.member} sent invalid ${fields}`;
      this.#stored.blocked = message;
      event.addStatus(new BlockedStatus(message));
      return;
    }
    if (this.#stored.blocked !== null) {
      this.#stored.blocked = null;
      event.addStatus(new ActiveStatus());
    }
  }
}
