import {
  type Application,
  type CharmBase,
  OpsObject,
  type Relation,
  type Secret,
  type SecretExpiredEvent,
  SecretNotFoundError,
  type SecretRemoveEvent,
  type Unit,
} from '@charmkit/ops';
import {
  checkEndpoint,
  type RemoteDatabagError,
  RemoteDataStatus,
  tryReadDatabag,
  writeDatabag,
} from '../shared/index.js';
import { TlsRequestError } from './errors.js';
import {
  type CsrEntry,
  type ProviderCertificateEntry,
  TlsProviderAppSchema,
  TlsRequirerSchema,
} from './schemas.js';
import { TlsCertificatesRequirerEvents } from './tls-certificates-events.js';
import {
  type CertificateRequest,
  certificateMatchesKey,
  checkCertificateRequest,
  csrDigest,
  csrMatchesKey,
  generateCsr,
  generatePrivateKey,
  normalizePem,
  readCertificate,
  readCsr,
  samePem,
} from './x509.js';

/** The tls-certificates library's id: its secret labels start with it, so ours match theirs. */
export const TLS_LIBRARY_ID = 'afd8c2bccf834997afce12c2706d2ede';

/** Options of {@link TlsCertificatesRequirer}. */
export interface TlsCertificatesRequirerOptions {
  /** The `requires` endpoint (interface `tls-certificates`); default `certificates`. */
  readonly endpoint?: string;
  /** The certificates wanted; each becomes one CSR. */
  readonly requests: readonly CertificateRequest[];
  /**
   * `unit` (default): each unit has its own key and certificates, requested in its unit bag.
   * `app`: the leader requests in the application bag and only it holds the key (an
   * intermediate CA, a certificate shared by all units through the charm's own means).
   */
  readonly mode?: 'unit' | 'app';
  /** When to renew, as a fraction of the validity period (0.5, 1]; default 0.9. */
  readonly renewalRelativeTime?: number;
}

/** A certificate the provider issued for one of this charm's requests (PEM strings). */
export interface ProviderCertificate {
  readonly relationId: number;
  readonly certificate: string;
  readonly certificateSigningRequest: string;
  readonly ca: string;
  readonly chain: readonly string[];
  readonly revoked: boolean;
}

function toProviderCertificate(relation: Relation, entry: ProviderCertificateEntry): ProviderCertificate {
  return {
    relationId: relation.id,
    certificate: normalizePem(entry.certificate),
    certificateSigningRequest: normalizePem(entry.certificate_signing_request),
    ca: normalizePem(entry.ca),
    chain: (entry.chain ?? []).map(normalizePem),
    revoked: entry.revoked === true,
  };
}

function sameSet(a: readonly string[] | undefined, b: readonly string[]): boolean {
  const left = new Set(a ?? []);
  return left.size === new Set(b).size && [...left].every((x) => b.includes(x));
}

/**
 * The requirer side of `tls-certificates` (interface v1), wire-compatible with the
 * tls-certificates-interface library v4 (`TLSCertificatesRequiresV4`): generates a private key
 * and keeps it in a Juju secret (owned by the unit), sends one CSR per request
 * (`certificate_signing_requests`), emits `certificateAvailable` when the provider's certificate
 * for it arrives (kept in a secret that expires at `renewalRelativeTime` of the validity, whose
 * `secret-expired` renews it), drops CSRs that no longer match a request or the key, and forgets
 * revoked certificates. A provider bag that does not match the interface blocks the unit.
 */
export class TlsCertificatesRequirer extends OpsObject {
  static override readonly handleKind = 'TlsCertificatesRequirer';
  readonly on = new TlsCertificatesRequirerEvents(this);
  /** The `requires` endpoint. */
  readonly endpoint: string;
  readonly mode: 'unit' | 'app';
  readonly #requests: readonly CertificateRequest[];
  readonly #renewal: number;
  readonly #status: RemoteDataStatus;
  /** The key as set in this hook: a secret added now is readable only after the hook commits. */
  #key: string | null = null;

