import { EventBase, type Handle, type JsonObject, ObjectEvents, RelationEvent } from '@charmkit/ops';

/**
 * A certificate was issued (or renewed) for one of this charm's requests. PEM strings; the
 * private key is `requirer.privateKey()`.
 */
export class CertificateAvailableEvent extends EventBase {
  certificate: string;
  certificateSigningRequest: string;
  ca: string;
  chain: string[];

  constructor(
    handle: Handle,
    certificate: string,
    certificateSigningRequest: string,
    ca: string,
    chain: string[],
  ) {
    super(handle);
    this.certificate = certificate;
    this.certificateSigningRequest = certificateSigningRequest;
    this.ca = ca;
    this.chain = chain;
  }

  /** The chain as one PEM text, blank-line separated (the Python library's `chain_as_pem`). */
  chainAsPem(): string {
    return this.chain.join('\n\n');
  }

  override snapshot(): JsonObject {
    return {
      certificate: this.certificate,
      certificateSigningRequest: this.certificateSigningRequest,
      ca: this.ca,
      chain: this.chain,
    };
  }

  override restore(snapshot: JsonObject): void {
    this.certificate = String(snapshot.certificate);
    this.certificateSigningRequest = String(snapshot.certificateSigningRequest);
    this.ca = String(snapshot.ca);
    this.chain = (Array.isArray(snapshot.chain) ? snapshot.chain : []).map(String);
  }
}

/** The events of a `TlsCertificatesRequirer`. */
export class TlsCertificatesRequirerEvents extends ObjectEvents {
  readonly certificateAvailable = this.event('certificate_available', CertificateAvailableEvent);
}

/**
 * A requirer's requests changed and some have no certificate yet: sign them
 * (`provider.outstandingCertificateRequests(event.relation.id)`) and publish with
 * `provider.setRelationCertificate()`. Emitted on the leader only, which alone may answer.
 */
export class CertificateRequestsChangedEvent extends RelationEvent {
  declare protected readonly brandRequestsChanged: undefined;
}

/** The events of a `TlsCertificatesProvider`. */
export class TlsCertificatesProviderEvents extends ObjectEvents {
  readonly certificateRequestsChanged = this.event(
    'certificate_requests_changed',
    CertificateRequestsChangedEvent,
  );
}
