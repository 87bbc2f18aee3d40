// Both sides of each interface, each in its own application, in one simulated model: nothing is
// scripted, the requirer's and the provider's own code negotiate the relation through the
// simulator's hook ordering (Juju 4 and 3.6), and the requirer must end holding what it asked for:
// credentials from a Juju secret, an ingress URL, a certificate signed for its own key.
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  parseCharmMeta,
  WaitingStatus,
} from '@charmkit/ops';
import { ModelSimulator } from '@charmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseProvider, type DatabaseRequestedEvent, DatabaseRequirer } from '../src/database/index.js';
import { type IngressDataProvidedEvent, IngressProvider, IngressRequirer } from '../src/ingress/index.js';
import {
  certificateMatchesKey,
  generateCa,
  generatePrivateKey,
  readCertificate,
  signCsr,
  TlsCertificatesProvider,
  TlsCertificatesRequirer,
} from '../src/tls-certificates/index.js';

/** The web application: database, ingress and a certificate, active once it has all three. */
class Webapp extends CharmBase {
  static override readonly handleKind = 'Webapp';
  readonly db = new DatabaseRequirer(this, { database: 'shop' });
  readonly ingress = new IngressRequirer(this, { port: 8080 });
  readonly tls = new TlsCertificatesRequirer(this, { requests: [{ commonName: 'web.example' }] });

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.on.collectUnitStatus, this.onCollectStatus);
  }

  async onCollectStatus(event: CollectStatusEvent): Promise<void> {
    const creds = this.db.credentials();
    const url = this.ingress.url;
    const { certificates, privateKey } = this.tls.assignedCertificates();
    const cert = certificates[0];
    if (!creds || !url || !cert || !privateKey) {
      event.addStatus(new WaitingStatus(`db=${Boolean(creds)} url=${Boolean(url)} cert=${Boolean(cert)}`));
      return;
    }
    // A certificate for another key would be useless: the status says whether it fits.
    const fits = certificateMatchesKey(cert.certificate, privateKey);
    const cn = readCertificate(cert.certificate).commonName;
    event.addStatus(
      new ActiveStatus(`${creds.username}:${creds.password}@${creds.endpoints} ${url} ${cn} fits=${fits}`),
    );
  }
}

/** A database that creates a user per relation and sends its credentials (in a secret). */
class Database extends CharmBase {
  static override readonly handleKind = 'Database';
  readonly provider = new DatabaseProvider(this);

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.provider.on.databaseRequested, this.onDatabaseRequested);
  }

  onDatabaseRequested(event: DatabaseRequestedEvent): void {
    const relation = event.relation;
    this.provider.publish(relation, {
      database: event.database,
      username: `relation-${relation.id}`,
      password: `pw-${relation.id}`,
      endpoints: 'db.internal:5432',
      version: '16.4',
    });
  }
}

/** An ingress that answers every request with a URL under its own host. */
class Ingress extends CharmBase {
  static override readonly handleKind = 'Ingress';
  readonly provider = new IngressProvider(this);

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.provider.on.dataProvided, this.onDataProvided);
  }

  onDataProvided(event: IngressDataProvidedEvent): void {
    const request = this.provider.request(event.relation);
    if (!request) return;
    this.provider.publishUrl(event.relation, `http://gateway.example/${request.model}-${request.name}`);
  }
}

/** A self-signed CA: its key and certificate in stored state, every outstanding CSR signed. */
class Ca extends CharmBase {
  static override readonly handleKind = 'Ca';
  readonly provider = new TlsCertificatesProvider(this);
  readonly stored = this.storedState('ca', { key: '', certificate: '' });

  constructor(framework: Framework) {
    super(framework);
    this.observe(this.provider.on.certificateRequestsChanged, this.onRequests);
  }

  async onRequests(): Promise<void> {
    if (!this.unit.isLeader()) return;
    if (!this.stored.key) {
      this.stored.key = generatePrivateKey();
      this.stored.certificate = await generateCa(this.stored.key, { commonName: 'Test CA' });
    }
    for (const request of this.provider.outstandingCertificateRequests()) {
      const certificate = await signCsr(request.certificateSigningRequest, {
        caCertificate: this.stored.certificate,
        caPrivateKey: this.stored.key,
      });
      this.provider.setRelationCertificate({
        relationId: request.relationId,
        certificate,
        certificateSigningRequest: request.certificateSigningRequest,
        ca: this.stored.certificate,
      });
    }
  }
}

const webappMeta = parseCharmMeta({
  metadata: {
    name: 'webapp',
    requires: {
      database: { interface: 'postgresql_client', limit: 1 },
      ingress: { interface: 'ingress', limit: 1 },
      certificates: { interface: 'tls-certificates', limit: 1 },
    },
  },
});
const dbMeta = parseCharmMeta({
  metadata: { name: 'db', provides: { database: { interface: 'postgresql_client' } } },
});
const ingressMeta = parseCharmMeta({
  metadata: { name: 'gateway', provides: { ingress: { interface: 'ingress' } } },
});
const caMeta = parseCharmMeta({
  metadata: { name: 'ca', provides: { certificates: { interface: 'tls-certificates' } } },
});

let sim: ModelSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe.each(['4', '3.6'])(
  'requirers and providers of @charmkit/interfaces in one model, Juju %s',
  (juju) => {
    it('settles with every webapp unit holding credentials, a URL and a certificate for its own key', async () => {
      sim = await ModelSimulator.create({
        juju,
        seed: 16,
        applications: {
          webapp: { mode: 'in-process', charm: Webapp, meta: webappMeta, units: 2 },
          db: { mode: 'in-process', charm: Database, meta: dbMeta, units: 1 },
          gateway: { mode: 'in-process', charm: Ingress, meta: ingressMeta, units: 1 },
          ca: { mode: 'in-process', charm: Ca, meta: caMeta, units: 1 },
        },
        relations: [
          ['webapp:database', 'db:database'],
          ['webapp:ingress', 'gateway:ingress'],
          ['webapp:certificates', 'ca:certificates'],
        ],
      });
      const result = await sim.settle();
      expect(result.settled, result.report).toBe(true);
      const webapp = sim.snapshot().webapp;
      for (const unit of ['webapp/0', 'webapp/1']) {
        const status = webapp?.units[unit]?.status;
        expect(status?.status, `${unit}: ${status?.message}`).toBe('active');
        const [credentials, url, cn, fits] = status?.message.split(' ') ?? [];
        expect(credentials).toMatch(/^relation-\d+:pw-\d+@db\.internal:5432$/);
        expect(url).toMatch(/^http:\/\/gateway\.example\/.+-webapp$/);
        expect(cn).toBe('web.example');
        expect(fits).toBe('fits=true');
      }
      // The password travelled in a Juju secret, not in the databag.
      const database = sim
        .relations()
        .find((r) => r.a.endpoint === 'database' || r.b.endpoint === 'database');
      expect(database).toBeDefined();
      const dbBag = JSON.stringify(
        sim
          .app('webapp')
          .snapshot()
          .relations.find((r) => r.endpoint === 'database'),
      );
      expect(dbBag).toContain('secret-user');
      expect(dbBag).not.toContain('pw-');
    }, 120_000);
  },
);
