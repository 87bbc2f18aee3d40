// Both example charms in Context, one hook each, the databags and secret carried across by hand:
// what k8s-webapp asks is what k8s-db answers, and what k8s-db answers gives the webapp a URI with
// the password k8s-db created the owner with.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, Context, Relation, State } from '@charmkit/testing';
import { K8sDbCharm } from '@charmkit-examples/k8s-db';
import { expect, it } from 'vitest';
import { K8sWebappCharm } from '../src/k8s-webapp-charm.js';

const here = dirname(fileURLToPath(import.meta.url));
const web = new Context(K8sWebappCharm, { charmDir: join(here, '..') });
const db = new Context(K8sDbCharm, { charmDir: join(here, '..', '..', 'k8s-db') });

it('k8s-webapp gets a working database URI from k8s-db', async () => {
  const webapp = new Container('webapp');
  const toDb = new Relation('database', { id: 3, remoteAppName: 'k8s-db' });
  const asked = await web.run(
    web.on.relationCreated(toDb),
    new State({ leader: true, relations: [toDb], containers: [webapp] }),
  );
  const request = asked.getRelation(3).localAppData;

  const toWeb = new Relation('database', { id: 3, remoteAppName: 'k8s-webapp', remoteAppData: request });
  const dbContainer = new Container('db', {
    execHandlers: [{ command: ['k8s-db-admin', 'create-database'], stdout: 'CREATE DATABASE\n' }],
  });
  const answered = await db.run(
    db.on.relationChanged(toWeb, { remoteUnit: 0 }),
    new State({ leader: true, relations: [toWeb], containers: [dbContainer] }),
  );
  const password = answered.getContainer('db').execs[0]?.environment?.K8S_DB_OWNER_PASSWORD;
  const { data: _seen, ...sent } = answered.getRelation(3).localAppData;
  // The webapp sees k8s-db's secrets as a consumer: same ids, no owner, label or grants.
  const granted = answered.secrets.map(({ owner: _o, label: _l, grants: _g, ...s }) => s);

  const answeredToWeb = toDb.with({ remoteAppData: sent, localAppData: request });
  const out = await web.run(
    web.on.relationChanged(answeredToWeb, { remoteUnit: 0 }),
    asked.with({ relations: [answeredToWeb], secrets: granted }),
  );
  expect(password).toBeTruthy();
  expect(out.getContainer('webapp').plan.services.webapp?.environment?.DATABASE_URI).toBe(
    `postgresql://relation-3:${password}@k8s-db.test-model.svc.cluster.local:5432/webapp`,
  );
  expect(out.unitStatus).toEqual({ name: 'active', message: 'serving on port 8080' });
});
