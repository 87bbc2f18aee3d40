import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHook } from '../../src/simulator/hook-queue.js';
import { type HookFault, HookSession } from '../../src/simulator/hook-session.js';
import { goJson, SIMULATED_TOOL_NAMES } from '../../src/simulator/index.js';
import { findOnPath, installToolClients, type ToolClientKind } from '../../src/simulator/tool-client.js';
import { runSimulatedTool, type ToolResponse } from '../../src/simulator/tool-commands.js';
import { ToolServer } from '../../src/simulator/tool-server.js';
import { World } from '../../src/simulator/world.js';
import { settle } from '../helpers/settle-world.js';
import { simCharmMeta } from '../helpers/sim-charm.js';

/** A world of `units` units whose deploy and join hooks have all "run" (no charm involved). */
function settledWorld(units: number): World {
  const world = new World(
    simCharmMeta,
    'sim-charm',
    'm',
    '11111111-2222-4333-8444-555555555555',
    () => undefined,
    () => {},
    // These cases pin Juju 3.6's answers (private-address, leader settings); Juju 4's are below.
    '3.6.8',
  );
  world.addRelation('cluster');
  for (let i = 0; i < units; i++) world.addUnit();
  settle(world);
  return world;
}

function sessionFor(world: World, unit: string, fault: HookFault | null = null): HookSession {
  return new HookSession(world, world.unit(unit), makeHook('config-changed'), `${unit}-ctx`, fault);
}

function run(session: HookSession, tool: string, args: string[], stdin = ''): ToolResponse {
  return runSimulatedTool(session, { tool, args, stdin, cwd: tmpdir() });
}

const ok = (stdout: string): ToolResponse => ({ exitCode: 0, stdout, stderr: '' });
const error = (exitCode: number, message: string): ToolResponse => ({
  exitCode,
  stdout: '',
  stderr: `ERROR ${message}\n`,
});

