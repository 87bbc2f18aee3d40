import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  parseCharmMeta,
  WaitingStatus,
} from '@charmkit/ops';
import { Simulator } from '@charmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseRequirer } from '../../src/database/index.js';
import { IngressRequirer } from '../../src/ingress/index.js';

// Three units of a web application under the simulator's hook ordering (Juju 4: no
// private-address anywhere), related to a database and an ingress provider whose databags are the
// ones the Python libraries write. Every unit must end with the URL and the credentials.

class Webapp extends CharmBase {
  static override readonly handleKind = 'Webapp';
  readonly db: DatabaseRequirer;
  readonly ingress: IngressRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.db = new DatabaseRequirer(this, { database: 'shop' });
    this.ingress = new IngressRequirer(this, { port: 8080 });
    this.observe(this.on.collectUnitStatus, this.onCollectStatus);
  }
  onCollectStatus(event: CollectStatusEvent): void {
    const creds = this.db.credentials();
    const url = this.ingress.url;
    event.addStatus(
      creds && url
        ? new ActiveStatus(`${url} ${creds.username}@${creds.endpoints}`)
        : new WaitingStatus('relations'),
    );
  }
}

const meta = parseCharmMeta({
  metadata: {
    name: 'shop',
    requires: {
      database: { interface: 'postgresql_client', limit: 1 },
      ingress: { interface: 'ingress', limit: 1 },
    },
  },
});

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('database and ingress requirers in a simulated model', () => {
  it('settle with every unit holding the URL and the credentials', async () => {
    sim = await Simulator.create({
      mode: 'in-process',
      charm: Webapp,
      meta,
      units: 3,
      seed: 7,
      juju: '4',
      remoteApps: [
        {
          app: 'postgresql',
          endpoint: 'database',
          appData: { database: 'shop', endpoints: 'pg-primary:5432', username: 'relation-9', password: 'pw' },
        },
        {
          app: 'traefik',
          endpoint: 'ingress',
          appData: { ingress: '{"url": "http://shop.example/sim-shop"}' },
        },
      ],
    });
    const result = await sim.settle();
    expect(result.settled).toBe(true);
    const snapshot = sim.snapshot();
    for (const [name, unit] of Object.entries(snapshot.units)) {
      expect(unit.status, name).toMatchObject({
        status: 'active',
        message: 'http://shop.example/sim-shop relation-9@pg-primary:5432',
      });
    }
    const database = snapshot.relations.find((r) => r.endpoint === 'database');
    expect(database?.appData.shop).toMatchObject({ database: 'shop' });
    const ingress = snapshot.relations.find((r) => r.endpoint === 'ingress');
    expect(ingress?.appData.shop).toEqual({ model: '"sim"', name: '"shop"', port: '8080' });
    for (const unit of Object.keys(snapshot.units)) {
      const bag = ingress?.unitData[unit] ?? {};
      expect(bag.host, unit).toBe(JSON.stringify(bag['ingress-address']));
      expect(bag).not.toHaveProperty('private-address');
    }
  }, 120_000);
});
