import { SimulatorError } from './errors.js';

/** Who owns a simulated secret: an application (managed by its leader) or one unit. */
export type SimSecretOwner =
  | { readonly kind: 'application'; readonly app: string }
  | { readonly kind: 'unit'; readonly unit: string };

/** Who may read a secret besides its owner: a grant made on a relation. */
export interface SimSecretGrant {
  /** The relation the grant was made on (it names the grant in `secret-info-get`'s access list). */
  readonly relationId: number;
  /** The grantee application (the relation's remote application). */
  readonly app: string;
  /** One unit of that application only, or null for all of them. */
  readonly unit: string | null;
}

/** A secret's owner-managed metadata. */
export interface SimSecretMetadata {
  /** The owner's label. */
  readonly label?: string;
  readonly description?: string;
  /** RFC 3339 time or Go duration, as given. */
  readonly expire?: string;
  readonly rotate?: string;
}

/** One secret as the controller keeps it (a copy: changing it changes nothing). */
export interface SimSecretRecord extends SimSecretMetadata {
  /** The 20-character id. */
  readonly xid: string;
  /** `secret://<model-uuid>/<xid>`. */
  readonly uri: string;
  readonly owner: SimSecretOwner;
  /** Content by revision number; revisions removed with `secret-remove --revision` are absent. */
  readonly revisions: ReadonlyMap<number, Readonly<Record<string, string>>>;
  /** The newest revision. */
  readonly latest: number;
  readonly grants: readonly SimSecretGrant[];
}

/** What a consumer unit holds about a secret it read. */
export interface SimSecretConsumer {
  /** The revision it sees until it refreshes. */
  readonly tracked: number;
  /** Its own label for the secret, if it gave one. */
  readonly label?: string;
}

/** What the store tells the simulators sharing it, so they queue the hooks Juju would. */
export type SimSecretEvent =
  | {
      /** A consumer tracks an older revision than the one just published. */
      readonly kind: 'secret-changed';
      readonly uri: string;
      /** The consumer unit. */
      readonly unit: string;
      /** The consumer's label, or null. */
      readonly label: string | null;
    }
  | {
      /** A revision no consumer tracks any more, and not the latest: the owner may remove it. */
      readonly kind: 'secret-remove';
      readonly uri: string;
      readonly owner: SimSecretOwner;
      /** The owner's label, or null. */
      readonly label: string | null;
      readonly revision: number;
    };

/** Called for every {@link SimSecretEvent}. */
export type SimSecretListener = (event: SimSecretEvent) => void;

/** How to create a secret with {@link SimSecretStore.add}. */
export interface SimSecretAddOptions extends SimSecretMetadata {
  readonly owner: SimSecretOwner;
  readonly content: Readonly<Record<string, string>>;
  /** A fixed id (20 characters of `[0-9a-v]`), for tests that seed known secrets. Default: the next one. */
  readonly xid?: string;
}

interface MutableSecret {
  xid: string;
  uri: string;
  owner: SimSecretOwner;
  revisions: Map<number, Readonly<Record<string, string>>>;
  latest: number;
  grants: SimSecretGrant[];
  label?: string;
  description?: string;
  expire?: string;
  rotate?: string;
  /** Revisions the owner was already told (secret-remove) it may remove. */
  obsoleteNotified: Set<number>;
}

const XID = /^[0-9a-v]{20}$/;

/** The xid of a secret URI in any form Juju accepts (`secret://uuid/xid`, `secret:xid`, bare xid). */
export function secretXid(uri: string): string | null {
  const xid = uri.slice(-20);
  if (!XID.test(xid)) return null;
  const prefix = uri.slice(0, -20);
  return prefix === '' || /^secret:(?:\/\/[0-9a-f-]{36}\/|[0-9a-f-]{36}\/)?$/.test(prefix) ? xid : null;
}

/**
 * The model's secrets, as the controller keeps them: owners, revisions, owner labels, grants, and
 * per consumer unit the revision it tracks and its label. **Model-wide**: every application of a
 * simulated model (each with its own `World`) shares one store, so a secret one charm grants can be
 * read by another. It knows applications and units only by name; the hook sessions check who may
 * do what, and the simulators queue `secret-changed` / `secret-remove` from its events.
 *
 * Writes here are immediate: a hook's secret writes are buffered by its session and applied here
 * when the hook succeeds (juju-contract §2, Secrets).
 */