  constructor(charm: CharmBase, options: TlsCertificatesRequirerOptions) {
    const endpoint = options.endpoint ?? 'certificates';
    super(charm, endpoint);
    checkEndpoint(charm, endpoint, 'requires', 'TlsCertificatesRequirer');
    for (const request of options.requests) checkCertificateRequest(request);
    const renewal = options.renewalRelativeTime ?? 0.9;
    if (!(renewal > 0.5 && renewal <= 1)) {
      throw new TlsRequestError(`renewalRelativeTime must be in (0.5, 1], got ${renewal}`);
    }
    this.endpoint = endpoint;
    this.mode = options.mode ?? 'unit';
    this.#requests = options.requests;
    this.#renewal = renewal;
    this.#status = new RemoteDataStatus(charm, this, () => this.#problems());
    const events = charm.on.relation(endpoint);
    this.observe(events.created, this.sync);
    this.observe(events.changed, this.sync);
    this.observe(charm.on.secretExpired, this.onSecretExpired);
    this.observe(charm.on.secretRemove, this.onSecretRemove);
  }

  /** The relation to the provider, or null. */
  get relation(): Relation | null {
    return this.model.relations(this.endpoint)[0] ?? null;
  }

  /** This unit's (unit mode) or the leader's (app mode) private key, PEM; null before it exists. */
  privateKey(): string | null {
    if (this.#key !== null) return this.#key;
    const secret = this.#secret(this.#keyLabel());
    return secret?.['private-key'] ?? null;
  }

  /**
   * Does what the relation events do: makes the key, sends missing CSRs, drops stale ones,
   * picks up issued certificates. Call it from other events (config-changed with new SANs).
   */
  async sync(): Promise<void> {
    const relation = this.relation;
    if (!relation || !this.#mayRequest()) return;
    this.#ensureKey();
    await this.#cleanup(relation);
    await this.#send(relation);
    await this.#collect(relation);
  }

  /** The certificates issued for this charm's current CSRs, with the private key. */
  assignedCertificates(): { certificates: ProviderCertificate[]; privateKey: string | null } {
    const key = this.privateKey();
    const relation = this.relation;
    if (!key || !relation) return { certificates: [], privateKey: key };
    const mine = this.#ownCsrs(relation);
    const certificates = this.providerCertificates().filter(
      (c) =>
        !c.revoked &&
        mine.some((e) => samePem(e.certificate_signing_request, c.certificateSigningRequest)) &&
        this.#matchesKey(c.certificate, key),
    );
    return { certificates, privateKey: key };
  }

  /** The certificate issued for `request` (one of the constructor's), or null. */
  async assignedCertificate(request: CertificateRequest): Promise<ProviderCertificate | null> {
    const relation = this.relation;
    if (!relation) return null;
    const { certificates } = this.assignedCertificates();
    for (const entry of this.#ownCsrs(relation)) {
      if (!(await this.#matchesRequest(entry, request))) continue;
      const found = certificates.find((c) =>
        samePem(c.certificateSigningRequest, entry.certificate_signing_request),
      );
      if (found) return found;
    }
    return null;
  }

  /** Every certificate in the provider's bag (for all requirers of that provider). */
  providerCertificates(): ProviderCertificate[] {
    const relation = this.relation;
    if (!relation?.app) return [];
    const read = tryReadDatabag(relation, relation.app, TlsProviderAppSchema);
    if (!read.ok) {
      this.#status.report(read.error);
      return [];
    }
    return (read.value.certificates ?? []).map((e) => toProviderCertificate(relation, e));
  }

  /** Replaces the private key and requests every certificate again with it. */
  async regeneratePrivateKey(): Promise<void> {
    if (!this.#mayRequest()) return;
    this.#storeKey(generatePrivateKey());
    const relation = this.relation;
    if (!relation) return;
    await this.#cleanup(relation);
    await this.#send(relation);
  }

  /**
   * Requests a new certificate for `certificate` (drops its CSR and sends a fresh one, with a new
   * unique id in the subject).
   */
  async renewCertificate(certificate: ProviderCertificate): Promise<void> {
    const relation = this.relation;
    if (!relation || !this.#mayRequest()) return;
    this.#removeCsr(relation, certificate.certificateSigningRequest);
    await this.#send(relation);
    this.#forgetCertificate(certificate.certificateSigningRequest);
  }

  /** @internal */
  async onSecretExpired(event: SecretExpiredEvent): Promise<void> {
    const label = event.secret.label ?? '';
    if (!label.startsWith(`${TLS_LIBRARY_ID}-certificate`)) return;
    let csr: string | undefined;
    try {
      csr = event.secret.getContent({ refresh: true }).csr;
    } catch (error) {
      if (!(error instanceof SecretNotFoundError)) throw error;
    }
    const relation = this.relation;
    if (csr && relation && this.#mayRequest()) {
      this.#removeCsr(relation, csr);
      await this.#send(relation);
    }
    event.secret.removeAllRevisions();
  }

  /** @internal */
  onSecretRemove(event: SecretRemoveEvent): void {
    if (!(event.secret.label ?? '').startsWith(TLS_LIBRARY_ID)) return;
    try {
      event.secret.removeRevision(event.revision);
    } catch (error) {
      if (!(error instanceof SecretNotFoundError)) throw error;
    }
  }

  #mayRequest(): boolean {
    return this.mode === 'unit' || this.model.unit.isLeader();
  }

  #member(): Unit | Application {
    return this.mode === 'unit' ? this.model.unit : this.model.app;
  }

  #unitNumber(): string {
    return this.model.unit.name.split('/')[1] ?? '0';
  }

  #keyLabel(): string {
    return this.mode === 'unit'
      ? `${TLS_LIBRARY_ID}-private-key-${this.#unitNumber()}-${this.endpoint}`
      : `${TLS_LIBRARY_ID}-private-key-${this.endpoint}`;
  }

  #certificateLabel(csr: string): string {
    const digest = csrDigest(csr);
    return this.mode === 'unit'
      ? `${TLS_LIBRARY_ID}-certificate-${this.#unitNumber()}-${digest}`
      : `${TLS_LIBRARY_ID}-certificate-${digest}`;
  }

  /** The content of this unit's secret `label`, or null when there is none. */
  #secret(label: string): Record<string, string> | null {
    try {
      return this.model.getSecret({ label }).getContent({ refresh: true });
    } catch (error) {
      if (error instanceof SecretNotFoundError) return null;
      throw error;
    }
  }

