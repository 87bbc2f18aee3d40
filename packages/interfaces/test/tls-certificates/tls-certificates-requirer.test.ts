import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, type EventSpec, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { fixture } from '../prometheus-scrape/fixture.js';
import {
  type CertificateAvailableEvent,
  csrDigestForTest,
  readCsr,
  TLS_LIBRARY_ID,
  TlsCertificatesRequirer,
  type TlsCertificatesRequirerOptions,
  TlsRequestError,
} from './helpers.js';

/** A secret as a State holds it. */
type SecretState = NonNullable<NonNullable<ConstructorParameters<typeof State>[0]>['secrets']>[number];

const python = fixture<{
  unitPrivateKey: string;
  requirerUnit: { certificate_signing_requests: string };
  providerApp: { certificates: string };
}>('tls-certificates', 'python-bags.json');

let options: TlsCertificatesRequirerOptions = {
  requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'] }],
};
const available: { certificate: string; ca: string; chain: number }[] = [];

class WebCharm extends CharmBase {
  static override readonly handleKind = 'WebCharm';
  readonly tls: TlsCertificatesRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.tls = new TlsCertificatesRequirer(this, options);
    this.observe(this.tls.on.certificateAvailable, this.onCertificate);
  }
  onCertificate(event: CertificateAvailableEvent): void {
    available.push({ certificate: event.certificate, ca: event.ca, chain: event.chain.length });
  }
}

const ctx = new Context(WebCharm, {
  meta: {
    metadata: { name: 'webapp', requires: { certificates: { interface: 'tls-certificates', limit: 1 } } },
  },
});
const KEY_LABEL = `${TLS_LIBRARY_ID}-private-key-0-certificates`;
const keySecret: SecretState = {
  id: 'secret:d2nkl6rf8nkmqd1s9uvg',
  label: KEY_LABEL,
  owner: 'unit',
  revisions: [{ 'private-key': python.unitPrivateKey }],
};
const pythonCsr = JSON.parse(python.requirerUnit.certificate_signing_requests)[0]
  .certificate_signing_request as string;