export class SimSecretStore {
  /** The model uuid printed in secret URIs. */
  readonly modelUuid: string;
  readonly #secrets = new Map<string, MutableSecret>();
  /** Consumers by secret xid, then by unit. */
  readonly #consumers = new Map<string, Map<string, SimSecretConsumer>>();
  readonly #listeners = new Set<SimSecretListener>();
  #next = 0;
  /** Ids handed out to hooks that may still commit them. */
  readonly #reserved = new Set<string>();

  constructor(options: { readonly modelUuid?: string } = {}) {
    this.modelUuid = options.modelUuid ?? '00000000-0000-4000-8000-000000000000';
  }

  /** Calls `listener` for every event from now on; returns the function that stops it. */
  subscribe(listener: SimSecretListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // Reading

  /** Every secret, oldest first. */
  list(): SimSecretRecord[] {
    return [...this.#secrets.values()].map(snapshot);
  }

  /** The secret a URI (any accepted form) names, or undefined. */
  get(uri: string): SimSecretRecord | undefined {
    const xid = secretXid(uri);
    const secret = xid === null ? undefined : this.#secrets.get(xid);
    return secret ? snapshot(secret) : undefined;
  }

  /** What `unit` holds as a consumer of the secret, or undefined when it never read it. */
  consumer(uri: string, unit: string): SimSecretConsumer | undefined {
    const xid = secretXid(uri);
    return xid === null ? undefined : this.#consumers.get(xid)?.get(unit);
  }

  /** The xids of the secrets `unit` has a consumer label for, by label. */
  consumerLabels(unit: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [xid, consumers] of this.#consumers) {
      const label = consumers.get(unit)?.label;
      if (label !== undefined) out.set(label, xid);
    }
    return out;
  }

  /** Whether `unit` (of `app`) may read the secret as a consumer: a grant to its app or to it. */
  isGranted(uri: string, app: string, unit: string): boolean {
    const secret = this.get(uri);
    return secret?.grants.some((g) => g.app === app && (g.unit === null || g.unit === unit)) ?? false;
  }

  // Writing (owners, applied when their hook commits)

  /** Creates a secret at revision 1; returns its URI. */
  add(options: SimSecretAddOptions): string {
    const xid = options.xid ?? this.#nextXid();
    if (!XID.test(xid))
      throw new SimulatorError(`secret id ${JSON.stringify(xid)} is not 20 characters of [0-9a-v]`);
    if (this.#secrets.has(xid)) throw new SimulatorError(`secret ${xid} already exists`);
    const secret: MutableSecret = {
      xid,
      uri: `secret://${this.modelUuid}/${xid}`,
      owner: options.owner,
      revisions: new Map([[1, { ...options.content }]]),
      latest: 1,
      grants: [],
      obsoleteNotified: new Set(),
    };
    applyMetadata(secret, options);
    this.#secrets.set(xid, secret);
    return secret.uri;
  }

  /**
   * Changes metadata and, when `content` differs from the latest revision's, publishes a new
   * revision: every consumer tracking an older one gets `secret-changed`, and revisions nobody
   * tracks any more are reported obsolete (`secret-remove`).
   */
  update(
    uri: string,
    changes: SimSecretMetadata & { readonly content?: Readonly<Record<string, string>> },
  ): void {
    const secret = this.#require(uri);
    applyMetadata(secret, changes);
    const { content } = changes;
    if (content === undefined || sameContent(content, secret.revisions.get(secret.latest))) return;
    secret.latest++;
    secret.revisions.set(secret.latest, { ...content });
    for (const [unit, consumer] of [
      ...(this.#consumers.get(secret.xid) ?? new Map<string, SimSecretConsumer>()),
    ]) {
      if (consumer.tracked < secret.latest) {
        this.#emit({ kind: 'secret-changed', uri: secret.uri, unit, label: consumer.label ?? null });
      }
    }
    this.#reportObsolete(secret);
  }

  /** Grants read access to an application (or one of its units) on a relation. */
  grant(uri: string, grant: SimSecretGrant): void {
    const secret = this.#require(uri);
    if (!secret.grants.some((g) => sameGrant(g, grant))) secret.grants.push({ ...grant });
  }

  /** Withdraws a grant (`unit` null: the application's grant and every unit grant on that relation). */
  revoke(uri: string, grant: SimSecretGrant): void {
    const secret = this.#require(uri);
    secret.grants = secret.grants.filter((g) =>
      grant.unit === null
        ? !(g.relationId === grant.relationId && g.app === grant.app)
        : !sameGrant(g, grant),
    );
  }

  /** Drops every grant made on a relation (the relation is gone). */
  dropRelation(relationId: number): void {
    for (const secret of this.#secrets.values())
      secret.grants = secret.grants.filter((g) => g.relationId !== relationId);
  }

  /** Removes a whole secret, or one revision of it. */
  remove(uri: string, revision: number | null = null): void {
    const secret = this.#require(uri);
    if (revision === null) {
      this.#secrets.delete(secret.xid);
      this.#consumers.delete(secret.xid);
      return;
    }
    secret.revisions.delete(revision);
    if (secret.revisions.size === 0) {
      this.#secrets.delete(secret.xid);
      this.#consumers.delete(secret.xid);
    }
  }

  // Consumers (immediate, as the controller records a read at once)

  /**
   * Records that `unit` tracks `revision` (default: the latest), keeping or setting its label.
   * A revision left behind by the last consumer becomes obsolete (`secret-remove` on the owner).
   */
  track(uri: string, unit: string, revision?: number, label?: string): void {
    const secret = this.#require(uri);
    let consumers = this.#consumers.get(secret.xid);
    if (!consumers) {
      consumers = new Map();
      this.#consumers.set(secret.xid, consumers);
    }
    const current = consumers.get(unit);
    const nextLabel = label ?? current?.label;
    consumers.set(unit, {
      tracked: revision ?? secret.latest,
      ...(nextLabel === undefined ? {} : { label: nextLabel }),
    });
    this.#reportObsolete(secret);
  }

  /** Sets `unit`'s consumer label for the secret (a label names one secret per consumer). */
  labelConsumer(uri: string, unit: string, label: string): void {
    const secret = this.#require(uri);
    for (const [xid, consumers] of this.#consumers) {
      const other = consumers.get(unit);
      if (xid !== secret.xid && other?.label === label) consumers.set(unit, { tracked: other.tracked });
    }
    const current = this.#consumers.get(secret.xid)?.get(unit);
    this.track(uri, unit, current?.tracked ?? secret.latest, label);
  }

  // Internals

  #require(uri: string): MutableSecret {
    const xid = secretXid(uri);
    const secret = xid === null ? undefined : this.#secrets.get(xid);
    if (!secret) throw new SimulatorError(`no secret ${JSON.stringify(uri)} in the model`);
    return secret;
  }

  /** A fresh secret id, not yet used (a hook's `secret-add` prints its URI before the hook commits). */
  newXid(): string {
    return this.#nextXid();
  }

  #nextXid(): string {
    let xid: string;
    do {
      xid = `ck${(++this.#next).toString(32).padStart(18, '0')}`;
    } while (this.#secrets.has(xid) || this.#reserved.has(xid));
    this.#reserved.add(xid);
    return xid;
  }

  #reportObsolete(secret: MutableSecret): void {
    const tracked = new Set([...(this.#consumers.get(secret.xid)?.values() ?? [])].map((c) => c.tracked));
    for (const revision of [...secret.revisions.keys()].sort((a, b) => a - b)) {
      if (revision === secret.latest || tracked.has(revision) || secret.obsoleteNotified.has(revision))
        continue;
      secret.obsoleteNotified.add(revision);
      this.#emit({
        kind: 'secret-remove',
        uri: secret.uri,
        owner: secret.owner,
        label: secret.label ?? null,
        revision,
      });
    }
  }

  #emit(event: SimSecretEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}

function applyMetadata(secret: MutableSecret, metadata: SimSecretMetadata): void {
  if (metadata.label !== undefined) secret.label = metadata.label;
  if (metadata.description !== undefined) secret.description = metadata.description;
  if (metadata.expire !== undefined) secret.expire = metadata.expire;
  if (metadata.rotate !== undefined) secret.rotate = metadata.rotate;
}

function snapshot(secret: MutableSecret): SimSecretRecord {
  return {
    xid: secret.xid,
    uri: secret.uri,
    owner: secret.owner,
    revisions: new Map(secret.revisions),
    latest: secret.latest,
    grants: [...secret.grants],
    ...(secret.label === undefined ? {} : { label: secret.label }),
    ...(secret.description === undefined ? {} : { description: secret.description }),
    ...(secret.expire === undefined ? {} : { expire: secret.expire }),
    ...(secret.rotate === undefined ? {} : { rotate: secret.rotate }),
  };
}

function sameGrant(a: SimSecretGrant, b: SimSecretGrant): boolean {
  return a.relationId === b.relationId && a.app === b.app && a.unit === b.unit;
}

/** Whether two secret contents hold the same keys and values (a `secret-set` that changes nothing). */
export function sameContent(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
