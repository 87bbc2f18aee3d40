import type { Handle } from '../handle.js';
import type { JsonObject } from '../json.js';
import { Secret } from '../model/secret.js';
import { HookEvent } from './hook-events.js';

/**
 * The base of secret events: `secret` is the secret concerned, bound to the model (so
 * `event.secret.getContent()` works) whether the event was just emitted or re-emitted after a defer.
 */
export class SecretEvent extends HookEvent {
  // Not `#private`: a re-emitted event is made without running the constructor, and restore()
  // must be able to set it.
  private _secret: Secret;

  constructor(handle: Handle, secret: Secret) {
    super(handle);
    this._secret = secret;
  }

  /** The secret, bound to the framework's model on first access. */
  get secret(): Secret {
    // `framework` is set before observers run; an unbound reference (e.g. `new Secret(id, label)`
    // passed to emit) gains the model here.
    if (!this._secret.isBound && this.framework !== undefined) {
      this._secret = this._secret.bind(this.framework.model);
    }
    return this._secret;
  }

  set secret(secret: Secret) {
    this._secret = secret;
  }

  override snapshot(): JsonObject {
    return { id: this._secret.id, label: this._secret.label };
  }

  override restore(snapshot: JsonObject): void {
    this._secret = new Secret(
      typeof snapshot.id === 'string' ? snapshot.id : null,
      typeof snapshot.label === 'string' ? snapshot.label : null,
      this.framework?.model ?? null,
    );
  }
}
/** `secret-changed`: a newer revision of a secret this unit tracks was published. */
export class SecretChangedEvent extends SecretEvent {
  declare protected readonly brandSecretChanged: undefined;
}
/** `secret-rotate`: the owner should rotate the secret. Cannot be deferred. */
export class SecretRotateEvent extends SecretEvent {
  declare protected readonly brandSecretRotate: undefined;
  override get deferrable(): boolean {
    return false;
  }
}

/** The base of secret events about one revision. */
export class SecretRevisionEvent extends SecretEvent {
  revision: number;

  constructor(handle: Handle, secret: Secret, revision: number) {
    super(handle, secret);
    this.revision = revision;
  }

  override snapshot(): JsonObject {
    return { ...super.snapshot(), revision: this.revision };
  }

  override restore(snapshot: JsonObject): void {
    super.restore(snapshot);
    this.revision = Number(snapshot.revision);
  }
}
/** `secret-remove`: a revision is no longer tracked by anyone. */
export class SecretRemoveEvent extends SecretRevisionEvent {
  declare protected readonly brandSecretRemove: undefined;
}
/** `secret-expired`: a revision expired. Cannot be deferred. */
export class SecretExpiredEvent extends SecretRevisionEvent {
  declare protected readonly brandSecretExpired: undefined;
  override get deferrable(): boolean {
    return false;
  }
}
