import {
  ActionNotRunningError,
  HookToolArgumentError,
  HookToolError,
  NotLeaderError,
  PermissionDeniedError,
  RelationNotFoundError,
  SecretNotFoundError,
} from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import {
  type BackendCapabilities,
  type BackendFactory,
  type BackendUnderTest,
  type ContractSeed,
  secretUri,
  WORLD,
} from './contract-world.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** What `run` threw; fails the test when it returned. */
function thrown(run: () => unknown): unknown {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    return error;
  }
  throw new Error(`expected the call to throw, it returned ${JSON.stringify(result)}`);
}

/** `run` throws an instance of `ErrorClass` (a `HookToolError`, as production's tools raise). */
function expectToolError(run: () => unknown, ErrorClass: ErrorClass): HookToolError {
  const error = thrown(run);
  expect(error).toBeInstanceOf(ErrorClass);
  expect(error).toBeInstanceOf(HookToolError);
  return error as HookToolError;
}

/** `run` throws a `HookToolError` for which Juju's text names no more specific cause. */
function expectPlainToolError(run: () => unknown): void {
  const error = expectToolError(run, HookToolError);
  expect(error.code).toBe('CHARMKIT_HOOK_TOOL');
}

const { peer, regular } = WORLD;
const unknownId = WORLD.unknownRelationId;

/**
 * The backend contract: what every Juju stand-in must answer to the calls of `ModelBackend` (and,
 * where served, unit state and `juju-log`), with production's answers and error classes as the
 * reference. Runs the same cases against the stand-in `factory` builds; cases for what the
 * stand-in does not model (per `capabilities`) are skipped.
 */
