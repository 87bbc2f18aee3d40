import {
  type Application,
  type CharmBase,
  OpsObject,
  type Relation,
  type RelationEvent,
  type Unit,
} from '@charmkit/ops';
import {
  checkEndpoint,
  describeMember,
  InterfaceNotLeaderError,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  writeDatabag,
} from '../shared/index.js';
import { type ProviderCertificateEntry, TlsProviderAppSchema, TlsRequirerSchema } from './schemas.js';
import { TlsCertificatesProviderEvents } from './tls-certificates-events.js';
import type { ProviderCertificate } from './tls-certificates-requirer.js';
import { normalizePem, samePem } from './x509.js';

/** Options of {@link TlsCertificatesProvider}. */
export interface TlsCertificatesProviderOptions {
  /** The `provides` endpoint (interface `tls-certificates`); default `certificates`. */
  readonly endpoint?: string;
}

/** One CSR a requirer sent. */
export interface RequirerCertificateRequest {
  readonly relationId: number;
  /** `unit <name>` or `app <name>`: whose bag it is in. */
  readonly from: string;
  readonly certificateSigningRequest: string;
  readonly isCa: boolean;
}

/** What {@link TlsCertificatesProvider.setRelationCertificate} publishes. */
export interface CertificateToPublish {
  readonly relationId: number;
  readonly certificate: string;
  readonly certificateSigningRequest: string;
  readonly ca: string;
  /** Leaf first, then each issuer up to the root; default `[certificate, ca]`. */
  readonly chain?: readonly string[];
}

/**
 * The provider side of `tls-certificates` (interface v1), wire-compatible with
 * `TLSCertificatesProvidesV4`: the CA charm. It reads the CSRs of every requirer unit and
 * application ({@link TlsCertificatesProvider.outstandingCertificateRequests}), the leader
 * publishes certificates in its application bag (`certificates`) and drops those whose CSR is
 * gone (on relation events and update-status). It does not sign: pair it with `signCsr()` and
 * `generateCa()` for a self-signed CA, or with any other CA.
 */
export class TlsCertificatesProvider extends OpsObject {
  static override readonly handleKind = 'TlsCertificatesProvider';
  readonly on = new TlsCertificatesProviderEvents(this);
  /** The `provides` endpoint. */
  readonly endpoint: string;
  readonly #status: RemoteDataStatus;