  #secretHandle(label: string): Secret | null {
    return this.#secret(label) === null ? null : this.model.getSecret({ label });
  }

  #ensureKey(): void {
    if (this.privateKey() === null) this.#storeKey(generatePrivateKey());
  }

  #storeKey(key: string): void {
    const label = this.#keyLabel();
    const existing = this.#secretHandle(label);
    if (existing) existing.setContent({ 'private-key': key });
    else this.model.unit.addSecret({ 'private-key': key }, { label });
    this.#key = key;
  }

  #ownCsrs(relation: Relation): CsrEntry[] {
    const read = tryReadDatabag(relation, this.#member(), TlsRequirerSchema);
    return read.ok ? [...(read.value.certificate_signing_requests ?? [])] : [];
  }

  #writeCsrs(relation: Relation, entries: CsrEntry[]): void {
    writeDatabag(relation, this.#member(), TlsRequirerSchema, {
      certificate_signing_requests: entries,
    });
  }

  #removeCsr(relation: Relation, csr: string): void {
    this.#writeCsrs(
      relation,
      this.#ownCsrs(relation).filter((e) => !samePem(e.certificate_signing_request, csr)),
    );
  }

  async #matchesRequest(entry: CsrEntry, request: CertificateRequest): Promise<boolean> {
    let info: Awaited<ReturnType<typeof readCsr>>;
    try {
      info = await readCsr(entry.certificate_signing_request);
    } catch {
      return false;
    }
    return (
      info.commonName === (request.commonName ?? '') &&
      sameSet(request.sansDns, info.sansDns) &&
      sameSet(request.sansIp, info.sansIp) &&
      (info.organization ?? undefined) === request.organization &&
      (entry.ca ?? false) === (request.isCa ?? false)
    );
  }

  async #cleanup(relation: Relation): Promise<void> {
    const key = this.privateKey();
    const kept: CsrEntry[] = [];
    const entries = this.#ownCsrs(relation);
    for (const entry of entries) {
      let wanted = false;
      for (const request of this.#requests) if (await this.#matchesRequest(entry, request)) wanted = true;
      if (!wanted) continue;
      if (key && !(await csrMatchesKey(entry.certificate_signing_request, key).catch(() => false))) continue;
      kept.push(entry);
    }
    if (kept.length !== entries.length) this.#writeCsrs(relation, kept);
  }

  async #send(relation: Relation): Promise<void> {
    const key = this.privateKey();
    if (!key) return;
    const entries = this.#ownCsrs(relation);
    let added = false;
    for (const request of this.#requests) {
      let sent = false;
      for (const entry of entries) if (await this.#matchesRequest(entry, request)) sent = true;
      if (sent) continue;
      const csr = await generateCsr(request, key);
      entries.push({ certificate_signing_request: csr, ca: request.isCa ?? false });
      added = true;
    }
    if (added) this.#writeCsrs(relation, entries);
  }

  #matchesKey(certificate: string, key: string): boolean {
    try {
      return certificateMatchesKey(certificate, key);
    } catch {
      return false;
    }
  }

  #forgetCertificate(csr: string): void {
    this.#secretHandle(this.#certificateLabel(csr))?.removeAllRevisions();
  }

  async #collect(relation: Relation): Promise<void> {
    const key = this.privateKey();
    if (!key) return;
    const mine = this.#ownCsrs(relation);
    for (const cert of this.providerCertificates()) {
      const entry = mine.find((e) => samePem(e.certificate_signing_request, cert.certificateSigningRequest));
      if (!entry) continue;
      if (cert.revoked) {
        this.#forgetCertificate(cert.certificateSigningRequest);
        continue;
      }
      let info: ReturnType<typeof readCertificate>;
      try {
        info = readCertificate(cert.certificate);
      } catch (error) {
        this.framework.log.log(
          'WARNING',
          `ignoring a certificate that does not parse: ${(error as Error).message}`,
        );
        continue;
      }
      if (info.isCa !== (entry.ca ?? false)) {
        this.framework.log.log(
          'WARNING',
          `ignoring a ${info.isCa ? 'CA' : 'non-CA'} certificate issued for a ${info.isCa ? 'non-CA' : 'CA'} request`,
        );
        continue;
      }
      if (!this.#matchesKey(cert.certificate, key)) {
        this.framework.log.log('WARNING', 'ignoring a certificate that does not match the private key');
        continue;
      }
      const label = this.#certificateLabel(cert.certificateSigningRequest);
      const stored = this.#secret(label);
      if (stored && samePem(stored.certificate ?? '', cert.certificate)) continue;
      const now = Date.now();
      const expire = new Date(now + (info.notAfter.getTime() - now) * this.#renewal);
      const content = { certificate: cert.certificate, csr: cert.certificateSigningRequest };
      if (stored) {
        const secret = this.model.getSecret({ label });
        secret.setContent(content);
        secret.setInfo({ expire });
      } else {
        this.model.unit.addSecret(content, { label, expire });
      }
      await this.on.certificateAvailable.emit(cert.certificate, cert.certificateSigningRequest, cert.ca, [
        ...cert.chain,
      ]);
    }
  }

  #problems(): RemoteDatabagError[] {
    const relation = this.relation;
    if (!relation?.app) return [];
    const read = tryReadDatabag(relation, relation.app, TlsProviderAppSchema);
    return read.ok ? [] : [read.error];
  }
}
