// Both example charms in one simulated model: k8s-webapp (2 units) and k8s-db (1 unit), related on
// `database`, each running its own charm code in process, every container backed by the
// simulator's in-memory Pebble. The webapp asks, k8s-db creates the database (a Pebble exec, whose
// admin tool is the one stand-in: there is no image to run it) and answers with a secret, the
// webapp plans its server with the URI; no relation data is scripted.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmMeta } from '@charmkit/ops';
import { ModelSimulator } from '@charmkit/testing';
import { K8sDbCharm } from '@charmkit-examples/k8s-db';
import { afterEach, describe, expect, it } from 'vitest';
import { K8sWebappCharm } from '../src/k8s-webapp-charm.js';

const here = dirname(fileURLToPath(import.meta.url));
const webappMeta = loadCharmMeta(join(here, '..'));
const dbMeta = loadCharmMeta(join(here, '..', '..', 'k8s-db'));

let sim: ModelSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe.each(['3.6', '4'])('k8s-webapp and k8s-db in one simulation, Juju %s', (juju) => {
  it('settles with both applications active and webapp-pebble-ready in the trace', async () => {
    sim = await ModelSimulator.create({
      juju,
      seed: 15,
      applications: {
        'k8s-webapp': { mode: 'in-process', charm: K8sWebappCharm, meta: webappMeta, units: 2 },
        'k8s-db': {
          mode: 'in-process',
          charm: K8sDbCharm,
          meta: dbMeta,
          units: 1,
          // No real image runs in the simulation: the admin tool's exec succeeds, as it would.
          containers: { execHandlers: { db: [{ command: ['k8s-db-admin', 'create-database'] }] } },
        },
      },
      relations: [['k8s-webapp:database', 'k8s-db:database']],
    });
    const result = await sim.settle();
    const world = sim.snapshot();
    const statuses = Object.fromEntries(
      Object.values(world).flatMap((app) =>
        Object.entries(app.units).map(([unit, u]) => [unit, `${u.status.status}: ${u.status.message}`]),
      ),
    );
    console.log(`k8s-webapp ×2 + k8s-db ×1: ${result.report}; ${sim.hooksRun} hooks`, statuses);
    expect(result.settled).toBe(true);
    expect(statuses).toEqual({
      'k8s-webapp/0': 'active: serving on port 8080',
      'k8s-webapp/1': 'active: serving on port 8080',
      'k8s-db/0': 'active: serving 1 database',
    });
    const hooks = sim.trace.hooks.map((h) => `${h.unit} ${h.hook}`);
    expect(hooks).toContain('k8s-webapp/0 webapp-pebble-ready');
    expect(hooks).toContain('k8s-webapp/1 webapp-pebble-ready');
    expect(hooks).toContain('k8s-db/0 db-pebble-ready');
  });
});
