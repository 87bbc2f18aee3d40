import { ToolFailure } from './errors.js';
import {
  type SimSecretGrant,
  type SimSecretMetadata,
  type SimSecretOwner,
  type SimSecretRecord,
  type SimSecretStore,
  sameContent,
  secretXid,
} from './secret-store.js';

/** Who runs the hook, as the secret rules need it. */
export interface SecretActor {
  readonly unit: string;
  readonly app: string;
  isLeader(): boolean;
  /** A relation the hook may name, with its remote side; undefined when unknown here. */
  relation(
    id: number,
  ): { readonly remoteApp: string; readonly key: string; readonly isPeer: boolean } | undefined;
}

/** How `secret-get` picks and reads. */
export interface SecretReadRequest {
  readonly id?: string;
  readonly label?: string;
  readonly peek?: boolean;
  readonly refresh?: boolean;
}

/** The owner's view of a secret, as `secret-info-get` prints it. */
export interface SecretInfoView {
  readonly xid: string;
  readonly revision: number;
  readonly label: string;
  readonly owner: 'application' | 'unit';
  readonly description?: string;
  readonly rotation?: string;
  readonly expiry?: string;
  readonly access: readonly { readonly target: string; readonly scope: string; readonly role: string }[];
}

interface Draft {
  readonly xid: string;
  readonly uri: string;
  readonly owner: SimSecretOwner;
  readonly isNew: boolean;
  removed: boolean;
  /** The new latest content (initial content for a new secret). */
  content?: Record<string, string>;
  metadata: { -readonly [K in keyof SimSecretMetadata]: SimSecretMetadata[K] };
  readonly grantOps: { readonly grant: boolean; readonly target: SimSecretGrant }[];
  readonly removedRevisions: number[];
}

/**
 * One hook's secret operations (juju-contract §2, Secrets): owner writes (`secret-add`, `-set`,
 * `-grant`, `-revoke`, `-remove`) are buffered and applied to the model's {@link SimSecretStore}
 * when the hook succeeds, while the hook itself sees them at once (a just-added secret is
 * readable); consumer reads record the tracked revision at once, as the controller does. Failures
 * are Juju's texts: `not found`, `permission denied`, `this unit is not the leader`.
 */
export class SecretSession {
  readonly #drafts = new Map<string, Draft>();

  constructor(
    private readonly store: SimSecretStore,
    private readonly actor: SecretActor,
  ) {}

  /** `secret-add`: prints the new URI; the secret exists once the hook commits. */
  add(
    content: Readonly<Record<string, string>>,
    owner: 'application' | 'unit',
    metadata: SimSecretMetadata,
  ): string {
    if (Object.keys(content).length === 0) throw new ToolFailure(2, 'missing secret value or filename');
    if (owner === 'application' && !this.actor.isLeader())
      throw new ToolFailure(1, 'this unit is not the leader');
    const xid = this.store.newXid();
    const draft: Draft = {
      xid,
      uri: `secret://${this.store.modelUuid}/${xid}`,
      owner:
        owner === 'application'
          ? { kind: 'application', app: this.actor.app }
          : { kind: 'unit', unit: this.actor.unit },
      isNew: true,
      removed: false,
      content: { ...content },
      metadata: { ...metadata },
      grantOps: [],
      removedRevisions: [],
    };
    this.#drafts.set(xid, draft);
    return draft.uri;
  }

  /** `secret-get`: the owner reads the latest; a consumer its tracked revision (see `peek`/`refresh`). */
  get(request: SecretReadRequest): Record<string, string> {
    if (request.peek && request.refresh)
      throw new ToolFailure(2, 'specify one of --peek or --refresh but not both');
    const xid = this.#resolve(request);
    const view = this.#view(xid);
    if (this.#ownsSide(view.owner)) {
      if (request.id !== undefined && request.label !== undefined && this.#manages(view.owner)) {
        this.#draft(xid).metadata.label = request.label;
      }
      return { ...view.content };
    }
    const record = this.store.get(view.uri) as SimSecretRecord;
    if (!this.store.isGranted(record.uri, this.actor.app, this.actor.unit))
      throw new ToolFailure(1, 'permission denied');
    const unit = this.actor.unit;
    if (request.id !== undefined && request.label !== undefined)
      this.store.labelConsumer(record.uri, unit, request.label);
    const consumer = this.store.consumer(record.uri, unit);
    if (!consumer || request.refresh) this.store.track(record.uri, unit, record.latest);
    const revision = request.peek
      ? record.latest
      : (this.store.consumer(record.uri, unit)?.tracked ?? record.latest);
    return { ...(record.revisions.get(revision) ?? record.revisions.get(record.latest) ?? {}) };
  }

