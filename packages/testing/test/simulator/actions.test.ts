import { type ActionEvent, CharmBase, type Framework, parseCharmMeta } from '@charmkit/ops';
import { describe, expect, it } from 'vitest';
import { ActionRejectedError, Simulator } from '../../src/simulator/index.js';

const meta = parseCharmMeta({
  metadata: { name: 'runner', peers: { cluster: { interface: 'runner-peers' } } },
  actions: {
    backup: {
      description: 'Back up to a target.',
      params: { target: { type: 'string' }, level: { type: 'integer', default: 1 } },
      required: ['target'],
    },
    strict: {
      description: 'Takes only what it declares, on any Juju.',
      params: { name: { type: 'string' } },
      additionalProperties: false,
    },
    refuse: { description: 'Always fails with action-fail.' },
    crash: { description: 'Throws: the dispatch exits non-zero.' },
  },
});

class RunnerCharm extends CharmBase {
  static override readonly handleKind = 'RunnerCharm';

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.action('backup'), this.onBackup);
    framework.observe(this.on.action('strict'), this.onStrict);
    framework.observe(this.on.action('refuse'), this.onRefuse);
    framework.observe(this.on.action('crash'), this.onCrash);
  }

  onStrict(event: ActionEvent): void {
    event.setResults({ ok: 'yes' });
  }

  onRefuse(event: ActionEvent): void {
    event.log('looking');
    event.fail('no disk');
  }

  onCrash(): void {
    // A write the failed action must not commit.
    this.model.getRelation('cluster')?.unitData.set('crashed', 'yes');
    throw new Error('boom');
  }

  onBackup(event: ActionEvent): void {
    event.log(`backing up to ${String(event.params.target)}`);
    event.setResults({
      where: String(event.params.target),
      size: { bytes: '42' },
      level: String(event.params.level),
    });
    this.model.getRelation('cluster')?.unitData.set('last-backup', String(event.params.target));
  }
}

function create(juju: string): Promise<Simulator> {
  return Simulator.create({ mode: 'in-process', charm: RunnerCharm, meta, units: 2, juju });
}

describe('actions in the simulator', () => {
  it('a completed action: params with defaults, results, logs; its writes commit', async () => {
    const sim = await create('4');
    await sim.settle();
    const result = await sim.runAction('runner/1', 'backup', { target: '/srv' });
    expect(result).toEqual({
      status: 'completed',
      results: { where: '/srv', size: { bytes: '42' }, level: '1' },
      logs: ['backing up to /srv'],
      message: '',
      returnCode: 0,
      id: '1',
    });
    const run = sim.trace.hooks.at(-1);
    expect(run).toMatchObject({ unit: 'runner/1', hook: 'backup-action', outcome: 'ok' });
    expect(run?.toolCalls.map((c) => c.tool)).toEqual(
      expect.arrayContaining(['action-get', 'action-set', 'action-log']),
    );
    const cluster = sim.snapshot().relations.find((r) => r.endpoint === 'cluster');
    expect(cluster?.unitData['runner/1']?.['last-backup']).toBe('/srv');
    // The action is not a queued hook; only its peer write wakes the other unit.
    await sim.settle({ updateStatusRounds: 0 });
    expect(
      sim.trace.hooks.slice(sim.trace.hooks.indexOf(run as never) + 1).map((h) => `${h.unit} ${h.hook}`),
    ).toEqual(['runner/0 cluster-relation-changed']);
    await sim.close();
  });

  it('action-fail and a crashing action are failed; neither puts the unit in error; a crash commits nothing', async () => {
    const sim = await create('4');
    await sim.settle();
    expect(await sim.runAction('runner/0', 'refuse')).toMatchObject({
      status: 'failed',
      message: 'no disk',
      logs: ['looking'],
      returnCode: 0,
    });
    const crash = await sim.runAction('runner/0', 'crash');
    expect(crash).toMatchObject({ status: 'failed', returnCode: 1 });
    expect(crash.message).toContain('boom');
    const snapshot = sim.snapshot();
    expect(snapshot.units['runner/0']?.status.status).not.toBe('error');
    expect(
      snapshot.relations.find((r) => r.endpoint === 'cluster')?.unitData['runner/0']?.crashed,
    ).toBeUndefined();
    await sim.close();
  });

  it('Juju refuses bad parameters before running anything: unknown ones on 4 only, unless the action allows them', async () => {
    const on4 = await create('4');
    await on4.settle();
    const before = on4.hooksRun;
    await expect(on4.runAction('runner/0', 'backup', { target: '/srv', extra: 1 })).rejects.toThrow(
      ActionRejectedError,
    );
    await expect(on4.runAction('runner/0', 'backup', {})).rejects.toThrow(/target/);
    await expect(on4.runAction('runner/0', 'backup', { target: 3 })).rejects.toThrow(ActionRejectedError);
    await expect(on4.runAction('runner/0', 'nosuch')).rejects.toThrow(
      /action "nosuch" not defined on unit "runner\/0"/,
    );
    expect(on4.hooksRun).toBe(before);
    await on4.close();

    const on36 = await create('3.6');
    await on36.settle();
    expect(await on36.runAction('runner/0', 'backup', { target: '/srv', extra: 1 })).toMatchObject({
      status: 'completed',
    });
    // An action that says additionalProperties: false refuses unknown params on 3.6 too.
    await expect(on36.runAction('runner/0', 'strict', { other: 'x' })).rejects.toThrow(ActionRejectedError);
    expect((await on36.runAction('runner/0', 'strict', { name: 'x' })).results).toEqual({ ok: 'yes' });
    await on36.close();
  });

  it('outside an action the action tools fail with ActionNotRunningError, as on a unit', async () => {
    const sim = await create('4');
    await sim.settle();
    const { SimulatedBackend } = await import('../../src/simulator/sim-backend.js');
    expect(SimulatedBackend).toBeDefined();
    await sim.close();
  });
});