describe('TlsCertificatesRequirer (Context)', () => {
  for (const leader of [true, false]) {
    it(`makes a key in a unit secret and sends a CSR as the Python library (leader: ${leader})`, {
      timeout: 60_000,
    }, async () => {
      options = {
        requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'], sansIp: ['10.1.2.3'] }],
      };
      const rel = new Relation('certificates', { remoteAppName: 'self-signed-certificates' });
      const out = await ctx.run(ctx.on.relationCreated(rel), new State({ leader, relations: [rel] }));
      const key = out.getSecret({ label: KEY_LABEL });
      expect(key?.owner).toBe('unit');
      expect(key?.revisions.at(-1)?.['private-key']).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const bag = out.getRelation(rel.id).localUnitData.certificate_signing_requests ?? '';
      expect(bag).toMatch(
        /^\[\{"certificate_signing_request": "-----BEGIN CERTIFICATE REQUEST-----\\n.*-----END CERTIFICATE REQUEST-----", "ca": false\}\]$/,
      );
      const csr = JSON.parse(bag)[0].certificate_signing_request as string;
      const info = await readCsr(csr);
      expect(info).toMatchObject({
        commonName: 'webapp.example',
        sansDns: ['webapp.example'],
        sansIp: ['10.1.2.3'],
        hasUniqueIdentifier: true,
      });
      expect(out.getRelation(rel.id).localAppData).toEqual({});
    });
  }

  it("takes the Python provider's certificate for its CSR, once, into a secret that expires for renewal", {
    timeout: 60_000,
  }, async () => {
    options = { requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'] }] };
    available.length = 0;
    const rel = new Relation('certificates', {
      remoteAppName: 'self-signed-certificates',
      localUnitData: python.requirerUnit,
      remoteAppData: python.providerApp,
    });
    let state = new State({ relations: [rel], secrets: [keySecret] });
    state = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    state = await ctx.run(ctx.on.relationChanged(rel, { remoteUnit: 0 }), state);
    const issued = JSON.parse(python.providerApp.certificates)[0];
    expect(available).toEqual([{ certificate: issued.certificate, ca: issued.ca, chain: 2 }]);
    // The CSR matched the request and the key: left as it was, no second CSR.
    expect(state.getRelation(rel.id).localUnitData).toEqual(python.requirerUnit);
    const stored = state.getSecret({
      label: `${TLS_LIBRARY_ID}-certificate-0-${csrDigestForTest(pythonCsr)}`,
    });
    expect(stored?.revisions.at(-1)).toEqual({ certificate: issued.certificate, csr: pythonCsr });
    expect(stored?.expire).toBeDefined();
  });

  it('replaces a CSR that no longer matches the requests', { timeout: 60_000 }, async () => {
    options = { requests: [{ commonName: 'other.example' }] };
    const rel = new Relation('certificates', {
      localUnitData: python.requirerUnit,
      remoteAppData: python.providerApp,
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel], secrets: [keySecret] }),
    );
    const entries = JSON.parse(out.getRelation(rel.id).localUnitData.certificate_signing_requests ?? '[]');
    expect(entries).toHaveLength(1);
    expect((await readCsr(entries[0].certificate_signing_request)).commonName).toBe('other.example');
  });

  it('renews on secret-expired: drops the old CSR and sends a fresh one', { timeout: 60_000 }, async () => {
    options = { requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'] }] };
    const label = `${TLS_LIBRARY_ID}-certificate-0-${csrDigestForTest(pythonCsr)}`;
    const certSecret: SecretState = {
      id: 'secret:d2nkl6rf8nkmqd1s9v00',
      label,
      owner: 'unit',
      revisions: [{ certificate: 'x', csr: pythonCsr }],
    };
    const rel = new Relation('certificates', {
      localUnitData: python.requirerUnit,
      remoteAppData: python.providerApp,
    });
    const expired: EventSpec = {
      dispatchPath: 'hooks/secret-expired',
      env: { JUJU_SECRET_ID: certSecret.id, JUJU_SECRET_LABEL: label, JUJU_SECRET_REVISION: '1' },
    };
    const out = await ctx.run(expired, new State({ relations: [rel], secrets: [keySecret, certSecret] }));
    const entries = JSON.parse(out.getRelation(rel.id).localUnitData.certificate_signing_requests ?? '[]');
    expect(entries).toHaveLength(1);
    expect(entries[0].certificate_signing_request).not.toBe(pythonCsr);
    expect((await readCsr(entries[0].certificate_signing_request)).commonName).toBe('webapp.example');
  });

  it('forgets a revoked certificate', { timeout: 60_000 }, async () => {
    options = { requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'] }] };
    const revoked = JSON.parse(python.providerApp.certificates).map((c: object) => ({ ...c, revoked: true }));
    const label = `${TLS_LIBRARY_ID}-certificate-0-${csrDigestForTest(pythonCsr)}`;
    const certSecret: SecretState = {
      id: 'secret:d2nkl6rf8nkmqd1s9v00',
      label,
      owner: 'unit',
      revisions: [{ certificate: 'x', csr: pythonCsr }],
    };
    const rel = new Relation('certificates', {
      localUnitData: python.requirerUnit,
      remoteAppData: { certificates: JSON.stringify(revoked) },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel], secrets: [keySecret, certSecret] }),
    );
    expect(out.getSecret({ label })).toBeUndefined();
  });

  it('in app mode, only the leader requests, in the application bag', { timeout: 60_000 }, async () => {
    options = { mode: 'app', requests: [{ commonName: 'intermediate', isCa: true }] };
    const rel = new Relation('certificates');
    const follower = await ctx.run(
      ctx.on.relationCreated(rel),
      new State({ leader: false, relations: [rel] }),
    );
    expect(follower.getRelation(rel.id).localAppData).toEqual({});
    expect(follower.secrets).toEqual([]);
    const leader = await ctx.run(ctx.on.relationCreated(rel), new State({ leader: true, relations: [rel] }));
    const entries = JSON.parse(leader.getRelation(rel.id).localAppData.certificate_signing_requests ?? '[]');
    expect(entries.map((e: { ca: boolean }) => e.ca)).toEqual([true]);
    expect(leader.getSecret({ label: `${TLS_LIBRARY_ID}-private-key-certificates` })).toBeDefined();
  });

  it('blocks on a provider bag that is not the interface', { timeout: 60_000 }, async () => {
    options = { requests: [{ commonName: 'webapp.example', sansDns: ['webapp.example'] }] };
    available.length = 0;
    const rel = new Relation('certificates', {
      remoteAppName: 'vault',
      localUnitData: python.requirerUnit,
      remoteAppData: { certificates: '[{"certificate": "only"}]' },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ relations: [rel], secrets: [keySecret] }),
    );
    expect(available).toEqual([]);
    expect(out.unitStatus).toEqual({
      name: 'blocked',
      message:
        'certificates: app vault sent invalid certificates.0.ca, certificates.0.certificate_signing_request',
    });
  });

  it('refuses a request a CA cannot sign, at construction', async () => {
    options = { requests: [{ sansIp: ['not-an-ip'] }] };
    const failure = await ctx.run(ctx.on.install(), new State()).catch((e: unknown) => e);
    expect((failure as Error).cause).toBeInstanceOf(TlsRequestError);
    options = { requests: [{ commonName: 'x' }], renewalRelativeTime: 0.4 };
    const early = await ctx.run(ctx.on.install(), new State()).catch((e: unknown) => e);
    expect((early as Error).cause).toBeInstanceOf(TlsRequestError);
  });
});