export function describeBackendContract(
  name: string,
  factory: BackendFactory,
  capabilities: BackendCapabilities,
  options: { readonly timeoutMs?: number } = {},
): void {
  const seeded = async (seed: ContractSeed): Promise<BackendUnderTest> => factory(seed);
  const asLeader = () => seeded({ leader: true });
  const asMinion = () => seeded({ leader: false });
  const caps = capabilities;
  /** One case, run when the stand-in models what it needs. */
  const test = (title: string, enabled: boolean, body: () => Promise<void>): void => {
    it.skipIf(!enabled)(title, body, options.timeoutMs);
  };

  describe(`backend contract: ${name}`, () => {
    describe('leadership', () => {
      test('is-leader answers whether this unit leads', true, async () => {
        expect((await asLeader()).backend.isLeader()).toBe(true);
        expect((await asMinion()).backend.isLeader()).toBe(false);
      });

      test('leader-get returns every leader setting, to leader and minion', true, async () => {
        expect((await asLeader()).backend.leaderGet()).toEqual(WORLD.leaderSettings);
        expect((await asMinion()).backend.leaderGet()).toEqual(WORLD.leaderSettings);
      });

      test('leader-set by the leader is visible at once; null deletes a key', true, async () => {
        const { backend } = await asLeader();
        backend.leaderSet({ epoch: '2', extra: 'x' });
        expect(backend.leaderGet()).toEqual({ epoch: '2', extra: 'x' });
        backend.leaderSet({ extra: null });
        expect(backend.leaderGet()).toEqual({ epoch: '2' });
      });

      test('leader-set by a non-leader throws NotLeaderError and writes nothing', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.leaderSet({ epoch: '2' }), NotLeaderError);
        expect(backend.leaderGet()).toEqual(WORLD.leaderSettings);
      });
    });

    describe('config', () => {
      test('config-get returns the set options and the defaults', true, async () => {
        expect((await asMinion()).backend.configGet()).toEqual(WORLD.config);
      });
    });

    describe('relations', () => {
      test(
        'relation-ids lists the live relations of an endpoint; an unknown endpoint has none',
        true,
        async () => {
          const { backend } = await asMinion();
          expect(backend.relationIds(peer.endpoint)).toEqual([peer.id]);
          expect(backend.relationIds(regular.endpoint)).toEqual([regular.id]);
          expect(backend.relationIds('no-such-endpoint')).toEqual([]);
        },
      );

      test('relation-list names the remote units, sorted; --app the remote application', true, async () => {
        const { backend } = await asMinion();
        expect(backend.relationList(peer.id)).toEqual([WORLD.peerUnit]);
        expect(backend.relationList(regular.id)).toEqual([...regular.remoteUnits]);
        expect(backend.relationRemoteApp(peer.id)).toBe(WORLD.app);
        expect(backend.relationRemoteApp(regular.id)).toBe(regular.remoteApp);
      });

      test('relation-model-get answers the model of the remote side', true, async () => {
        expect((await asMinion()).backend.relationModelGet(regular.id)).toBe(WORLD.modelUuid);
      });

      test(
        'every relation tool throws RelationNotFoundError for a relation id it does not know',
        true,
        async () => {
          const { backend } = await asLeader();
          expectToolError(() => backend.relationList(unknownId), RelationNotFoundError);
          expectToolError(() => backend.relationRemoteApp(unknownId), RelationNotFoundError);
          expectToolError(() => backend.relationGet(unknownId, WORLD.unit, false), RelationNotFoundError);
          expectToolError(() => backend.relationSet(unknownId, { a: 'b' }, false), RelationNotFoundError);
          expectToolError(() => backend.relationSet(unknownId, { a: 'b' }, true), RelationNotFoundError);
          expectToolError(() => backend.relationModelGet(unknownId), RelationNotFoundError);
        },
      );

      test('relation-get reads this unit’s bags', true, async () => {
        const { backend } = await asMinion();
        expect(backend.relationGet(peer.id, WORLD.unit, false)).toMatchObject(peer.unitData);
        expect(backend.relationGet(regular.id, WORLD.unit, false)).toMatchObject(regular.unitData);
      });

      test('the leader reads its application’s bags', true, async () => {
        const { backend } = await asLeader();
        expect(backend.relationGet(peer.id, WORLD.app, true)).toEqual(peer.appData);
        expect(backend.relationGet(regular.id, WORLD.app, true)).toEqual(regular.appData);
      });

      test(
        'a non-leader reads its application’s bag in a peer relation only (else PermissionDeniedError)',
        true,
        async () => {
          const { backend } = await asMinion();
          expect(backend.relationGet(peer.id, WORLD.app, true)).toEqual(peer.appData);
          expectToolError(() => backend.relationGet(regular.id, WORLD.app, true), PermissionDeniedError);
        },
      );

      test('remote unit and application bags are readable by leader and minion alike', true, async () => {
        // One stand-in at a time: a hook-tool server answers only the latest seeded hook.
        for (const make of [asLeader, asMinion]) {
          const { backend } = await make();
          expect(backend.relationGet(regular.id, 'store/0', false)).toMatchObject(
            regular.remoteUnitData['store/0'] ?? {},
          );
          expect(backend.relationGet(regular.id, 'store/1', false)).toMatchObject(
            regular.remoteUnitData['store/1'] ?? {},
          );
          expect(backend.relationGet(regular.id, regular.remoteApp, true)).toEqual(regular.remoteAppData);
          expect(backend.relationGet(peer.id, WORLD.peerUnit, false)).toMatchObject(peer.peerUnitData);
        }
      });

      test(
        'bags of units and applications outside the relation throw PermissionDeniedError',
        true,
        async () => {
          const { backend } = await asLeader();
          expectToolError(() => backend.relationGet(regular.id, 'other/0', false), PermissionDeniedError);
          expectToolError(() => backend.relationGet(regular.id, 'other', true), PermissionDeniedError);
          // A unit of this application is not on the other side of a regular relation.
          expectToolError(
            () => backend.relationGet(regular.id, WORLD.peerUnit, false),
            PermissionDeniedError,
          );
        },
      );

      test(
        'a unit of the related application that never joined has no settings (a plain HookToolError)',
        true,
        async () => {
          const { backend } = await asLeader();
          expectPlainToolError(() => backend.relationGet(regular.id, 'store/7', false));
        },
      );

      test(
        'relation-set writes this unit’s bag, readable at once; an empty value deletes',
        true,
        async () => {
          const { backend } = await asMinion();
          backend.relationSet(regular.id, { want: 'more', extra: '1' }, false);
          expect(backend.relationGet(regular.id, WORLD.unit, false)).toMatchObject({
            want: 'more',
            extra: '1',
          });
          backend.relationSet(regular.id, { extra: '' }, false);
          const bag = backend.relationGet(regular.id, WORLD.unit, false);
          expect(bag).toMatchObject({ want: 'more' });
          expect(bag).not.toHaveProperty('extra');
        },
      );

      test(
        'relation-set --app by the leader writes the application bag, readable at once',
        true,
        async () => {
          const { backend } = await asLeader();
          backend.relationSet(peer.id, { token: 't-2', more: 'yes' }, true);
          expect(backend.relationGet(peer.id, WORLD.app, true)).toEqual({ token: 't-2', more: 'yes' });
          backend.relationSet(regular.id, { 'client-id': '' }, true);
          expect(backend.relationGet(regular.id, WORLD.app, true)).toEqual({});
        },
      );

      test(
        'relation-set --app by a non-leader throws NotLeaderError, in peer and regular relations',
        true,
        async () => {
          const { backend } = await asMinion();
          expectToolError(() => backend.relationSet(peer.id, { token: 'x' }, true), NotLeaderError);
          expectToolError(() => backend.relationSet(regular.id, { 'client-id': 'x' }, true), NotLeaderError);
          expect(backend.relationGet(peer.id, WORLD.app, true)).toEqual(peer.appData);
        },
      );
    });

    // Writing another unit's or application's bag cannot be asked of a backend: relation-set
    // writes this unit's (or, with --app, this application's) bag only, and the model refuses
    // the rest (RelationDataAccessError) before any tool runs.

    describe('status', () => {
      test(
        'status-get of the unit; status-set of the unit is visible to a later status-get',
        true,
        async () => {
          expect((await asMinion()).backend.statusGet(false)).toMatchObject(WORLD.unitStatus);
          // Juju caches the unit status on the first status-get: read-after-write is pinned only
          // for a first read.
          const { backend } = await asMinion();
          backend.statusSet('blocked', 'need a database', false);
          expect(backend.statusGet(false)).toMatchObject({ status: 'blocked', message: 'need a database' });
        },
      );

      test('the leader gets and sets the application status', true, async () => {
        const { backend } = await asLeader();
        expect(backend.statusGet(true)).toMatchObject(WORLD.appStatus);
        backend.statusSet('active', 'all good', true);
        expect(backend.statusGet(true)).toMatchObject({ status: 'active', message: 'all good' });
      });

      test('a non-leader may neither get nor set the application status (NotLeaderError)', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.statusGet(true), NotLeaderError);
        expectToolError(() => backend.statusSet('active', 'x', true), NotLeaderError);
      });

      test('application-version-set is accepted from any unit', true, async () => {
        const { backend } = await asMinion();
        expect(() => backend.applicationVersionSet('1.2.3')).not.toThrow();
      });
    });

    describe('actions', () => {
      test('outside an action every action tool throws ActionNotRunningError', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.actionGet(), ActionNotRunningError);
        expectToolError(() => backend.actionSet({ result: 'x' }), ActionNotRunningError);
        expectToolError(() => backend.actionLog('progress'), ActionNotRunningError);
        expectToolError(() => backend.actionFail('no'), ActionNotRunningError);
      });

      test(
        'inside an action: the parameters; results, logs and failure are accepted',
        caps.actions,
        async () => {
          const { backend } = await seeded({ leader: false, inAction: true });
          expect(backend.actionGet()).toEqual(WORLD.actionParams);
          expect(() => backend.actionSet({ 'backup.size': '3', done: 'yes' })).not.toThrow();
          expect(() => backend.actionLog('half way')).not.toThrow();
          expect(() => backend.actionFail('disk full')).not.toThrow();
        },
      );
    });

    describe('ports', () => {
      test(
        'opened-ports lists what earlier hooks opened; this hook’s opens and closes are not visible yet',
        true,
        async () => {
          const { backend } = await asMinion();
          expect(backend.openedPorts()).toEqual(WORLD.openedPorts);
          backend.openPort({ protocol: 'tcp', port: 8080 });
          backend.openPort({ protocol: 'udp', port: 5000, toPort: 5010 });
          backend.closePort({ protocol: 'tcp', port: 80 });
          expect(backend.openedPorts()).toEqual(WORLD.openedPorts);
        },
      );
    });

    describe('network', () => {
      test('network-get answers a declared endpoint, alone or with one of its relations', true, async () => {
        const { backend } = await asMinion();
        for (const info of [
          backend.networkGet(regular.endpoint, null),
          backend.networkGet(regular.endpoint, regular.id),
        ]) {
          expect(info.bindAddresses.length).toBeGreaterThan(0);
          expect(info.bindAddresses[0]?.addresses.length).toBeGreaterThan(0);
          expect(info.ingressAddresses.length).toBeGreaterThan(0);
          expect(info.egressSubnets.length).toBeGreaterThan(0);
        }
      });

      test('network-get with an unknown relation throws RelationNotFoundError', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.networkGet(regular.endpoint, unknownId), RelationNotFoundError);
      });

      test(
        'network-get of a binding the charm does not declare throws a plain HookToolError',
        true,
        async () => {
          const { backend } = await asMinion();
          expectPlainToolError(() => backend.networkGet('no-such-binding', null));
        },
      );
    });

    describe('storage', () => {
      test('storage-list and storage-get describe attached instances', caps.storage, async () => {
        const { backend } = await asMinion();
        expect(backend.storageList(WORLD.storage.name)).toEqual([WORLD.storage.id]);
        expect(backend.storageList('no-such-storage')).toEqual([]);
        expect(backend.storageGet(WORLD.storage.id)).toEqual({
          kind: 'filesystem',
          location: WORLD.storage.location,
        });
      });

      test('storage-get of an instance that is not attached is an argument error', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.storageGet(`${WORLD.storage.name}/9`), HookToolArgumentError);
      });

      test('storage-add is accepted', caps.storage, async () => {
        const { backend } = await asMinion();
        expect(() => backend.storageAdd({ [WORLD.storage.name]: 2 })).not.toThrow();
      });
    });

    describe('resources and credentials', () => {
      test('resource-get answers the path; an unknown resource fails', caps.resources, async () => {
        const { backend } = await asMinion();
        expect(backend.resourceGet('bin')).toBe(WORLD.resources.bin);
        expectPlainToolError(() => backend.resourceGet('no-such-resource'));
      });

      test('credential-get answers a trusted application', caps.credentials, async () => {
        expect((await seeded({ leader: false, trusted: true })).backend.credentialGet()).toEqual(WORLD.cloud);
      });

      test('credential-get refuses an untrusted application with PermissionDeniedError', true, async () => {
        const { backend } = await asMinion();
        expectToolError(() => backend.credentialGet(), PermissionDeniedError);
      });
    });

    describe('reboot', () => {
      test('juju-reboot, later or now, is accepted outside actions', caps.reboot, async () => {
        const { backend } = await asMinion();
        expect(() => backend.reboot(false)).not.toThrow();
        expect(() => backend.reboot(true)).not.toThrow();
      });
    });

    describe('goal state', () => {
      test(
        'goal-state lists the application’s units and, per endpoint, the related applications',
        true,
        async () => {
          const state = (await asMinion()).backend.goalState();
          expect(Object.keys(state.units).sort()).toEqual([WORLD.unit, WORLD.peerUnit]);
          expect(Object.keys(state.relations).sort()).toEqual([regular.endpoint, peer.endpoint].sort());
          expect(state.relations[regular.endpoint]).toHaveProperty(regular.remoteApp);
          expect(state.relations[regular.endpoint]).toHaveProperty('store/0');
        },
      );
    });

    describe('secrets', () => {
      const { app, unit, observed } = WORLD.secrets;

      test(
        'the leader adds an application secret, readable and described in the same hook',
        caps.secrets,
        async () => {
          const { backend } = await asLeader();
          const uri = backend.secretAdd({ password: 'fresh' }, { owner: 'application', label: 'fresh' });
          expect(uri).toMatch(/^secret:(\/\/[0-9a-f-]+\/)?[0-9a-v]{20}$/);
          expect(backend.secretGet({ id: uri })).toEqual({ password: 'fresh' });
          expect(backend.secretGet({ label: 'fresh' })).toEqual({ password: 'fresh' });
          const info = backend.secretInfoGet({ id: uri });
          expect(uri.endsWith(info.id)).toBe(true);
          expect(info).toMatchObject({ owner: 'application', label: 'fresh', revision: 1 });
        },
      );

      test(
        'a non-leader may add a unit secret but not an application secret (NotLeaderError)',
        caps.secrets,
        async () => {
          const { backend } = await asMinion();
          expectToolError(
            () => backend.secretAdd({ password: 'x' }, { owner: 'application' }),
            NotLeaderError,
          );
          const uri = backend.secretAdd({ password: 'x' }, { owner: 'unit' });
          expect(backend.secretGet({ id: uri })).toEqual({ password: 'x' });
        },
      );

      test('secret-get of an unknown id or label throws SecretNotFoundError', caps.secrets, async () => {
        const { backend } = await asLeader();
        expectToolError(
          () => backend.secretGet({ id: secretUri('d0nosuch000000000009') }),
          SecretNotFoundError,
        );
        expectToolError(() => backend.secretGet({ label: 'no-such-label' }), SecretNotFoundError);
      });

      test('owners read their secrets by id or label', caps.secrets, async () => {
        const { backend } = await asLeader();
        expect(backend.secretGet({ id: secretUri(app.xid) })).toEqual(app.revisions[0]);
        expect(backend.secretGet({ label: unit.label })).toEqual(unit.revisions[0]);
      });

      test(
        'an observer stays on its tracked revision until it refreshes; peek reads the latest once',
        caps.secrets,
        async () => {
          const { backend } = await asMinion();
          const id = secretUri(observed.xid);
          expect(backend.secretGet({ id })).toEqual(observed.revisions[0]);
          expect(backend.secretGet({ id, peek: true })).toEqual(observed.revisions[1]);
          expect(backend.secretGet({ id })).toEqual(observed.revisions[0]);
          expect(backend.secretGet({ id, refresh: true })).toEqual(observed.revisions[1]);
          expect(backend.secretGet({ id })).toEqual(observed.revisions[1]);
        },
      );

      test('secret-get with an id and a label labels the secret for later reads', caps.secrets, async () => {
        const { backend } = await asMinion();
        backend.secretGet({ id: secretUri(observed.xid), label: 'renamed' });
        expect(backend.secretGet({ label: 'renamed' })).toEqual(observed.revisions[0]);
      });

      test(
        'secret-info-get gives the owner’s view; a secret this unit does not own is not found',
        caps.secrets,
        async () => {
          const { backend } = await asLeader();
          expect(backend.secretInfoGet({ id: secretUri(app.xid) })).toMatchObject({
            id: app.xid,
            owner: 'application',
            label: app.label,
            revision: 1,
          });
          expect(backend.secretInfoGet({ label: unit.label })).toMatchObject({ id: unit.xid, owner: 'unit' });
          expectToolError(() => backend.secretInfoGet({ id: secretUri(observed.xid) }), SecretNotFoundError);
          expectToolError(() => backend.secretInfoGet({ label: 'no-such-label' }), SecretNotFoundError);
        },
      );

      test(
        'a non-leader sees no metadata of application secrets (SecretNotFoundError), but its own',
        caps.secrets,
        async () => {
          const { backend } = await asMinion();
          expectToolError(() => backend.secretInfoGet({ id: secretUri(app.xid) }), SecretNotFoundError);
          expect(backend.secretInfoGet({ id: secretUri(unit.xid) })).toMatchObject({ owner: 'unit' });
          // Granting needs the metadata, so it fails the same way.
          expectToolError(
            () => backend.secretGrant(secretUri(app.xid), regular.id, null),
            SecretNotFoundError,
          );
        },
      );

      test(
        'the owner’s secret-set: new content for peek, new metadata for secret-info-get',
        caps.secrets,
        async () => {
          const { backend } = await asLeader();
          const id = secretUri(app.xid);
          backend.secretSet(id, { content: { password: 'two' } });
          expect(backend.secretGet({ id, peek: true })).toEqual({ password: 'two' });
          backend.secretSet(id, { label: 'relabelled', description: 'the admin password' });
          expect(backend.secretInfoGet({ id })).toMatchObject({
            label: 'relabelled',
            description: 'the admin password',
          });
        },
      );

      test(
        'grant and revoke of an owned secret are accepted; of an unknown secret SecretNotFoundError',
        caps.secrets,
        async () => {
          const { backend } = await asLeader();
          const id = secretUri(app.xid);
          backend.secretGrant(id, regular.id, null);
          backend.secretGrant(id, regular.id, 'store/0');
          backend.secretRevoke(id, regular.id, 'store/0');
          expectToolError(
            () => backend.secretGrant(secretUri('d0nosuch000000000009'), regular.id, null),
            SecretNotFoundError,
          );
        },
      );

      test('after secret-remove of the whole secret its metadata is gone', caps.secrets, async () => {
        const { backend } = await asMinion();
        const id = secretUri(unit.xid);
        backend.secretRemove(id, null);
        expectToolError(() => backend.secretInfoGet({ id }), SecretNotFoundError);
      });
    });

    describe('unit state and logging', () => {
      test('state-get, state-set (visible at once) and state-delete', caps.unitTools, async () => {
        const { unitTools } = await asMinion();
        if (!unitTools) throw new Error('the factory serves no unit tools');
        expect(unitTools.stateGet()).toEqual(WORLD.unitState);
        unitTools.stateSet({ phase: 'done', extra: '1' });
        expect(unitTools.stateGet()).toEqual({ phase: 'done', extra: '1' });
        unitTools.stateDelete('extra');
        unitTools.stateDelete('never-set');
        expect(unitTools.stateGet()).toEqual({ phase: 'done' });
      });

      test('juju-log accepts every level', caps.unitTools, async () => {
        const { unitTools } = await asMinion();
        if (!unitTools) throw new Error('the factory serves no unit tools');
        for (const level of ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const) {
          expect(() => unitTools.jujuLog(level, `a ${level} line`)).not.toThrow();
        }
      });
    });
  });
}
