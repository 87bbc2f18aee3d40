import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HookToolNotFoundError,
  HookTools,
  REMOVED_IN_JUJU_4,
  RemovedInJuju4Error,
  ToolRunner,
} from '../../src/hook-tools/index.js';
import { FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

const on = (version: string) => new HookTools({ env: fake.env({ JUJU_VERSION: version }) });

describe('tools removed in Juju 4', () => {
  it.each(['4.0.0', '4.1.2', '4.0-beta1', '5.0.0'])(
    'on Juju %s, leader-get and leader-set fail with RemovedInJuju4Error before spawning',
    (version) => {
      const tools = on(version);
      for (const call of [() => tools.leaderGet(), () => tools.leaderSet({ password: 'hunter2-secret' })]) {
        const error = (() => {
          try {
            call();
          } catch (caught) {
            return caught;
          }
          return null;
        })();
        expect(error).toBeInstanceOf(RemovedInJuju4Error);
        const removed = error as RemovedInJuju4Error;
        expect(removed.code).toBe('CHARMKIT_REMOVED_IN_JUJU_4');
        expect(removed.exitCode).toBeNull();
        expect(removed.message).toMatch(/was removed in Juju 4 .*peer relation application databag/);
        // The secret value of a leader-set never reaches the error.
        expect(`${removed.message} ${removed.args.join(' ')}`).not.toContain('hunter2-secret');
      }
      expect(tools.spawnCount).toBe(0);
      expect(fake.calls()).toEqual([]);
    },
  );

  it.each(['3.6.8', '3.6.12', ''])('on Juju %s (or unknown), leader-get still runs', (version) => {
    fake.respondJson('leader-get', '{"a":"1"}');
    expect(on(version).leaderGet()).toEqual({ a: '1' });
    expect(fake.commandLines()).toEqual([['leader-get', '--format=json']]);
  });

  it('refuses every removed tool at the runner, with what to use instead', () => {
    const runner = new ToolRunner({ env: fake.env({ JUJU_VERSION: '4.0.0' }) });
    expect(Object.keys(REMOVED_IN_JUJU_4).sort()).toEqual(
      [
        'add-metric',
        'k8s-raw-get',
        'k8s-raw-set',
        'k8s-spec-get',
        'k8s-spec-set',
        'leader-get',
        'leader-set',
        'pod-spec-get',
        'pod-spec-set',
      ].sort(),
    );
    expect(() => runner.run('add-metric', ['cpu=1'])).toThrow(
      /add-metric was removed in Juju 4.*metrics endpoint/,
    );
    expect(() => runner.run('pod-spec-set', [])).toThrow(/pod-spec-set was removed in Juju 4.*Pebble/);
    expect(runner.spawnCount).toBe(0);
    // A tool Juju 4 kept is untouched.
    fake.respondJson('is-leader', 'true');
    expect(new HookTools({ env: fake.env({ JUJU_VERSION: '4.0.0' }) }).isLeader()).toBe(true);
  });

  it('without JUJU_VERSION, a missing removed tool says Juju 4 may be why', () => {
    const runner = new ToolRunner({ env: { ...fake.env(), PATH: fake.root } });
    let caught: unknown;
    try {
      runner.run('leader-get', ['--format=json']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HookToolNotFoundError);
    expect((caught as Error).message).toMatch(/or this is Juju 4, which removed leader-get/);
  });
});
