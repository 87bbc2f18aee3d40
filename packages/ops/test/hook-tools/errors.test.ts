import { describe, expect, it } from 'vitest';
import { CharmkitError } from '../../src/charmkit-error.js';
import { hookToolFailure } from '../../src/hook-tools/errors.js';
import {
  ActionNotRunningError,
  classifyHookToolFailure,
  HookToolArgumentError,
  HookToolError,
  type HookToolErrorClass,
  HookToolNotFoundError,
  HookToolOutputError,
  NotLeaderError,
  PermissionDeniedError,
  RelationNotFoundError,
  SecretNotFoundError,
} from '../../src/hook-tools/index.js';

// Juju's own error texts (juju-contract §1–§2), with the tool and exit code they come with.
const CASES: [tool: string, exitCode: number, stderr: string, expected: HookToolErrorClass][] = [
  ['relation-get', 2, 'ERROR invalid value "db:9" for flag -r: relation not found', RelationNotFoundError],
  [
    'relation-set',
    2,
    'ERROR invalid value "9" for flag --relation: relation not found',
    RelationNotFoundError,
  ],
  ['network-get', 2, 'ERROR invalid value "7" for flag -r: relation not found', RelationNotFoundError],
  ['relation-get', 2, 'ERROR invalid value "x" for flag -r: invalid relation id', HookToolArgumentError],
  ['relation-get', 2, 'ERROR no relation id specified', HookToolArgumentError],
  ['relation-get', 2, 'ERROR expected unit name, got application name "foo"', HookToolArgumentError],
  ['relation-get', 1, 'ERROR permission denied', PermissionDeniedError],
  [
    'relation-get',
    1,
    'ERROR cannot read settings for unit "app/9" in relation "app:ep": unit "app/9": settings not found',
    HookToolError,
  ],
  ['relation-set', 1, 'ERROR cannot write relation settings', NotLeaderError],
  [
    'leader-set',
    1,
    'ERROR cannot write leadership settings: cannot write settings: not the leader',
    NotLeaderError,
  ],
  ['status-set', 1, 'ERROR this unit is not the leader', NotLeaderError],
  ['status-get', 1, 'ERROR finding application status: this unit is not the leader', NotLeaderError],
  ['secret-add', 1, 'ERROR this unit is not the leader', NotLeaderError],
  ['is-leader', 1, 'ERROR leadership status unknown: lease manager stopped', HookToolError],
  [
    'status-set',
    2,
    'ERROR invalid status "error", expected one of [maintenance blocked waiting active]',
    HookToolArgumentError,
  ],
  ['action-get', 1, 'ERROR not running an action', ActionNotRunningError],
  ['action-set', 1, 'ERROR not running an action', ActionNotRunningError],
  ['action-set', 2, 'ERROR cannot set reserved action key "stdout"', HookToolArgumentError],
  ['secret-get', 1, 'ERROR secret "cqmhd5ppk1qs0nlfs0k0" not found', SecretNotFoundError],
  ['secret-get', 1, 'ERROR secret key "password" not found', SecretNotFoundError],
  ['secret-info-get', 1, 'ERROR secret "db-creds" not found', SecretNotFoundError],
  ['secret-get', 1, 'ERROR permission denied', PermissionDeniedError],
  ['secret-get', 2, 'ERROR secret URI "key" not valid', HookToolArgumentError],
  ['state-get', 1, 'ERROR "missing" not found', HookToolError],
  ['config-get', 2, 'ERROR cannot use argument --all together with key "k"', HookToolArgumentError],
  ['leader-set', 2, 'ERROR expected "key=value", got "foo"', HookToolArgumentError],
  ['credential-get', 1, 'ERROR cannot access cloud credentials: not trusted', HookToolError],
  ['open-port', 2, 'ERROR flag provided but not defined: --foo', HookToolArgumentError],
];

describe('classifyHookToolFailure', () => {
  it.each(CASES)('%s exit %i "%s"', (tool, exitCode, stderr, expected) => {
    expect(classifyHookToolFailure(tool, exitCode, `${stderr}\n`)).toBe(expected);
  });

  it('matches "not found" as a missing secret only for secret tools', () => {
    expect(classifyHookToolFailure('resource-get', 1, 'ERROR resource "x" not found')).toBe(HookToolError);
  });

  it('treats "cannot write relation settings" as a leadership failure only from relation-set', () => {
    expect(classifyHookToolFailure('relation-get', 1, 'ERROR cannot write relation settings')).toBe(
      HookToolError,
    );
  });
});

describe('hookToolFailure', () => {
  it('builds the classified error with the tool, args, exit code, stderr and Juju message', () => {
    const error = hookToolFailure(
      'relation-get',
      ['--format=json', '-r', '9'],
      2,
      'ERROR invalid value "9" for flag -r: relation not found\n',
    );
    expect(error).toBeInstanceOf(RelationNotFoundError);
    expect(error).toBeInstanceOf(HookToolError);
    expect(error).toBeInstanceOf(CharmkitError);
    expect(error.code).toBe('CHARMKIT_RELATION_NOT_FOUND');
    expect(error.name).toBe('RelationNotFoundError');
    expect(error.tool).toBe('relation-get');
    expect(error.args).toEqual(['--format=json', '-r', '9']);
    expect(error.exitCode).toBe(2);
    expect(error.stderr).toBe('ERROR invalid value "9" for flag -r: relation not found\n');
    expect(error.message).toBe(
      'relation-get failed with exit code 2: invalid value "9" for flag -r: relation not found',
    );
  });

  it('quotes the ERROR line even after warnings, else the last stderr line', () => {
    const warned = hookToolFailure(
      'relation-set',
      [],
      1,
      '--format flag deprecated\nERROR cannot write relation settings\n',
    );
    expect(warned.message).toBe('relation-set failed with exit code 1: cannot write relation settings');
    const plain = hookToolFailure('x', [], 3, 'first\nsomething broke\n\n');
    expect(plain.message).toBe('x failed with exit code 3: something broke');
    expect(hookToolFailure('x', [], 1, '').message).toBe('x failed with exit code 1');
  });

  it('describes a tool killed by a signal', () => {
    const error = hookToolFailure('is-leader', [], null, '', 'SIGKILL');
    expect(error.constructor).toBe(HookToolError);
    expect(error.exitCode).toBeNull();
    expect(error.message).toBe('is-leader was killed by SIGKILL');
  });
});

describe('error codes', () => {
  it('gives each class its stable code', () => {
    const details = { tool: 't', args: [], exitCode: 1, stderr: '' };
    expect(
      [
        HookToolError,
        RelationNotFoundError,
        NotLeaderError,
        PermissionDeniedError,
        SecretNotFoundError,
        ActionNotRunningError,
        HookToolArgumentError,
        HookToolNotFoundError,
        HookToolOutputError,
      ].map((ErrorClass) => new ErrorClass('m', details).code),
    ).toEqual([
      'CHARMKIT_HOOK_TOOL',
      'CHARMKIT_RELATION_NOT_FOUND',
      'CHARMKIT_NOT_LEADER',
      'CHARMKIT_PERMISSION_DENIED',
      'CHARMKIT_SECRET_NOT_FOUND',
      'CHARMKIT_ACTION_NOT_RUNNING',
      'CHARMKIT_HOOK_TOOL_ARGS',
      'CHARMKIT_HOOK_TOOL_MISSING',
      'CHARMKIT_HOOK_TOOL_OUTPUT',
    ]);
  });
});
