import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HookTools } from '../../src/hook-tools/index.js';
import { FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

const XID = 'cqmhd5ppk1qs0nlfs0k0';

// Every method once, with the output its tool prints and the command line it must build: checks
// that the class wires each method to the right wrapper and passes its arguments through.
const CASES: [name: string, call: (tools: HookTools) => unknown, stdout: string, argv: string[]][] = [
  ['isLeader', (t) => t.isLeader(), 'true', ['is-leader', '--format=json']],
  ['leaderGet', (t) => t.leaderGet(), '{}', ['leader-get', '--format=json']],
  ['leaderGetKey', (t) => t.leaderGetKey('k'), '"v"', ['leader-get', '--format=json', '--', 'k']],
  ['leaderSet', (t) => t.leaderSet({ k: 'v' }), '', ['leader-set', '--', 'k=v']],
  ['relationIds', (t) => t.relationIds('db'), '[]', ['relation-ids', '--format=json', '--', 'db']],
  [
    'relationList',
    (t) => t.relationList({ relationId: 1 }),
    '[]',
    ['relation-list', '--format=json', '-r', '1'],
  ],
  [
    'relationRemoteApp',
    (t) => t.relationRemoteApp({ relationId: 1 }),
    '"pg"',
    ['relation-list', '--format=json', '-r', '1', '--app'],
  ],
  [
    'relationGet',
    (t) => t.relationGet({ relationId: 1 }),
    '{}',
    ['relation-get', '--format=json', '-r', '1', '--', '-'],
  ],
  [
    'relationGetKey',
    (t) => t.relationGetKey('k', { relationId: 1 }),
    'null',
    ['relation-get', '--format=json', '-r', '1', '--', 'k'],
  ],
  [
    'relationSet',
    (t) => t.relationSet({ k: 'v' }, { relationId: 1 }),
    '',
    ['relation-set', '-r', '1', '--file', '-'],
  ],
  [
    'relationModelGet',
    (t) => t.relationModelGet({ relationId: 1 }),
    '{"uuid":"u"}',
    ['relation-model-get', '--format=json', '-r', '1'],
  ],
  ['configGet', (t) => t.configGet(), '{}', ['config-get', '--format=json']],
  ['configGetAll', (t) => t.configGetAll(), '{}', ['config-get', '--format=json', '--all']],
  ['configGetKey', (t) => t.configGetKey('k'), 'null', ['config-get', '--format=json', '--', 'k']],
  [
    'statusGet',
    (t) => t.statusGet(),
    '{"status":"active"}',
    ['status-get', '--format=json', '--include-data'],
  ],
  [
    'applicationStatusGet',
    (t) => t.applicationStatusGet(),
    '{"application-status":{"status":"active"}}',
    ['status-get', '--format=json', '--include-data', '--application'],
  ],
  ['statusSet', (t) => t.statusSet('active', 'ok'), '', ['status-set', '--', 'active', 'ok']],
  [
    'applicationVersionSet',
    (t) => t.applicationVersionSet('1.0'),
    '',
    ['application-version-set', '--', '1.0'],
  ],
  ['actionGet', (t) => t.actionGet(), '{}', ['action-get', '--format=json']],
  ['actionGetKey', (t) => t.actionGetKey('k'), '1', ['action-get', '--format=json', '--', 'k']],
  ['actionSet', (t) => t.actionSet({ k: 'v' }), '', ['action-set', '--', 'k=v']],
  ['actionLog', (t) => t.actionLog('m'), '', ['action-log', '--', 'm']],
  ['actionFail', (t) => t.actionFail('m'), '', ['action-fail', '--', 'm']],
  ['stateGet', (t) => t.stateGet(), 'null', ['state-get', '--format=json']],
  ['stateGetKey', (t) => t.stateGetKey('k'), '"v"', ['state-get', '--format=json', '--strict', '--', 'k']],
  ['stateSet', (t) => t.stateSet({ k: 'v' }), '', ['state-set', '--file', '-']],
  ['stateDelete', (t) => t.stateDelete('k'), '', ['state-delete', '--', 'k']],
  ['openPort', (t) => t.openPort(80), '', ['open-port', '--', '80/tcp']],
  ['closePort', (t) => t.closePort(80), '', ['close-port', '--', '80/tcp']],
  ['openedPorts', (t) => t.openedPorts(), '[]', ['opened-ports', '--format=json']],
  ['secretGet', (t) => t.secretGet({ label: 'l' }), '{}', ['secret-get', '--format=json', '--label=l']],
  [
    'secretInfoGet',
    (t) => t.secretInfoGet({ label: 'l' }),
    `{"${XID}":{"revision":1}}`,
    ['secret-info-get', '--format=json', '--label=l'],
  ],
  ['secretGrant', (t) => t.secretGrant(XID, 1), '', ['secret-grant', '-r', '1', '--', XID]],
  ['secretRevoke', (t) => t.secretRevoke(XID, 1), '', ['secret-revoke', '-r', '1', '--', XID]],
  ['secretRemove', (t) => t.secretRemove(XID), '', ['secret-remove', '--', XID]],
  ['secretIds', (t) => t.secretIds(), 'null', ['secret-ids', '--format=json']],
  ['networkGet', (t) => t.networkGet('db'), '{}', ['network-get', '--format=json', '--', 'db']],
  ['storageList', (t) => t.storageList(), '[]', ['storage-list', '--format=json']],
  [
    'storageGet',
    (t) => t.storageGet(),
    '{"kind":"block","location":"/dev/sdb"}',
    ['storage-get', '--format=json'],
  ],
  ['storageAdd', (t) => t.storageAdd({ data: 1 }), '', ['storage-add', '--', 'data=1']],
  ['resourceGet', (t) => t.resourceGet('r'), '/tmp/r', ['resource-get', '--', 'r']],
  ['goalState', (t) => t.goalState(), '{"units":{},"relations":{}}', ['goal-state', '--format=json']],
  [
    'credentialGet',
    (t) => t.credentialGet(),
    '{"type":"lxd","name":"localhost"}',
    ['credential-get', '--format=json'],
  ],
  ['jujuReboot', (t) => t.jujuReboot(), '', ['juju-reboot']],
  ['jujuLog', (t) => t.jujuLog('INFO', 'm'), '', ['juju-log', '--log-level', 'INFO', '--', 'm']],
  [
    'unitGet',
    (t) => t.unitGet('public-address'),
    '"1.2.3.4"',
    ['unit-get', '--format=json', '--', 'public-address'],
  ],
];

describe('HookTools', () => {
  it.each(CASES)('%s builds its command line', (_name, call, stdout, argv) => {
    const [tool] = argv as [string];
    fake.respond(tool, { stdout: stdout === '' ? '' : `${stdout}\n` });
    const tools = fake.tools();
    call(tools);
    expect(fake.commandLines()).toEqual([argv]);
    expect(tools.spawnCount).toBe(1);
  });

  it('covers every public method', () => {
    const methods = Object.getOwnPropertyNames(HookTools.prototype).filter(
      (name) => name !== 'constructor' && name !== 'spawnCount' && name !== 'onSpawn',
    );
    const tested = new Set([...CASES.map(([name]) => name), 'secretAdd', 'secretSet']);
    expect(methods.filter((name) => !tested.has(name))).toEqual([]);
  });

  it('secretAdd and secretSet go through the content file', () => {
    fake.respond('secret-add', { stdout: `secret:${XID}\n` });
    const tools = fake.tools();
    expect(tools.secretAdd({ token: 'x' })).toBe(`secret:${XID}`);
    tools.secretSet(XID, { content: { token: 'y' } });
    expect(fake.calls().map((call) => [call.tool, JSON.parse(call.file ?? 'null')])).toEqual([
      ['secret-add', { token: 'x' }],
      ['secret-set', { token: 'y' }],
    ]);
  });

  it('counts spawns across methods and reports them to onSpawn', () => {
    const seen: string[] = [];
    const tools = new HookTools({ env: fake.env(), onSpawn: (tool) => seen.push(tool) });
    fake.respondJson('is-leader', 'true');
    tools.isLeader();
    tools.statusSet('active');
    tools.onSpawn = undefined;
    tools.jujuLog('DEBUG', 'x');
    expect(tools.spawnCount).toBe(3);
    expect(tools.runner.spawnCount).toBe(3);
    expect(seen).toEqual(['is-leader', 'status-set']);
  });
});
