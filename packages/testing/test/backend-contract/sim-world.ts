import { type CharmMeta, parseCharmMeta } from '@charmkit/ops';
import { makeHook } from '../../src/simulator/hook-queue.js';
import { HookSession } from '../../src/simulator/hook-session.js';
import { SimActionRun } from '../../src/simulator/sim-actions.js';
import { SimStorage } from '../../src/simulator/sim-storage.js';
import { World } from '../../src/simulator/world.js';
import { settle } from '../helpers/settle-world.js';
import { type ContractSeed, WORLD } from './contract-world.js';

/** The contract world's charm: the two endpoints and the three options. */
export const contractMeta: CharmMeta = parseCharmMeta({
  metadata: {
    name: WORLD.app,
    peers: { [WORLD.peer.endpoint]: { interface: 'keeper-peers' } },
    requires: { [WORLD.regular.endpoint]: { interface: 'store' } },
    storage: { [WORLD.storage.name]: { type: 'filesystem', multiple: { range: '1-5' } } },
  },
  config: {
    options: {
      name: { type: 'string' },
      port: { type: 'int', default: 8080 },
      debug: { type: 'boolean', default: false },
    },
  },
});

/**
 * A simulated controller holding the contract world, and the session of an `update-status` hook of
 * `keeper/0` in it: what both the in-process backend and the hook-tool server answer from.
 */
export function contractSession(seed: ContractSeed, contextId: string): HookSession {
  const world = new World(
    contractMeta,
    WORLD.app,
    WORLD.modelName,
    WORLD.modelUuid,
    () => undefined,
    () => {},
    // The contract covers leader-get/leader-set, which only Juju 3.6 has.
    '3.6.8',
  );
  const cluster = world.addRelation(WORLD.peer.endpoint);
  const db = world.addRelation(WORLD.regular.endpoint, {
    endpoint: WORLD.regular.endpoint,
    app: WORLD.regular.remoteApp,
    units: WORLD.regular.remoteUnits.length,
    appData: WORLD.regular.remoteAppData,
    unitData: WORLD.regular.remoteUnitData,
  });
  if (cluster.id !== WORLD.peer.id || db.id !== WORLD.regular.id) {
    throw new Error(`the simulator numbered the relations ${cluster.id} and ${db.id}`);
  }
  // The contract's instance lives at /srv/data/0: answered, never created.
  world.storage = new SimStorage(contractMeta, '/srv', false);
  world.addUnit();
  world.addUnit();
  settle(world);
  if (!seed.leader) {
    world.setLeader(WORLD.peerUnit);
    settle(world);
  }
  const unit = world.unit(WORLD.unit);
  const merge = (bag: Record<string, string> | undefined, data: Readonly<Record<string, string>>) => ({
    ...bag,
    ...data,
  });
  cluster.unitData.set(WORLD.unit, merge(cluster.unitData.get(WORLD.unit), WORLD.peer.unitData));
  cluster.unitData.set(WORLD.peerUnit, merge(cluster.unitData.get(WORLD.peerUnit), WORLD.peer.peerUnitData));
  cluster.appData.set(WORLD.app, { ...WORLD.peer.appData });
  db.unitData.set(WORLD.unit, merge(db.unitData.get(WORLD.unit), WORLD.regular.unitData));
  db.appData.set(WORLD.app, { ...WORLD.regular.appData });
  world.configValues.set('name', WORLD.config.name);
  world.configValues.set('debug', WORLD.config.debug);
  world.leaderSettings = { ...WORLD.leaderSettings };
  unit.workloadStatus = { ...WORLD.unitStatus };
  unit.statusSet = true;
  world.appStatus = { ...WORLD.appStatus };
  for (const port of WORLD.openedPorts) {
    const spec = port.protocol === 'icmp' ? 'icmp' : `${port.port}/${port.protocol}`;
    unit.ports.set(spec, { spec, endpoints: '*' });
  }
  for (const [key, value] of Object.entries(WORLD.unitState)) unit.state.set(key, value);
  const { app, unit: unitSecret, observed } = WORLD.secrets;
  const secrets = world.secrets;
  secrets.add({
    xid: app.xid,
    owner: { kind: 'application', app: WORLD.app },
    content: app.revisions[0],
    label: app.label,
  });
  secrets.add({
    xid: unitSecret.xid,
    owner: { kind: 'unit', unit: WORLD.unit },
    content: unitSecret.revisions[0],
    label: unitSecret.label,
  });
  const observedUri = secrets.add({
    xid: observed.xid,
    owner: { kind: 'application', app: WORLD.regular.remoteApp },
    content: observed.revisions[0],
  });
  secrets.update(observedUri, { content: observed.revisions[1] });
  secrets.grant(observedUri, { relationId: db.id, app: WORLD.app, unit: null });
  secrets.track(observedUri, WORLD.unit, observed.tracked, observed.label);
  const session = new HookSession(world, unit, makeHook('update-status'), contextId, null);
  if (seed.inAction) session.action = new SimActionRun('backup', '1', WORLD.actionParams);
  return session;
}
