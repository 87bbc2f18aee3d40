import type { CloudSpec, Port } from '@charmkit/ops';
import type { JujuLogLevel } from '@charmkit/ops/hook-tools';
import type { ModelBackend } from '@charmkit/ops/internal';

/**
 * The one small world every Juju stand-in is seeded with for the backend contract: unit `keeper/0`
 * of application `keeper` (two units), a peer relation and a relation to a two-unit remote
 * application, each with data in every bag, config, leader settings, statuses, an opened port and
 * unit state; and, for the stand-ins that model them, secrets, storage, a resource, a cloud spec
 * and action parameters.
 */
export const WORLD = {
  app: 'keeper',
  unit: 'keeper/0',
  peerUnit: 'keeper/1',
  modelName: 'contract',
  modelUuid: '5f2b8c1e-0d3a-4e6b-9c7d-2a1b3c4d5e6f',
  /** The peer relation; its id is the first a fresh controller hands out. */
  peer: {
    endpoint: 'cluster',
    id: 0,
    unitData: { role: 'primary' },
    appData: { token: 't-1' },
    peerUnitData: { role: 'replica' },
  },
  /** The regular relation to `store`. */
  regular: {
    endpoint: 'db',
    id: 1,
    remoteApp: 'store',
    remoteUnits: ['store/0', 'store/1'],
    unitData: { want: 'tables' },
    appData: { 'client-id': 'k-1' },
    remoteUnitData: { 'store/0': { host: 'h0' }, 'store/1': { host: 'h1' } } as Record<
      string,
      Record<string, string>
    >,
    remoteAppData: { database: 'main' },
  },
  /** A relation id no stand-in knows. */
  unknownRelationId: 99,
  /** Config as `config-get` reports it: `name` and `debug` set, `port` from its default. */
  config: { name: 'alpha', port: 8080, debug: true },
  leaderSettings: { epoch: '1' },
  unitStatus: { status: 'active', message: 'serving' },
  appStatus: { status: 'waiting', message: 'syncing' },
  /** Ports committed by earlier hooks. */
  openedPorts: [{ protocol: 'tcp', port: 80 }] as Port[],
  unitState: { phase: 'ready' },
  storage: { name: 'data', id: 'data/0', location: '/srv/data/0' },
  resources: { bin: '/var/lib/juju/agents/unit-keeper-0/resources/bin/app.tar.gz' },
  cloud: {
    type: 'lxd',
    name: 'localhost',
    endpoint: 'https://10.0.0.1:8443',
    caCertificates: [],
    skipTlsVerify: false,
    isControllerCloud: true,
  } as CloudSpec,
  actionParams: { target: '/backup', level: 3 },
  secrets: {
    /** Owned by the application (only the leader may see its metadata or change it). */
    app: { xid: 'd0kpapp0000000000001', label: 'app-secret', revisions: [{ password: 'one' }] },
    /** Owned by this unit. */
    unit: { xid: 'd0kpunit000000000002', label: 'unit-secret', revisions: [{ token: 'u-1' }] },
    /** Another application's, granted to this one; this unit tracks revision 1 of 2. */
    observed: {
      xid: 'd0kpobs0000000000003',
      label: 'peer-cert',
      revisions: [{ cert: 'v1' }, { cert: 'v2' }],
      tracked: 1,
    },
  },
} as const;

/** The full URI of one of the world's secrets. */
export function secretUri(xid: string): string {
  return `secret://${WORLD.modelUuid}/${xid}`;
}

/** What varies between seeds of the world. */
export interface ContractSeed {
  /** Whether `keeper/0` leads. */
  readonly leader: boolean;
  /** Whether the hook is an action (with {@link WORLD.actionParams}); stand-ins without actions ignore it. */
  readonly inAction?: boolean;
  /** Whether the application is trusted (`credential-get` answers {@link WORLD.cloud}). */
  readonly trusted?: boolean;
}

/** Unit state and logging: not part of `ModelBackend`, offered by the hook-tool stand-ins under `HookTools` names. */
export interface UnitTools {
  stateGet(): Record<string, string>;
  stateSet(values: Readonly<Record<string, string>>): void;
  stateDelete(key: string): void;
  jujuLog(level: JujuLogLevel, message: string): void;
}

/** One seeded stand-in. */
export interface BackendUnderTest {
  readonly backend: ModelBackend;
  /** Present when the stand-in serves unit state and `juju-log`. */
  readonly unitTools?: UnitTools;
}

/** What a stand-in models; the cases for the rest are skipped (and listed in the report of each run). */
export interface BackendCapabilities {
  readonly secrets: boolean;
  readonly storage: boolean;
  /** Whether a hook can be an action. */
  readonly actions: boolean;
  readonly resources: boolean;
  /** Whether the application can be trusted (`credential-get` answers). */
  readonly credentials: boolean;
  /** Whether `juju-reboot` is modelled. */
  readonly reboot: boolean;
  /** Whether `unitTools` is served. */
  readonly unitTools: boolean;
}

/** Builds a stand-in seeded with {@link WORLD} as `seed` says. */
export type BackendFactory = (seed: ContractSeed) => BackendUnderTest | Promise<BackendUnderTest>;
