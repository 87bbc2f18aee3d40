import { spawnSync } from 'node:child_process';
import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { fixture } from '../prometheus-scrape/fixture.js';
import {
  type CertificateAvailableEvent,
  type CertificateRequestsChangedEvent,
  generateCa,
  generatePrivateKey,
  InterfaceNotLeaderError,
  signCsr,
  TlsCertificatesProvider,
  TlsCertificatesRequirer,
} from './helpers.js';

const python = fixture<{ requirerUnit: { certificate_signing_requests: string } }>(
  'tls-certificates',
  'python-bags.json',
);
const pythonCsr = JSON.parse(python.requirerUnit.certificate_signing_requests)[0]
  .certificate_signing_request as string;

const caKey = generatePrivateKey();
const caCert = generateCa(caKey, { commonName: 'charmkit-ca' });
let revokeAll = false;

/** A self-signed CA charm: signs every outstanding request when told they changed. */
class CaCharm extends CharmBase {
  static override readonly handleKind: string = 'CaCharm';
  readonly tls = new TlsCertificatesProvider(this);
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.tls.on.certificateRequestsChanged, this.onRequests);
    this.observe(this.on.configChanged, this.onConfigChanged);
  }
  async onRequests(event: CertificateRequestsChangedEvent): Promise<void> {
    const ca = await caCert;
    for (const request of this.tls.outstandingCertificateRequests(event.relation.id)) {
      const certificate = await signCsr(request.certificateSigningRequest, {
        caCertificate: ca,
        caPrivateKey: caKey,
        isCa: request.isCa,
      });
      this.tls.setRelationCertificate({
        relationId: request.relationId,
        certificate,
        certificateSigningRequest: request.certificateSigningRequest,
        ca,
      });
    }
  }
  onConfigChanged(): void {
    if (revokeAll) this.tls.revokeAllCertificates();
  }
}

const caCtx = new Context(CaCharm, {
  meta: {
    metadata: {
      name: 'self-signed-certificates',
      provides: { certificates: { interface: 'tls-certificates' } },
    },
  },
});

const hasCryptography =
  spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0;

describe('TlsCertificatesProvider (Context)', () => {
  it("signs the Python requirer's CSR and publishes it as the Python library does", {
    timeout: 60_000,
  }, async () => {
    const rel = new Relation('certificates', {
      remoteAppName: 'webapp',
      remoteUnitsData: { 0: python.requirerUnit },
    });
    const out = await caCtx.run(
      caCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    const text = out.getRelation(rel.id).localAppData.certificates ?? '';
    expect(text).toMatch(
      /^\[\{"ca": "-----BEGIN CERTIFICATE-----\\n.*", "certificate_signing_request": ".*", "certificate": ".*", "chain": \[".*", ".*"\]\}\]$/,
    );
    const [entry] = JSON.parse(text);
    expect(entry.certificate_signing_request).toBe(pythonCsr);
    expect(entry.chain).toEqual([entry.certificate, entry.ca]);
    if (hasCryptography) {
      // Python's cryptography reads our certificate, checks it was signed by our CA, for the CSR's key.
      const check = spawnSync(
        'python3',
        [
          '-c',
          [
            'import json, sys',
            'from cryptography import x509',
            'e = json.loads(sys.stdin.read())',
            'cert = x509.load_pem_x509_certificate(e["certificate"].encode())',
            'cert.verify_directly_issued_by(x509.load_pem_x509_certificate(e["ca"].encode()))',
            'csr = x509.load_pem_x509_csr(e["certificate_signing_request"].encode())',
            'assert cert.public_key() == csr.public_key()',
            'assert cert.subject == csr.subject',
            'print(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))',
          ].join('\n'),
        ],
        { input: JSON.stringify(entry), encoding: 'utf8' },
      );
      expect(check.stderr).toBe('');
      expect(check.stdout.trim()).toBe("['webapp.example']");
    }
  });

  it('a non-leader neither answers nor may publish', { timeout: 60_000 }, async () => {
    const rel = new Relation('certificates', {
      remoteAppName: 'webapp',
      remoteUnitsData: { 0: python.requirerUnit },
    });
    const out = await caCtx.run(
      caCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: false, relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localAppData).toEqual({});
    class Eager extends CaCharm {
      static override readonly handleKind = 'Eager';
      override onConfigChanged(): void {
        this.tls.setRelationCertificate({
          relationId: rel.id,
          certificate: 'c',
          certificateSigningRequest: 'r',
          ca: 'a',
        });
      }
    }
    const eager = new Context(Eager, {
      meta: { metadata: { name: 'ca', provides: { certificates: { interface: 'tls-certificates' } } } },
    });
    const failure = await eager
      .run(eager.on.configChanged(), new State({ relations: [rel] }))
      .catch((e: unknown) => e);
    expect((failure as Error).cause).toBeInstanceOf(InterfaceNotLeaderError);
  });

  it('drops certificates whose CSR is gone, and revokes all on request', { timeout: 60_000 }, async () => {
    const rel = new Relation('certificates', {
      remoteAppName: 'webapp',
      remoteUnitsData: { 0: python.requirerUnit },
    });
    let state = await caCtx.run(
      caCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    revokeAll = true;
    const revoked = await caCtx.run(caCtx.on.configChanged(), state);
    revokeAll = false;
    expect(JSON.parse(revoked.getRelation(rel.id).localAppData.certificates ?? '')[0].revoked).toBe(true);
    const withdrawn = state.getRelation(rel.id).with({ remoteUnitsData: { 0: {} } });
    state = await caCtx.run(caCtx.on.updateStatus(), state.with({ relations: [withdrawn] }));
    expect(state.getRelation(rel.id).localAppData.certificates).toBe('[]');
  });

  it('blocks on a requirer bag that is not the interface', async () => {
    const rel = new Relation('certificates', {
      remoteAppName: 'webapp',
      remoteUnitsData: { 0: { certificate_signing_requests: '{"not": "a list"}' } },
    });
    const out = await caCtx.run(
      caCtx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message: 'certificates: unit webapp/0 sent invalid certificate_signing_requests',
    });
  });
});

const got: string[] = [];

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  readonly tls = new TlsCertificatesRequirer(this, {
    requests: [{ commonName: 'web.example', sansDns: ['web.example'] }],
  });
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.tls.on.certificateAvailable, this.onCertificate);
  }
  onCertificate(event: CertificateAvailableEvent): void {
    got.push(event.certificate);
  }
}

const webCtx = new Context(WebCharm, {
  meta: { metadata: { name: 'web', requires: { certificates: { interface: 'tls-certificates' } } } },
});

describe('tls-certificates round trip (charmkit requirer ↔ charmkit provider)', () => {
  it('the requirer gets a certificate for its own key', { timeout: 60_000 }, async () => {
    got.length = 0;
    let web = new State({ relations: [new Relation('certificates', { remoteAppName: 'ca' })] });
    const webRel = () => web.relations[0] as Relation<'certificates'>;
    web = await webCtx.run(webCtx.on.relationCreated(webRel()), web);
    const caRel = new Relation('certificates', {
      remoteAppName: 'web',
      remoteUnitsData: { 0: webRel().localUnitData },
    });
    const ca = await caCtx.run(
      caCtx.on.relationChanged(caRel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [caRel] }),
    );
    const answered = webRel().with({ remoteAppData: ca.getRelation(caRel.id).localAppData });
    web = await webCtx.run(
      webCtx.on.relationChanged(answered, { remoteUnit: 0 }),
      web.with({ relations: [answered] }),
    );
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
