import { PeerRelation, Relation, State } from '../../src/context/state.js';
import { StateBackend } from '../../src/context/state-backend.js';
import { describeBackendContract } from './backend-contract.js';
import { type ContractSeed, secretUri, WORLD } from './contract-world.js';

const { peer, regular, secrets } = WORLD;

/** The contract world as a Context test's input state. */
function contractState(seed: ContractSeed): State {
  return new State({
    leader: seed.leader,
    config: WORLD.config,
    relations: [
      new PeerRelation(peer.endpoint, {
        id: peer.id,
        localUnitData: peer.unitData,
        localAppData: peer.appData,
        peersData: { 1: peer.peerUnitData },
      }),
      new Relation(regular.endpoint, {
        id: regular.id,
        remoteAppName: regular.remoteApp,
        localUnitData: regular.unitData,
        localAppData: regular.appData,
        remoteAppData: regular.remoteAppData,
        remoteUnitsData: Object.fromEntries(
          regular.remoteUnits.map((name) => [Number(name.split('/')[1]), regular.remoteUnitData[name] ?? {}]),
        ),
      }),
    ],
    unitStatus: { name: 'active', message: WORLD.unitStatus.message },
    appStatus: { name: 'waiting', message: WORLD.appStatus.message },
    model: { name: WORLD.modelName, uuid: WORLD.modelUuid },
    leaderSettings: WORLD.leaderSettings,
    openedPorts: WORLD.openedPorts,
    storages: [{ name: WORLD.storage.name, index: 0, location: WORLD.storage.location }],
    resources: WORLD.resources,
    plannedUnits: 2,
    cloudSpec: seed.trusted ? WORLD.cloud : undefined,
    secrets: [
      {
        id: secretUri(secrets.app.xid),
        owner: 'application',
        label: secrets.app.label,
        revisions: secrets.app.revisions,
      },
      {
        id: secretUri(secrets.unit.xid),
        owner: 'unit',
        label: secrets.unit.label,
        revisions: secrets.unit.revisions,
      },
      {
        id: secretUri(secrets.observed.xid),
        label: secrets.observed.label,
        revisions: secrets.observed.revisions,
        tracked: secrets.observed.tracked,
      },
    ],
  });
}

describeBackendContract(
  'StateBackend (Context)',
  (seed) => ({
    backend: new StateBackend(
      contractState(seed),
      WORLD.unit,
      WORLD.app,
      seed.inAction ? WORLD.actionParams : null,
      { bindings: [peer.endpoint, regular.endpoint] },
    ),
  }),
  {
    secrets: true,
    storage: true,
    actions: true,
    resources: true,
    credentials: true,
    reboot: true,
    unitTools: false,
  },
);