  /** `secret-info-get`: owners only (the leader for an application's secret); anyone else `not found`. */
  info(selector: { readonly id?: string; readonly label?: string }): SecretInfoView {
    const xid = this.#resolve(selector);
    const view = this.#view(xid);
    if (!this.#manages(view.owner)) throw notFound(selector.id ?? selector.label ?? '');
    return {
      xid,
      revision: view.revision,
      label: view.metadata.label ?? '',
      owner: view.owner.kind,
      ...(view.metadata.description ? { description: view.metadata.description } : {}),
      ...(view.metadata.rotate && view.metadata.rotate !== 'never' ? { rotation: view.metadata.rotate } : {}),
      ...(view.metadata.expire ? { expiry: view.metadata.expire } : {}),
      access: view.grants.map((grant) => ({
        target: grant.unit === null ? `application-${grant.app}` : `unit-${grant.unit.replace('/', '-')}`,
        scope: this.#relationTag(grant.relationId),
        role: 'view',
      })),
    };
  }

  /** `secret-ids`: the secrets this unit owns, and its application's when it leads. */
  ids(): string[] {
    const ids = new Set<string>();
    for (const record of this.store.list()) if (this.#manages(record.owner)) ids.add(record.xid);
    for (const draft of this.#drafts.values()) {
      if (draft.removed) ids.delete(draft.xid);
      else if (draft.isNew) ids.add(draft.xid);
    }
    return [...ids].sort();
  }

  /** `secret-set`: new content (a new revision if it differs) and/or metadata. */
  set(id: string, content: Readonly<Record<string, string>> | undefined, metadata: SimSecretMetadata): void {
    const draft = this.#managed(id);
    if (content !== undefined) draft.content = { ...content };
    Object.assign(draft.metadata, stripUndefined(metadata));
  }

  /** `secret-grant -r <relation> [--unit u]`: the grantee is the relation's remote application. */
  grant(id: string, relationId: number, unit: string | null, revoke = false): void {
    const xid = this.#resolve({ id });
    const view = this.#view(xid);
    // Granting needs the owner's metadata: anyone else does not see the secret at all.
    if (!revoke && !this.#manages(view.owner)) throw notFound(id);
    const draft = this.#managed(id);
    const relation = this.actor.relation(relationId);
    if (!relation) throw new ToolFailure(2, `invalid value "${relationId}" for flag -r: relation not found`);
    if (unit !== null && unit.split('/')[0] !== relation.remoteApp) {
      throw new ToolFailure(
        1,
        `cannot specify unit "${unit}" in relation to application "${relation.remoteApp}"`,
      );
    }
    draft.grantOps.push({ grant: !revoke, target: { relationId, app: relation.remoteApp, unit } });
  }

  /** `secret-remove [--revision N]`. */
  remove(id: string, revision: number | null): void {
    const draft = this.#managed(id);
    if (revision === null) {
      draft.removed = true;
      return;
    }
    const view = this.#view(draft.xid);
    if (!view.revisions.includes(revision)) throw new ToolFailure(1, `secret revision ${revision} not found`);
    draft.removedRevisions.push(revision);
  }

  /** Applies the buffered owner writes to the store: the hook succeeded. */
  commit(): void {
    for (const draft of this.#drafts.values()) {
      if (draft.isNew) {
        if (draft.removed) continue;
        this.store.add({
          owner: draft.owner,
          content: draft.content ?? {},
          xid: draft.xid,
          ...draft.metadata,
        });
      } else {
        if (!this.store.get(draft.uri)) continue;
        if (draft.removed) {
          this.store.remove(draft.uri);
          continue;
        }
        this.store.update(draft.uri, {
          ...draft.metadata,
          ...(draft.content === undefined ? {} : { content: draft.content }),
        });
      }
      for (const op of draft.grantOps) {
        if (op.grant) this.store.grant(draft.uri, op.target);
        else this.store.revoke(draft.uri, op.target);
      }
      for (const revision of draft.removedRevisions) this.store.remove(draft.uri, revision);
    }
    this.#drafts.clear();
  }

  /** Drops the buffered writes: the hook failed. */
  discard(): void {
    this.#drafts.clear();
  }

  // Internals

  /** The xid a selector names for this unit (`secret URI "x" not valid`, `not found`). */
  #resolve(selector: { readonly id?: string | undefined; readonly label?: string | undefined }): string {
    if (selector.id !== undefined) {
      const xid = secretXid(selector.id);
      if (xid === null) throw new ToolFailure(2, `secret URI "${selector.id}" not valid`);
      const draft = this.#drafts.get(xid);
      if (draft ? draft.removed : !this.store.get(xid)) throw notFound(selector.id);
      return xid;
    }
    const label = selector.label ?? '';
    // The owner's labels first (this hook's changes included), then this unit's consumer labels.
    for (const draft of this.#drafts.values()) {
      if (!draft.removed && draft.metadata.label === label) return draft.xid;
    }
    for (const record of this.store.list()) {
      if (record.label === label && this.#ownsSide(record.owner) && !this.#drafts.has(record.xid))
        return record.xid;
    }
    const consumed = this.store.consumerLabels(this.actor.unit).get(label);
    if (consumed !== undefined && this.store.get(consumed)) return consumed;
    throw notFound(label);
  }

  /** The secret as this hook sees it: committed state plus this hook's writes. */
  #view(xid: string): {
    uri: string;
    owner: SimSecretOwner;
    content: Readonly<Record<string, string>>;
    revision: number;
    revisions: number[];
    metadata: SimSecretMetadata;
    grants: SimSecretGrant[];
  } {
    const draft = this.#drafts.get(xid);
    const record = this.store.get(xid);
    const base = record ? record.revisions.get(record.latest) : undefined;
    const changed = draft?.content !== undefined && (draft.isNew || !sameContent(draft.content, base));
    let grants = [...(record?.grants ?? [])];
    for (const op of draft?.grantOps ?? []) {
      const { target } = op;
      grants = grants.filter(
        (g) =>
          !(
            g.relationId === target.relationId &&
            g.app === target.app &&
            (target.unit === null ? !op.grant || g.unit === null : g.unit === target.unit)
          ),
      );
      if (op.grant) grants.push(target);
    }
    const latest = draft?.isNew ? 1 : (record?.latest ?? 1) + (changed ? 1 : 0);
    const removed = new Set(draft?.removedRevisions ?? []);
    const revisions = [
      ...(record?.revisions.keys() ?? []),
      ...(changed || draft?.isNew ? [latest] : []),
    ].filter((r) => !removed.has(r));
    return {
      uri: draft?.uri ?? (record as SimSecretRecord).uri,
      owner: draft?.owner ?? (record as SimSecretRecord).owner,
      content: (changed ? draft?.content : base) ?? {},
      revision: latest,
      revisions: [...new Set(revisions)],
      metadata: { ...pickMetadata(record), ...stripUndefined(draft?.metadata ?? {}) },
      grants,
    };
  }

  #draft(xid: string): Draft {
    let draft = this.#drafts.get(xid);
    if (!draft) {
      const record = this.store.get(xid) as SimSecretRecord;
      draft = {
        xid,
        uri: record.uri,
        owner: record.owner,
        isNew: false,
        removed: false,
        metadata: {},
        grantOps: [],
        removedRevisions: [],
      };
      this.#drafts.set(xid, draft);
    }
    return draft;
  }

  /** A secret this unit may change: its own, or (as leader) its application's. */
  #managed(id: string): Draft {
    const xid = this.#resolve({ id });
    const { owner } = this.#view(xid);
    if (!this.#manages(owner)) {
      if (owner.kind === 'application' && owner.app === this.actor.app)
        throw new ToolFailure(1, 'this unit is not the leader');
      throw new ToolFailure(1, 'permission denied');
    }
    return this.#draft(xid);
  }

  /** True for this unit's secrets and its application's (which every unit of it reads as owner). */
  #ownsSide(owner: SimSecretOwner): boolean {
    return owner.kind === 'unit' ? owner.unit === this.actor.unit : owner.app === this.actor.app;
  }

  /** True when this unit manages the secret: its own, or its application's while it leads. */
  #manages(owner: SimSecretOwner): boolean {
    return owner.kind === 'unit'
      ? owner.unit === this.actor.unit
      : owner.app === this.actor.app && this.actor.isLeader();
  }

  #relationTag(relationId: number): string {
    const relation = this.actor.relation(relationId);
    return relation
      ? `relation-${relation.key.replaceAll(':', '.').replace(' ', '#')}`
      : `relation-${relationId}`;
  }
}

function notFound(what: string): ToolFailure {
  return new ToolFailure(1, `secret "${what}" not found`);
}

function pickMetadata(record: SimSecretRecord | undefined): SimSecretMetadata {
  if (!record) return {};
  return stripUndefined({
    label: record.label,
    description: record.description,
    expire: record.expire,
    rotate: record.rotate,
  });
}

function stripUndefined(
  metadata: { readonly [K in keyof SimSecretMetadata]?: string | undefined },
): SimSecretMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as SimSecretMetadata;
}
