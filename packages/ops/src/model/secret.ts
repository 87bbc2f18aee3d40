import { NotLeaderError, SecretNotFoundError } from '../hook-tools/errors.js';
import { SECRET_ROTATE_POLICIES } from '../hook-tools/secret.js';
import { describe } from '../hook-tools/validate.js';
import type { Model } from './model.js';
import type { SecretOwner } from './model-backend.js';
import { ModelError, SecretValidationError } from './model-errors.js';
import type { Relation } from './relation.js';
import {
  canonicalSecretId,
  checkSecretContent,
  type SecretContent,
  type SecretMetadata,
  type SecretRotate,
  secretMetadataArgs,
  secretXid,
} from './secret-rules.js';
import type { Unit } from './unit.js';

/** A secret's metadata, as its owner sees it (`secret-info-get`). */
export interface SecretInfo {
  /** The canonical id, `secret://<model uuid>/<xid>`. */
  readonly id: string;
  /** The owner's label, or null. */
  readonly label: string | null;
  /** The latest revision. */
  readonly revision: number;
  /** When the latest revision expires, or null. */
  readonly expires: Date | null;
  /** The rotation policy, or null when none is set. */
  readonly rotation: SecretRotate | null;
  /** When the next rotation is due, or null. */
  readonly rotates: Date | null;
  /** The description, or null. */
  readonly description: string | null;
  /** Who owns it (`model` for user secrets); null when Juju did not say. */
  readonly owner: SecretOwner | 'model' | null;
}

/** Options of {@link Secret.grant} and {@link Secret.revoke}. */
export interface SecretGrantOptions {
  /** Only this unit of the related application (default: the whole application). */
  readonly unit?: Unit;
}

/** Options of {@link Secret.getContent}. */
export interface SecretGetContentOptions {
  /** Read the latest revision and track it from now on (consumers stay on their revision otherwise). */
  readonly refresh?: boolean;
}

/**
 * A Juju secret (Juju ≥ 3.0), by id and/or label. Get one from `model.getSecret()`,
 * `unit.addSecret()`/`app.addSecret()`, or a secret event.
 *
 * Reads run at once (`secret-get`, `secret-info-get`) and content is cached for the hook. Writes
 * (`setContent`, `setInfo`, `grant`, `revoke`, `removeRevision`, `removeAllRevisions`) are
 * validated at once and buffered until the hook commits, as Juju applies them only then anyway.
 *
 * `new Secret(id, label)` makes an unbound reference (what events carry); it gains the model when
 * an event hands it out, or with {@link Secret.bind}.
 */
export class Secret {
  #id: string | null;
  #label: string | null;
  readonly #model: Model | null;
  #content: Record<string, string> | null;

  constructor(
    id: string | null,
    label: string | null,
    model: Model | null = null,
    content: SecretContent | null = null,
  ) {
    this.#model = model;
    this.#id = id === null ? null : model === null ? id.trim() : canonicalSecretId(id, model.uuid);
    this.#label = label;
    this.#content = content === null ? null : { ...content };
  }

  /** The id: canonical (`secret://<model uuid>/<xid>`) once bound; null when known by label only. */
  get id(): string | null {
    return this.#id;
  }

  /** The label this unit/app knows the secret by, or null. */
  get label(): string | null {
    return this.#label;
  }

  /** The xid part of the id, unique within the model (null while the id is unknown). */
  get uniqueIdentifier(): string | null {
    return this.#id === null ? null : secretXid(this.#id);
  }

  /** True when the secret can reach Juju (it has a model). */
  get isBound(): boolean {
    return this.#model !== null;
  }