  constructor(charm: CharmBase, options: TlsCertificatesProviderOptions = {}) {
    const endpoint = options.endpoint ?? 'certificates';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'provides', 'TlsCertificatesProvider');
    this.endpoint = endpoint;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.joined, this.onRelationEvent);
    this.observe(events.changed, this.onRelationEvent);
    this.observe(charm.on.updateStatus, this.onUpdateStatus);
  }

  /** The live relations of the endpoint. */
  get relations(): readonly Relation[] {
    return this.model.relations(this.endpoint);
  }

  /** Every CSR of every requirer (or of relation `relationId`). */
  certificateRequests(relationId?: number): RequirerCertificateRequest[] {
    const out: RequirerCertificateRequest[] = [];
    for (const relation of this.#relations(relationId)) {
      const members: (Unit | Application)[] = [...relation.units];
      if (relation.app) members.push(relation.app);
      for (const member of members) {
        const read = tryReadDatabag(relation, member, TlsRequirerSchema);
        if (!read.ok) {
          this.#status.report(read.error);
          continue;
        }
        for (const entry of read.value.certificate_signing_requests ?? []) {
          out.push({
            relationId: relation.id,
            from: describeMember(member),
            certificateSigningRequest: normalizePem(entry.certificate_signing_request),
            isCa: entry.ca === true,
          });
        }
      }
    }
    return out;
  }

  /** The certificates this provider published (revoked ones included). */
  providerCertificates(relationId?: number): ProviderCertificate[] {
    return this.#relations(relationId).flatMap((relation) =>
      this.#load(relation).map((e) => ({
        relationId: relation.id,
        certificate: normalizePem(e.certificate),
        certificateSigningRequest: normalizePem(e.certificate_signing_request),
        ca: normalizePem(e.ca),
        chain: (e.chain ?? []).map(normalizePem),
        revoked: e.revoked === true,
      })),
    );
  }

  /** The published certificates that are not revoked. */
  issuedCertificates(relationId?: number): ProviderCertificate[] {
    return this.providerCertificates(relationId).filter((c) => !c.revoked);
  }

  /** The CSRs that have no (unrevoked) certificate yet: what to sign. */
  outstandingCertificateRequests(relationId?: number): RequirerCertificateRequest[] {
    const issued = this.issuedCertificates(relationId);
    return this.certificateRequests(relationId).filter(
      (r) =>
        !issued.some(
          (c) =>
            c.relationId === r.relationId &&
            samePem(c.certificateSigningRequest, r.certificateSigningRequest),
        ),
    );
  }

  /**
   * Publishes a certificate for a CSR, replacing any earlier one for the same CSR.
   *
   * @throws {InterfaceNotLeaderError} on a unit that is not the leader.
   * @throws {DatabagWriteError} an empty PEM.
   */
  setRelationCertificate(certificate: CertificateToPublish): void {
    this.#requireLeader('setRelationCertificate()');
    const relation = this.#relations(certificate.relationId)[0];
    if (!relation) {
      throw new InterfaceNotLeaderError(`no relation ${this.endpoint}:${certificate.relationId}`);
    }
    const leaf = normalizePem(certificate.certificate);
    const ca = normalizePem(certificate.ca);
    const entry: ProviderCertificateEntry = {
      ca,
      certificate_signing_request: normalizePem(certificate.certificateSigningRequest),
      certificate: leaf,
      chain: (certificate.chain ?? [leaf, ca]).map(normalizePem),
    };
    const kept = this.#load(relation).filter(
      (e) => !samePem(e.certificate_signing_request, entry.certificate_signing_request),
    );
    this.#store(relation, [...kept, entry]);
  }

  /** Marks every published certificate revoked (the CA changed); requirers then ask again. */
  revokeAllCertificates(): void {
    this.#requireLeader('revokeAllCertificates()');
    for (const relation of this.relations) {
      this.#store(
        relation,
        this.#load(relation).map((e) => ({ ...e, revoked: true })),
      );
    }
  }

  /** @internal */
  async onRelationEvent(event: RelationEvent): Promise<void> {
    if (!this.model.unit.isLeader()) return;
    this.#dropUnrequested();
    if (this.outstandingCertificateRequests(event.relation.id).length > 0) {
      await this.on.certificateRequestsChanged.emit(event.relation, event.app, event.unit);
    }
  }

  /** @internal */
  onUpdateStatus(): void {
    if (this.model.unit.isLeader()) this.#dropUnrequested();
  }

  #dropUnrequested(): void {
    for (const relation of this.relations) {
      const requests = this.certificateRequests(relation.id);
      const entries = this.#load(relation);
      const kept = entries.filter((e) =>
        requests.some((r) => samePem(r.certificateSigningRequest, e.certificate_signing_request)),
      );
      if (kept.length !== entries.length) this.#store(relation, kept);
    }
  }

  #relations(relationId?: number): readonly Relation[] {
    return relationId === undefined ? this.relations : this.relations.filter((r) => r.id === relationId);
  }

  #load(relation: Relation): ProviderCertificateEntry[] {
    const read = tryReadDatabag(relation, this.model.app, TlsProviderAppSchema);
    return read.ok ? [...(read.value.certificates ?? [])] : [];
  }

  #store(relation: Relation, entries: ProviderCertificateEntry[]): void {
    writeDatabag(relation, this.model.app, TlsProviderAppSchema, { certificates: entries });
  }

  #requireLeader(what: string): void {
    if (!this.model.unit.isLeader()) {
      throw new InterfaceNotLeaderError(
        `TlsCertificatesProvider.${what} writes the application databag: leader only`,
      );
    }
  }

  #problems(): RemoteDatabagError[] {
    const problems: RemoteDatabagError[] = [];
    for (const relation of this.relations) {
      const members: (Unit | Application)[] = [...relation.units];
      if (relation.app) members.push(relation.app);
      for (const member of members) {
        const read = tryReadDatabag(relation, member, TlsRequirerSchema);
        if (!read.ok) problems.push(read.error);
      }
    }
    return problems;
  }
}