describe('simulated hook tools (juju-contract §1–§2)', () => {
  const world = settledWorld(2);
  const leader = (): HookSession => sessionFor(world, 'sim-charm/0');
  const minion = (): HookSession => sessionFor(world, 'sim-charm/1');

  it('is-leader prints Go JSON or smart booleans', () => {
    expect(run(leader(), 'is-leader', ['--format=json'])).toEqual(ok('true\n'));
    expect(run(minion(), 'is-leader', [])).toEqual(ok('False\n'));
    expect(run(minion(), 'is-leader', ['--format', 'yaml'])).toEqual(ok('false\n'));
  });

  it('parses flags like gnuflag, with Juju’s errors and exit 2', () => {
    const s = leader();
    expect(run(s, 'is-leader', ['--nope'])).toEqual(error(2, 'flag provided but not defined: --nope'));
    expect(run(s, 'is-leader', ['-format=json'])).toEqual(error(2, 'flag provided but not defined: -format'));
    expect(run(s, 'is-leader', ['--format=xml'])).toEqual(
      error(2, 'invalid value "xml" for flag --format: unknown format "xml"'),
    );
    expect(run(s, 'relation-list', ['-r'])).toEqual(error(2, 'flag needs an argument: -r'));
    expect(run(s, 'is-leader', ['a', 'b'])).toEqual(error(2, 'unrecognized args: ["a" "b"]'));
    expect(run(s, 'relation-list', ['--format=json', '--relation=cluster:0'])).toEqual(
      ok('["sim-charm/1"]\n'),
    );
  });

  it('relation-ids and relation-list', () => {
    const s = leader();
    expect(run(s, 'relation-ids', ['--format=json', '--', 'cluster'])).toEqual(ok('["cluster:0"]\n'));
    expect(run(s, 'relation-ids', ['--format=json', 'nope'])).toEqual(ok('[]\n'));
    expect(run(s, 'relation-ids', [])).toEqual(error(2, 'no endpoint name specified'));
    expect(run(s, 'relation-list', [])).toEqual(error(2, 'no relation id specified'));
    expect(run(s, 'relation-list', ['-r', '9'])).toEqual(
      error(2, 'invalid value "9" for flag -r: relation not found'),
    );
    expect(run(s, 'relation-list', ['-r', 'x'])).toEqual(
      error(2, 'invalid value "x" for flag -r: invalid relation id'),
    );
    expect(run(s, 'relation-list', ['--format=json', '-r', '0', '--app'])).toEqual(ok('"sim-charm"\n'));
    expect(run(minion(), 'relation-list', ['-r', 'cluster:0'])).toEqual(ok('sim-charm/0\n'));
  });

  it('relation-get: targets, read rules and errors', () => {
    const s = minion();
    expect(run(s, 'relation-get', ['--format=json', '-r', '0', '--', '-', 'sim-charm/0'])).toEqual(
      ok('{"egress-subnets":"10.1.0.2/32","ingress-address":"10.1.0.2","private-address":"10.1.0.2"}\n'),
    );
    expect(run(s, 'relation-get', ['--format=json', '-r', '0', 'private-address', 'sim-charm/0'])).toEqual(
      ok('"10.1.0.2"\n'),
    );
    expect(run(s, 'relation-get', ['--format=json', '-r', '0', 'missing', 'sim-charm/0'])).toEqual(
      ok('null\n'),
    );
    // A non-leader may read its own app's data in a peer relation.
    expect(run(s, 'relation-get', ['--format=json', '-r', '0', '--app', '-', 'sim-charm'])).toEqual(
      ok('{}\n'),
    );
    expect(run(s, 'relation-get', ['-r', '0', '-', 'sim-charm'])).toEqual(
      error(2, 'expected unit name, got application name "sim-charm"'),
    );
    expect(run(s, 'relation-get', ['-r', '0', '-', 'other/0'])).toEqual(error(1, 'permission denied'));
    expect(run(s, 'relation-get', ['-r', '0', '-', 'sim-charm/7'])).toEqual(
      error(
        1,
        'cannot read settings for unit "sim-charm/7" in relation "sim-charm:cluster": unit "sim-charm/7": settings not found',
      ),
    );
    expect(run(s, 'relation-get', ['-r', '0'])).toEqual(error(2, 'no unit or application specified'));
  });

  it('relation-set buffers writes the hook itself sees; --app needs leadership', () => {
    const s = minion();
    expect(run(s, 'relation-set', ['-r', '0', '--file', '-', 'b=2'], '{"a": "x <y> & z", "b": "1"}')).toEqual(
      ok(''),
    );
    expect(run(s, 'relation-get', ['--format=json', '-r', '0', '-', 'sim-charm/1']).stdout).toBe(
      '{"a":"x \\u003cy\\u003e \\u0026 z","b":"2","egress-subnets":"10.1.0.3/32","ingress-address":"10.1.0.3","private-address":"10.1.0.3"}\n',
    );
    // Not published yet: another hook context sees the committed data.
    expect(run(leader(), 'relation-get', ['--format=json', '-r', '0', 'a', 'sim-charm/1'])).toEqual(
      ok('null\n'),
    );
    expect(run(s, 'relation-set', ['-r', '0', '--app', 'k=v'])).toEqual(
      error(1, 'cannot write relation settings'),
    );
    expect(run(s, 'relation-set', ['-r', '0', 'novalue'])).toEqual(
      error(2, 'expected "key=value", got "novalue"'),
    );
    expect(run(s, 'relation-set', ['-r', '0', '--format=json', 'k=v'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '--format flag deprecated for command "relation-set"\n',
    });
  });

  it('leader-get and leader-set', () => {
    expect(run(minion(), 'leader-set', ['a=1'])).toEqual(
      error(1, 'cannot write leadership settings: cannot write settings: not the leader'),
    );
    expect(run(leader(), 'leader-set', ['--', ' a = spaced  ', 'b=x'])).toEqual(ok(''));
    expect(run(minion(), 'leader-get', ['--format=json'])).toEqual(ok('{"a":"spaced","b":"x"}\n'));
    expect(run(minion(), 'leader-get', ['a'])).toEqual(ok('spaced\n'));
    expect(run(minion(), 'leader-get', ['--format=json', 'zz'])).toEqual(ok('null\n'));
    expect(run(minion(), 'leader-get', ['a=b'])).toEqual(error(2, 'invalid key "a=b"'));
    expect(run(leader(), 'leader-set', ['a=1', 'a=2'])).toEqual(error(2, 'key "a" specified more than once'));
    // The write was immediate and queued leader-settings-changed on the other unit.
    expect(
      world
        .unit('sim-charm/1')
        .queue.list()
        .map((h) => h.name),
    ).toContain('leader-settings-changed');
  });

  it('status-set and status-get', () => {
    const s = minion();
    expect(run(s, 'status-set', [])).toEqual(error(2, 'invalid args, require <status> [message]'));
    expect(run(s, 'status-set', ['error', 'x'])).toEqual(
      error(2, 'invalid status "error", expected one of [maintenance blocked waiting active]'),
    );
    expect(run(s, 'status-set', ['--application', 'active'])).toEqual(
      error(1, 'this unit is not the leader'),
    );
    expect(run(s, 'status-set', ['--', 'active', '-ready-'])).toEqual(ok(''));
    expect(run(s, 'status-get', [])).toEqual(ok('active\n'));
    expect(run(s, 'status-get', ['--format=json'])).toEqual(ok('{"status":"active"}\n'));
    expect(run(s, 'status-get', ['--format=json', '--include-data'])).toEqual(
      ok('{"message":"-ready-","status":"active","status-data":{}}\n'),
    );
    expect(run(s, 'status-get', ['--application'])).toEqual(
      error(1, 'finding application status: this unit is not the leader'),
    );
    expect(run(leader(), 'status-get', ['--format=json', '--application']).stdout).toBe(
      '{"application-status":{"status":"unknown","units":{"sim-charm/0":{"status":"unknown"},"sim-charm/1":{"status":"active"}}}}\n',
    );
  });

  it('config-get, state-*, ports, unit-get, network-get, goal-state', () => {
    const s = leader();
    expect(run(s, 'config-get', ['--format=json'])).toEqual(ok('{"greeting":"hello"}\n'));
    expect(run(s, 'config-get', ['greeting'])).toEqual(ok('hello\n'));
    expect(run(s, 'config-get', ['--format=json', 'nope'])).toEqual(ok('null\n'));
    expect(run(s, 'config-get', ['--all', 'greeting'])).toEqual(
      error(2, 'cannot use argument --all together with key "greeting"'),
    );
    expect(run(s, 'state-get', ['--format=json'])).toEqual(ok('null\n'));
    expect(run(s, 'state-get', [])).toEqual(ok('{}\n'));
    expect(run(s, 'state-set', ['k=v'])).toEqual(ok(''));
    expect(run(s, 'state-get', ['--format=json', 'k'])).toEqual(ok('"v"\n'));
    expect(run(s, 'state-get', ['--strict', 'nope'])).toEqual(error(1, '"nope" not found'));
    expect(run(s, 'open-port', ['8000-8010/udp'])).toEqual(ok(''));
    expect(run(s, 'open-port', [])).toEqual(error(2, 'no port or range specified'));
    // Ports open when the hook succeeds.
    expect(run(s, 'opened-ports', ['--format=json'])).toEqual(ok('[]\n'));
    s.commit();
    const next = leader();
    expect(run(next, 'opened-ports', ['--format=json', '--endpoints'])).toEqual(
      ok('["8000-8010/udp (*)"]\n'),
    );
    expect(run(next, 'unit-get', ['--format=json', 'private-address'])).toEqual(ok('"10.1.0.2"\n'));
    expect(run(next, 'unit-get', ['x'])).toEqual(error(2, 'unknown setting "x"'));
    expect(run(next, 'network-get', ['--format=json', 'cluster', '--ingress-address'])).toEqual(
      ok('"10.1.0.2"\n'),
    );
    expect(run(next, 'network-get', ['nope'])).toEqual(
      error(1, 'no network config found for binding "nope"'),
    );
    expect(run(next, 'goal-state', ['--format=json']).stdout).toContain('"units":{"sim-charm/0":{"since"');
  });

  it('relation-get in a regular relation: remote data, Juju’s relation key, no own app data for minions', () => {
    const db = settledWorld(2);
    db.addRelation('db', {
      app: 'pg',
      endpoint: 'db',
      remoteEndpoint: 'database',
      units: 1,
      appData: { host: 'h' },
    });
    for (const unit of db.aliveUnits()) {
      const hook = unit.queue.head();
      if (hook) {
        unit.queue.shift();
        db.afterSuccess(unit, hook);
      }
    }
    const s = sessionFor(db, 'sim-charm/1');
    expect(run(s, 'relation-get', ['--format=json', '-r', '1', '--app', '-', 'pg'])).toEqual(
      ok('{"host":"h"}\n'),
    );
    expect(run(s, 'relation-get', ['-r', '1', '--app', '-', 'sim-charm'])).toEqual(
      error(1, 'permission denied'),
    );
    expect(run(s, 'relation-get', ['-r', '1', '-', 'pg/4'])).toEqual(
      error(
        1,
        'cannot read settings for unit "pg/4" in relation "sim-charm:db pg:database": unit "pg/4": settings not found',
      ),
    );
    expect(run(s, 'relation-ids', ['db'])).toEqual(ok('db:1\n'));
  });

  it('answers tools it does not emulate, and actions outside an action, with a clear error', () => {
    expect(run(leader(), 'action-get', ['--format=json'])).toEqual(error(1, 'not running an action'));
    expect(run(leader(), 'resource-get', ['image'])).toEqual(
      error(1, 'resource-get is not supported by the charmkit simulator'),
    );
    expect(run(leader(), 'no-such-tool', [])).toEqual(
      error(1, 'no-such-tool is not supported by the charmkit simulator'),
    );
  });

  it('fires an injected fault at the planned call', () => {
    const s = sessionFor(world, 'sim-charm/0', { kind: 'fail', atCall: 2, origin: 'test' });
    expect(run(s, 'is-leader', []).exitCode).toBe(0);
    expect(run(s, 'is-leader', [])).toEqual(error(1, 'injected fault (test): is-leader failed on purpose'));
    expect(s.faultFired).toBe(true);
    expect(s.calls.map((c) => c.exitCode)).toEqual([0, 1]);
  });

  it('goJson escapes like Go', () => {
    expect(goJson({ b: '<&>', a: [1, 2.5, true, null], c: '\u2028é' })).toBe(
      '{"a":[1,2.5,true,null],"b":"\\u003c\\u0026\\u003e","c":"\\u2028é"}',
    );
  });
});

describe('hook-tool clients over the socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'charmkit-tools-'));
  let server: ToolServer;
  const world = settledWorld(2);
  const session = sessionFor(world, 'sim-charm/1');
  const kinds: ToolClientKind[] = findOnPath('perl') ? ['perl', 'node'] : ['node'];

  beforeAll(async () => {
    server = await ToolServer.listen(join(dir, 'agent.sock'));
    server.open(session);
  });
  afterAll(async () => {
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function call(
    kind: ToolClientKind,
    tool: string,
    args: string[],
    options: { stdin?: string; context?: string } = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const tools = join(dir, kind);
    installToolClients(tools, SIMULATED_TOOL_NAMES, kind);
    const env = {
      PATH: `${tools}:${process.env.PATH ?? ''}`,
      JUJU_AGENT_SOCKET_ADDRESS: server.socketPath,
      JUJU_CONTEXT_ID: options.context ?? session.contextId,
    };
    return new Promise((resolve) => {
      const child = execFile(join(tools, tool), args, { env }, (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      });
      child.stdin?.end(options.stdin ?? '');
    });
  }

  it.each(kinds)(
    '%s client: forwards argv and stdin, prints the answer, exits with its code',
    async (kind) => {
      expect(await call(kind, 'is-leader', ['--format=json'])).toEqual({
        code: 0,
        stdout: 'false\n',
        stderr: '',
      });
      expect(
        await call(kind, 'relation-set', ['-r', '0', '--file', '-'], {
          stdin: `{"${kind}": "héllo\\nworld"}`,
        }),
      ).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(await call(kind, 'relation-get', ['--format=json', '-r', '0', kind, 'sim-charm/1'])).toEqual({
        code: 0,
        stdout: '"héllo\\nworld"\n',
        stderr: '',
      });
      expect(await call(kind, 'relation-get', ['-r', '0', '-', 'sim-charm'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'ERROR expected unit name, got application name "sim-charm"\n',
      });
      expect(await call(kind, 'is-leader', [], { context: 'stale' })).toEqual({
        code: 1,
        stdout: '',
        stderr: 'ERROR bad request: no hook is running with context id "stale"\n',
      });
    },
  );
});