  /** This secret, bound to `model` (itself when it already is). */
  bind(model: Model): Secret {
    if (this.#model === model) return this;
    return new Secret(this.#id, this.#label, model, this.#content);
  }

  #bound(): Model {
    if (this.#model === null) {
      throw new ModelError(
        `secret ${this} is not bound to a model: get it from model.getSecret(), an event, or addSecret()`,
      );
    }
    return this.#model;
  }

  /** The selector the tools take: the id when known, else the label. */
  #selector(): { id: string } | { label: string } {
    if (this.#id !== null) return { id: this.#id };
    if (this.#label !== null && this.#label !== '') return { label: this.#label };
    throw new SecretValidationError('this secret has neither an id nor a label, so Juju cannot find it');
  }

  /**
   * The content. Cached for the hook; `refresh` reads (and starts tracking) the latest revision.
   * An owner that set new content in this hook reads that content.
   */
  getContent(options: SecretGetContentOptions = {}): Record<string, string> {
    const model = this.#bound();
    const pending = this.#id === null ? null : model.secretWrites.pendingContent(this.#id);
    if (pending) return pending;
    if (this.#content === null || options.refresh === true) {
      this.#content = model.backend.secretGet({
        ...this.#selector(),
        ...(options.refresh === true ? { refresh: true } : {}),
      });
    }
    return { ...this.#content };
  }

  /** The latest revision's content, read once without tracking it (`secret-get --peek`); not cached. */
  peekContent(): Record<string, string> {
    const model = this.#bound();
    const pending = this.#id === null ? null : model.secretWrites.pendingContent(this.#id);
    if (pending) return pending;
    return model.backend.secretGet({ ...this.#selector(), peek: true });
  }

  /**
   * The owner's view of the metadata (`secret-info-get`), with this hook's pending `setInfo`
   * applied. Learns the id of a secret known by label only.
   */
  getInfo(): SecretInfo {
    const model = this.#bound();
    const raw = model.backend.secretInfoGet(this.#selector());
    const id = canonicalSecretId(raw.id, model.uuid);
    this.#id ??= id;
    const owner =
      raw.owner === 'application' || raw.owner === 'unit' || raw.owner === 'model' ? raw.owner : null;
    model.secretWrites.owners.set(id, owner);
    const pending = model.secretWrites.pendingMetadata(id);
    const rotation = pending.rotate ?? raw.rotation;
    const label = pending.label ?? raw.label;
    const description = pending.description ?? raw.description;
    return {
      id,
      label: label === '' ? null : label,
      revision: raw.revision,
      expires: pending.expire === undefined ? (raw.expiry ?? null) : new Date(pending.expire),
      rotation: SECRET_ROTATE_POLICIES.includes(rotation as SecretRotate) ? (rotation as SecretRotate) : null,
      rotates: raw.rotates ?? null,
      description: description === undefined || description === '' ? null : description,
      owner,
    };
  }

  /** Publishes new content as a new revision (buffered: one `secret-set` at commit). */
  setContent(content: SecretContent): void {
    const checked = checkSecretContent(content);
    const id = this.#writableId('secret-set');
    this.#bound().secretWrites.setContent(id, checked);
  }

  /** Changes the label, description, expiry or rotation (buffered: folded into one `secret-set`). */
  setInfo(metadata: SecretMetadata): void {
    const args = secretMetadataArgs(metadata, Date.now(), { requireSome: true });
    const id = this.#writableId('secret-set');
    this.#bound().secretWrites.setMetadata(id, args);
    if (args.label !== undefined) this.#label = args.label;
  }

  /** Lets the related application (or one of its units) read the secret (buffered `secret-grant`). */
  grant(relation: Relation, options: SecretGrantOptions = {}): void {
    const unit = this.#checkTarget(relation, options, 'grant');
    const id = this.#writableId('secret-grant');
    this.#bound().secretWrites.access(id, 'grant', relation.id, unit);
  }

  /** Withdraws a grant (buffered `secret-revoke`). */
  revoke(relation: Relation, options: SecretGrantOptions = {}): void {
    const unit = this.#checkTarget(relation, options, 'revoke');
    const id = this.#writableId('secret-revoke');
    this.#bound().secretWrites.access(id, 'revoke', relation.id, unit);
  }

  /** Removes one revision, e.g. in `secret-remove` once no one tracks it (buffered). */
  removeRevision(revision: number): void {
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1) {
      throw new SecretValidationError(
        `a secret revision must be a positive integer, got ${describe(revision)}`,
      );
    }
    const id = this.#writableId('secret-remove');
    this.#bound().secretWrites.removeRevision(id, revision);
  }

  /** Removes the secret and every revision (buffered; later writes to it in this hook fail). */
  removeAllRevisions(): void {
    const id = this.#writableId('secret-remove');
    this.#bound().secretWrites.removeAll(id);
  }

  #checkTarget(relation: Relation, options: SecretGrantOptions, verb: string): string | null {
    if (typeof relation !== 'object' || relation === null || typeof relation.id !== 'number') {
      throw new ModelError(`secret.${verb}() needs a Relation, got ${describe(relation)}`);
    }
    const unit = options.unit;
    if (unit === undefined) return null;
    const app = relation.app;
    if (app === null || unit.app.name !== app.name) {
      throw new ModelError(
        `cannot ${verb} secret ${this} to unit ${unit.name}: it is not a unit of the application related by ${relation} (${app?.name ?? 'unknown'})`,
      );
    }
    return unit.name;
  }

  /**
   * The id to write to, after the permission check: a non-leader may not change an
   * application-owned secret. Only reads run here (`is-leader`, and `secret-info-get` when the
   * owner is not yet known), never the write itself.
   */
  #writableId(tool: string): string {
    const model = this.#bound();
    if (this.#id === null) this.getInfo();
    const id = this.#id as string;
    if (model.isLeader()) return id;
    if (!model.secretWrites.owners.has(id)) {
      try {
        this.getInfo();
      } catch (error) {
        // Juju shows a non-leader the metadata of its own unit's secrets only: `not found` means
        // an application owns it (its own, most likely), so this unit may not change it.
        if (!(error instanceof SecretNotFoundError)) throw error;
        model.secretWrites.owners.set(id, 'application');
      }
    }
    if (model.secretWrites.owners.get(id) === 'application') {
      throw new NotLeaderError(
        `${tool}: ${model.unitName} is not the leader; only the leader can change the application-owned secret ${id}`,
        { tool, args: [], exitCode: null, stderr: '' },
      );
    }
    return id;
  }

  toString(): string {
    return this.#id ?? `label:${this.#label}`;
  }
}
