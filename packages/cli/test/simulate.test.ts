import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type SimulationSummary, simulateCommand, UsageError } from '../src/index.js';
import { captureIo, repoDir } from './helpers.js';

const rollingRestart = join(repoDir, 'examples', 'rolling-restart');

describe('charmkit simulate', () => {
  it('rolls a restart over 2 units (real demo workloads) and reports it as JSON', async () => {
    const io = captureIo(repoDir);
    const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    // Ports away from the demo's 18000+, so a demo running meanwhile does not collide.
    await simulateCommand(
      rollingRestart,
      { units: '2', scenario: 'rolling-restart', json: true, config: ['port=23400'], seed: '5' },
      io,
    );
    const summary = JSON.parse(io.out.join('')) as SimulationSummary;
    expect(summary).toMatchObject({
      units: 2,
      settled: true,
      violations: [],
      restarts: 2,
      maxConcurrentHolders: 1,
      holderLimit: 1,
    });
    expect(summary.hooks.total).toBe(Object.values(summary.hooks.byName).reduce((a, b) => a + b, 0));
    expect(summary.hooks.byName['config-changed']).toBe(4);
    expect(Object.values(summary.statuses)).toEqual([
      { status: 'active', message: 'serving "bonjour"' },
      { status: 'active', message: 'serving "bonjour"' },
    ]);
    expect(io.err.join('')).toBe(''); // --json without a terminal: no progress
    // The Ctrl-C handlers live only as long as the command: an in-process caller keeps its own.
    expect(listeners()).toEqual(before);
  }, 60_000);

  it.each([
    ['3.6', 23460, true],
    ['4', 23470, false],
  ])(
    '--juju %s: the deploy settles, with leader-settings-changed only on 3.6',
    async (juju, port, settings) => {
      const io = captureIo(repoDir);
      await simulateCommand(
        rollingRestart,
        { units: '2', scenario: 'deploy', json: true, juju, config: [`port=${port}`], seed: '2' },
        io,
      );
      const summary = JSON.parse(io.out.join('')) as SimulationSummary;
      expect(summary).toMatchObject({ units: 2, settled: true, violations: [] });
      expect((summary.hooks.byName['leader-settings-changed'] ?? 0) > 0).toBe(settings);
    },
    60_000,
  );

  it('refuses a Juju it does not model', async () => {
    await expect(simulateCommand(rollingRestart, { juju: '2.9' }, captureIo(repoDir))).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('refuses scenarios the charm or the unit count cannot run, before building anything', async () => {
    await expect(
      simulateCommand(rollingRestart, { units: '1', scenario: 'leader-failover' }, captureIo(repoDir)),
    ).rejects.toBeInstanceOf(ScenarioError);
    await expect(
      simulateCommand(rollingRestart, { scenario: 'explode' }, captureIo(repoDir)),
    ).rejects.toThrow(/expected one of deploy, config-change/);
    await expect(simulateCommand(rollingRestart, { config: ['prot=1'] }, captureIo(repoDir))).rejects.toThrow(
      /no option "prot"/,
    );
    await expect(
      simulateCommand(rollingRestart, { units: 'many' }, captureIo(repoDir)),
    ).rejects.toBeInstanceOf(UsageError);
  });
});
