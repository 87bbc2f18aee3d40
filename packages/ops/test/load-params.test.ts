import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  type ActionEvent,
  ActionParamsError,
  CharmBase,
  type Framework,
  parseCharmMeta,
} from '../src/index.js';
import { MemoryStorage } from '../src/internal/index.js';
import { FakeBackend } from './helpers/fake-backend.js';
import { runHook } from './helpers/run-hook.js';

const meta = parseCharmMeta({
  metadata: { name: 'test-charm' },
  actions: {
    backup: {
      params: {
        'target-dir': { type: 'string' },
        level: { type: 'integer', default: 6, minimum: 1, maximum: 9 },
      },
    },
    strict: { params: { mode: { type: 'string' } }, additionalProperties: false },
    open: { params: { mode: { type: 'string' } }, additionalProperties: true },
    plain: { params: { mode: { type: 'string' } } },
  },
});

const Params = z.object({ targetDir: z.string().check(z.minLength(2)), level: z.int() });

class ActionCharm extends CharmBase {
  static override readonly handleKind = 'ActionCharm';
  static seen: unknown[] = [];
  readonly stored = this.storedState('stored', { runs: 0 });
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.action('backup'), this.onBackup);
    framework.observe(this.on.action('strict'), this.onOther);
    framework.observe(this.on.action('open'), this.onOther);
    framework.observe(this.on.action('plain'), this.onOther);
  }
  onBackup(event: ActionEvent): void {
    this.stored.runs += 1;
    const params = event.loadParams(Params);
    ActionCharm.seen.push(params);
    event.setResults({ done: 'yes' });
  }
  onOther(event: ActionEvent): void {
    ActionCharm.seen.push(event.params);
  }
}

async function runAction(name: string, params: Record<string, unknown>, version = '3.6.4') {
  ActionCharm.seen = [];
  const backend = new FakeBackend();
  backend.actionParams = params;
  const storage = new MemoryStorage();
  const result = await runHook(ActionCharm, `actions/${name}`, {
    storage,
    backend,
    meta,
    env: { JUJU_ACTION_NAME: name, JUJU_ACTION_UUID: '7', JUJU_VERSION: version },
  });
  return { ...result, storage };
}

describe('event.loadParams', () => {
  it('maps kebab-case params to camelCase fields and returns the typed object', async () => {
    const { backend } = await runAction('backup', { 'target-dir': '/srv' });
    expect(ActionCharm.seen).toEqual([{ targetDir: '/srv', level: 6 }]);
    expect(backend.actionFailure).toBeNull();
    expect(backend.actionResults).toEqual({ done: 'yes' });
  });

  it('fails the action, not the hook, naming the param and what was expected, never the value', async () => {
    const { backend, logger, storage } = await runAction('backup', { 'target-dir': 'x' });
    expect(ActionCharm.seen).toEqual([]);
    expect(backend.actionFailure).toBe('invalid parameters: target-dir: must have at least 2 characters');
    expect(backend.actionResults).toEqual({});
    // The handler's other work is rolled back: nothing after the failure runs or is kept.
    expect(storage.loadSnapshot('ActionCharm/StoredStateData[stored]')).toBeNull();
    for (const line of logger.lines) expect(line.message).not.toContain('"x"');
  });

  it('throws ActionParamsError instead with onInvalid: "throw"', async () => {
    class Throwing extends ActionCharm {
      override onBackup(event: ActionEvent): void {
        try {
          event.loadParams(Params, { onInvalid: 'throw' });
        } catch (error) {
          ActionCharm.seen.push(error);
        }
      }
    }
    const backend = new FakeBackend();
    backend.actionParams = { 'target-dir': 'x' };
    ActionCharm.seen = [];
    await runHook(Throwing, 'actions/backup', {
      storage: new MemoryStorage(),
      backend,
      meta,
      env: { JUJU_ACTION_NAME: 'backup', JUJU_ACTION_UUID: '7' },
    });
    const error = ActionCharm.seen[0] as ActionParamsError;
    expect(error).toBeInstanceOf(ActionParamsError);
    expect(error.param).toBe('target-dir');
    expect(backend.actionFailure).toBeNull();
  });
});

describe('action params that do not match actions.yaml', () => {
  it('fail the action before the handler runs, and the hook succeeds', async () => {
    const { backend } = await runAction('backup', { 'target-dir': '/srv', level: 'high' });
    expect(ActionCharm.seen).toEqual([]);
    expect(backend.actionFailure).toBe(
      'invalid parameters for action "backup": level: expected number, got string',
    );
  });

  it('never echo the value', async () => {
    const { backend } = await runAction('backup', { 'target-dir': '/srv', level: 12 });
    expect(backend.actionFailure).toBe('invalid parameters for action "backup": level: must be at most 9');
  });
});

describe('additionalProperties and the Juju version', () => {
  it('Juju 3.6 keeps unknown params when the action does not set additionalProperties', async () => {
    const { backend } = await runAction('plain', { mode: 'a', extra: 1 }, '3.6.4');
    expect(backend.actionFailure).toBeNull();
    expect(ActionCharm.seen).toEqual([{ mode: 'a', extra: 1 }]);
  });

  it('Juju 4 refuses unknown params when the action does not set additionalProperties', async () => {
    for (const version of ['4.0.0', '4.0-beta1', '4.1.2']) {
      const { backend } = await runAction('plain', { mode: 'a', extra: 1 }, version);
      expect(ActionCharm.seen).toEqual([]);
      expect(backend.actionFailure).toBe('invalid parameters for action "plain": unknown parameter(s) extra');
    }
  });

  it('an explicit additionalProperties wins on both versions', async () => {
    for (const version of ['3.6.4', '4.0.0']) {
      expect((await runAction('strict', { mode: 'a', extra: 1 }, version)).backend.actionFailure).toBe(
        'invalid parameters for action "strict": unknown parameter(s) extra',
      );
      const open = await runAction('open', { mode: 'a', extra: 1 }, version);
      expect(open.backend.actionFailure).toBeNull();
      expect(ActionCharm.seen).toEqual([{ mode: 'a', extra: 1 }]);
    }
  });
});
