import { CharmBase, type Framework } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import {
  type DatabaseCredentials,
  DatabaseProvider,
  type DatabaseRequestedEvent,
  DatabaseRequirer,
} from '../../src/database/index.js';

// Both sides written with this package: what our requirer asks is what our provider reads, and
// what our provider sends (secrets included) is what our requirer reads.

let received: DatabaseCredentials | null = null;

class Webapp extends CharmBase {
  static override readonly handleKind = 'Webapp';
  readonly db: DatabaseRequirer;
  constructor(framework: Framework) {
    super(framework);
    this.db = new DatabaseRequirer(this, {
      endpoint: 'db',
      database: 'shop',
      additionalSecretFields: ['replset'],
    });
    this.observe(this.db.on.databaseCreated, this.onCreated);
  }
  onCreated(): void {
    received = this.db.credentials();
  }
}

class Postgres extends CharmBase {
  static override readonly handleKind = 'Postgres';
  readonly db: DatabaseProvider;
  constructor(framework: Framework) {
    super(framework);
    this.db = new DatabaseProvider(this);
    this.observe(this.db.on.databaseRequested, this.onRequested);
  }
  onRequested(event: DatabaseRequestedEvent): void {
    this.db.publish(event.relation, {
      database: event.database,
      username: 'relation-1',
      password: 'generated-password',
      endpoints: 'pg-primary:5432',
      extra: { replset: 'rs0' },
    });
  }
}

const web = new Context(Webapp, {
  meta: { metadata: { name: 'shop', requires: { db: { interface: 'postgresql_client' } } } },
});
const pg = new Context(Postgres, {
  meta: { metadata: { name: 'pg', provides: { database: { interface: 'postgresql_client' } } } },
});

describe('database: our requirer and our provider', () => {
  it('settle with the requirer holding working credentials', async () => {
    const asked = await web.run(
      web.on.relationCreated(new Relation('db', { id: 1, remoteAppName: 'pg' })),
      new State({ leader: true, relations: [new Relation('db', { id: 1, remoteAppName: 'pg' })] }),
    );
    const request = asked.getRelation(1).localAppData;

    const toProvider = new Relation('database', { id: 1, remoteAppName: 'shop', remoteAppData: request });
    const answered = await pg.run(
      pg.on.relationChanged(toProvider, { remoteUnit: 0 }),
      new State({ leader: true, relations: [toProvider] }),
    );
    const { data: _seen, ...sent } = answered.getRelation(1).localAppData;
    // The requirer sees the provider's secrets as a consumer: same ids, no owner.
    const granted = answered.secrets.map(({ owner: _owner, label: _label, grants: _grants, ...s }) => s);

    const toRequirer = new Relation('db', {
      id: 1,
      remoteAppName: 'pg',
      remoteAppData: sent,
      localAppData: request,
    });
    received = null;
    await web.run(
      web.on.relationChanged(toRequirer, { remoteUnit: 0 }),
      asked.with({ relations: [toRequirer], secrets: granted }),
    );
    expect(sent).toHaveProperty('secret-user');
    expect(sent).toHaveProperty('secret-extra');
    expect(received).toMatchObject({
      database: 'shop',
      username: 'relation-1',
      password: 'generated-password',
      endpoints: 'pg-primary:5432',
      extra: { replset: 'rs0' },
    });
  });
});
