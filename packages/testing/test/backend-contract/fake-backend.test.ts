// ops' test double, imported by path: ops' tests cannot depend on this package, the reverse is fine.
import { FakeBackend } from '../../../ops/test/helpers/fake-backend.js';
import { describeBackendContract } from './backend-contract.js';
import { type ContractSeed, WORLD } from './contract-world.js';

const { peer, regular, secrets } = WORLD;

/** ops' FakeBackend holding the contract world. */
function contractFake(seed: ContractSeed): FakeBackend {
  const fake = new FakeBackend();
  fake.leader = seed.leader;
  fake.unitName = WORLD.unit;
  fake.modelUuid = WORLD.modelUuid;
  fake.config = { ...WORLD.config };
  fake.leaderSettings = { ...WORLD.leaderSettings };
  fake.relations.set(peer.id, { endpoint: peer.endpoint, units: [WORLD.peerUnit], app: WORLD.app });
  fake.relations.set(regular.id, {
    endpoint: regular.endpoint,
    units: [...regular.remoteUnits],
    app: regular.remoteApp,
  });
  fake.bags.set(fake.bagKey(peer.id, WORLD.unit), { ...peer.unitData });
  fake.bags.set(fake.bagKey(peer.id, WORLD.app), { ...peer.appData });
  fake.bags.set(fake.bagKey(peer.id, WORLD.peerUnit), { ...peer.peerUnitData });
  fake.bags.set(fake.bagKey(regular.id, WORLD.unit), { ...regular.unitData });
  fake.bags.set(fake.bagKey(regular.id, WORLD.app), { ...regular.appData });
  fake.bags.set(fake.bagKey(regular.id, regular.remoteApp), { ...regular.remoteAppData });
  for (const name of regular.remoteUnits) {
    fake.bags.set(fake.bagKey(regular.id, name), { ...regular.remoteUnitData[name] });
  }
  fake.status = { unit: { ...WORLD.unitStatus }, app: { ...WORLD.appStatus } };
  fake.actionParams = seed.inAction ? { ...WORLD.actionParams } : null;
  fake.ports = [...WORLD.openedPorts];
  const network = {
    bindAddresses: [
      {
        interfaceName: 'eth0',
        macAddress: '00:16:3e:00:00:01',
        addresses: [{ value: '10.1.0.2', cidr: '10.1.0.0/24', hostname: '' }],
      },
    ],
    egressSubnets: ['10.1.0.2/32'],
    ingressAddresses: ['10.1.0.2'],
  };
  fake.networks.set(peer.endpoint, network).set(regular.endpoint, network);
  fake.storage.set(WORLD.storage.id, WORLD.storage.location);
  fake.resources.set('bin', WORLD.resources.bin);
  fake.cloud = seed.trusted ? WORLD.cloud : null;
  const since = '2025-01-01 00:00:00Z';
  fake.goal = {
    units: { [WORLD.unit]: { status: 'active', since }, [WORLD.peerUnit]: { status: 'active', since } },
    relations: {
      [peer.endpoint]: {
        [WORLD.app]: { status: 'joined', since },
        [WORLD.peerUnit]: { status: 'active', since },
      },
      [regular.endpoint]: Object.fromEntries([
        [regular.remoteApp, { status: 'joined', since }],
        ...regular.remoteUnits.map((name) => [name, { status: 'active', since }]),
      ]),
    },
  };
  fake.seedSecret(secrets.app.revisions[0], {
    owner: 'application',
    label: secrets.app.label,
    xid: secrets.app.xid,
  });
  fake.seedSecret(secrets.unit.revisions[0], {
    owner: 'unit',
    label: secrets.unit.label,
    xid: secrets.unit.xid,
  });
  fake.seedSecret(secrets.observed.revisions[0], {
    owner: null,
    label: secrets.observed.label,
    xid: secrets.observed.xid,
  });
  const observed = fake.secrets.get(secrets.observed.xid);
  if (!observed) throw new Error('the observed secret was not seeded');
  observed.revisions.push({ ...secrets.observed.revisions[1] });
  observed.tracked = secrets.observed.tracked;
  return fake;
}

describeBackendContract('FakeBackend (ops tests)', (seed) => ({ backend: contractFake(seed) }), {
  secrets: true,
  storage: true,
  actions: true,
  resources: true,
  credentials: true,
  reboot: true,
  unitTools: false,
});
