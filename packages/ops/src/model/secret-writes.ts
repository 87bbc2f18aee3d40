import type { ModelBackend, SecretMetadataArgs, SecretOwner } from './model-backend.js';
import { ModelError } from './model-errors.js';

/** A grant or revoke waiting for commit. */
interface AccessChange {
  readonly kind: 'grant' | 'revoke';
  readonly relationId: number;
  readonly unit: string | null;
}

/** Everything buffered for one secret. */
interface PendingSecret {
  content: Record<string, string> | null;
  metadata: { -readonly [K in keyof SecretMetadataArgs]: SecretMetadataArgs[K] };
  access: AccessChange[];
  revisions: number[];
  removeAll: boolean;
}

function copyPending(p: PendingSecret): PendingSecret {
  return {
    content: p.content === null ? null : { ...p.content },
    metadata: { ...p.metadata },
    access: [...p.access],
    revisions: [...p.revisions],
    removeAll: p.removeAll,
  };
}

/**
 * The secret writes of one hook, buffered per secret and sent at commit.
 *
 * Why buffer: Juju itself keeps `secret-set`, `-grant`, `-revoke` and `-remove` in the hook
 * context and applies them only when the hook exits 0, so sending them early gains nothing, while
 * buffering lets a failed deferred handler's writes be undone (`Model.checkpoint()`) and folds
 * repeated writes (`setContent` twice, then `setInfo`) into one `secret-set`. `secret-add` is the
 * exception and is never buffered: the charm needs the new URI at once (to share it in relation
 * data), and Juju discards the new secret anyway if the hook fails.
 */
export class SecretWrites {
  #pending = new Map<string, PendingSecret>();
  /** What the model learnt about ownership (secret-add, secret-info-get), by canonical id. */
  readonly owners = new Map<string, SecretOwner | 'model' | null>();

  #entry(id: string): PendingSecret {
    let entry = this.#pending.get(id);
    if (entry?.removeAll) {
      throw new ModelError(`secret ${id} is already being removed in this hook; it cannot be changed`);
    }
    if (!entry) {
      entry = { content: null, metadata: {}, access: [], revisions: [], removeAll: false };
      this.#pending.set(id, entry);
    }
    return entry;
  }

  /** Buffers new content (a new revision). */
  setContent(id: string, content: Record<string, string>): void {
    this.#entry(id).content = { ...content };
  }

  /** Buffers metadata changes; later values win per field. */
  setMetadata(id: string, metadata: SecretMetadataArgs): void {
    Object.assign(this.#entry(id).metadata, metadata);
  }

  /** Buffers a grant or revoke. */
  access(id: string, kind: 'grant' | 'revoke', relationId: number, unit: string | null): void {
    this.#entry(id).access.push({ kind, relationId, unit });
  }

  /** Buffers the removal of one revision. */
  removeRevision(id: string, revision: number): void {
    const entry = this.#entry(id);
    if (!entry.revisions.includes(revision)) entry.revisions.push(revision);
  }

  /** Buffers the removal of the whole secret (idempotent); other pending changes to it are dropped. */
  removeAll(id: string): void {
    this.#pending.set(id, { content: null, metadata: {}, access: [], revisions: [], removeAll: true });
  }

  /** Content set in this hook and not yet sent, if any (the owner's view of its own write). */
  pendingContent(id: string): Record<string, string> | null {
    const content = this.#pending.get(id)?.content;
    return content ? { ...content } : null;
  }

  /** Metadata set in this hook and not yet sent. */
  pendingMetadata(id: string): SecretMetadataArgs {
    return { ...(this.#pending.get(id)?.metadata ?? {}) };
  }

  /** True when the secret is to be removed at commit. */
  isRemoved(id: string): boolean {
    return this.#pending.get(id)?.removeAll === true;
  }

  /**
   * Sends everything, per secret in the order first touched: one `secret-set` (content and
   * metadata together), then grants and revokes in call order, then revision removals; a secret
   * being removed gets only its `secret-remove`.
   */
  flush(backend: ModelBackend): void {
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [id, p] of pending) {
      if (p.removeAll) {
        backend.secretRemove(id, null);
        continue;
      }
      if (p.content !== null || Object.keys(p.metadata).length > 0) {
        backend.secretSet(id, { ...p.metadata, ...(p.content === null ? {} : { content: p.content }) });
      }
      for (const change of p.access) {
        if (change.kind === 'grant') backend.secretGrant(id, change.relationId, change.unit);
        else backend.secretRevoke(id, change.relationId, change.unit);
      }
      for (const revision of p.revisions) backend.secretRemove(id, revision);
    }
  }

  /** Captures the buffered writes; the returned function puts them back. */
  checkpoint(): () => void {
    if (this.#pending.size === 0) return () => this.#pending.clear();
    const saved = new Map([...this.#pending].map(([id, p]) => [id, copyPending(p)]));
    return () => {
      this.#pending = new Map([...saved].map(([id, p]) => [id, copyPending(p)]));
    };
  }
}
