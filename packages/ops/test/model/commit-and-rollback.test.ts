import { beforeEach, describe, expect, it } from 'vitest';
import {
  CharmBase,
  type ConfigChangedEvent,
  type Framework,
  type SecretChangedEvent,
  type UpdateStatusEvent,
} from '../../src/index.js';
import { MemoryStorage } from '../../src/internal/index.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { runHook } from '../helpers/run-hook.js';

/** What the charm does in its handlers, set per test. */
const plan = { failConfig: false, deferConfig: false, failDeferred: false, secretId: '' };
const WRITES =
  /^(open-port|close-port|storage-add|secret-set|secret-grant|secret-remove|juju-reboot|relation-set)/;

class WriterCharm extends CharmBase {
  static override readonly handleKind = 'WriterCharm';

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.updateStatus, this.onUpdateStatus);
    framework.observe(this.on.secretChanged, this.onSecretChanged);
  }

  onConfigChanged(event: ConfigChangedEvent): void {
    if (plan.deferConfig) {
      event.defer();
      if (!plan.failDeferred) return;
      // Re-emitted: write everything, then fail, so the writes must be undone.
      this.unit.openPort('tcp', 8443);
      this.model.requestStorage('data', 4);
      this.model.getSecret({ id: plan.secretId }).setContent({ password: 'from-deferred' });
      this.unit.reboot();
      throw new Error('deferred handler failed');
    }
    this.unit.openPort('tcp', 80);
    this.unit.openPort('tcp', 81);
    this.model.requestStorage('data');
    const secret = this.model.getSecret({ id: plan.secretId });
    secret.setContent({ password: 'one' });
    secret.setContent({ password: 'two' });
    secret.setInfo({ description: 'db login' });
    if (plan.failConfig) throw new Error('hook failed');
  }

  onUpdateStatus(_event: UpdateStatusEvent): void {
    this.unit.openPort('udp', 53);
  }

  onSecretChanged(event: SecretChangedEvent): void {
    const content = event.secret.getContent({ refresh: true });
    this.unit.setWorkloadVersion(content.password ?? '');
    event.defer();
  }
}

let backend: FakeBackend;
let storage: MemoryStorage;

beforeEach(() => {
  backend = new FakeBackend();
  backend.leader = true;
  storage = new MemoryStorage();
  plan.failConfig = false;
  plan.deferConfig = false;
  plan.failDeferred = false;
  plan.secretId = backend.seedSecret({ password: 'zero' });
});

describe('buffered writes at commit', () => {
  it('are sent once each, after every handler ran', async () => {
    await runHook(WriterCharm, 'hooks/config-changed', { storage, backend });
    expect(backend.calls.filter((c) => WRITES.test(c))).toEqual([
      'open-port 80/tcp',
      'open-port 81/tcp',
      'storage-add data=1',
      `secret-set ${plan.secretId} --description db login {"password":"two"}`,
    ]);
    const lastRead = backend.calls.findLastIndex((c) => !WRITES.test(c) && !c.startsWith('status'));
    const firstWrite = backend.calls.findIndex((c) => WRITES.test(c));
    expect(firstWrite).toBeGreaterThan(lastRead);
  });

  it('are not sent at all when the hook fails', async () => {
    plan.failConfig = true;
    await expect(runHook(WriterCharm, 'hooks/config-changed', { storage, backend })).rejects.toThrow(
      'hook failed',
    );
    expect(backend.calls.filter((c) => WRITES.test(c))).toEqual([]);
    expect(backend.secrets.get(plan.secretId.slice(-20))?.revisions).toEqual([{ password: 'zero' }]);
  });

  it('a failed deferred handler loses its writes; the hook keeps its own', async () => {
    plan.deferConfig = true;
    await runHook(WriterCharm, 'hooks/config-changed', { storage, backend });
    expect(backend.calls.filter((c) => WRITES.test(c))).toEqual([]);
    plan.failDeferred = true;
    backend.calls.length = 0;
    await runHook(WriterCharm, 'hooks/update-status', { storage, backend, deferredFailureLimit: 10 });
    expect(backend.calls.filter((c) => WRITES.test(c))).toEqual(['open-port 53/udp']);
  });
});

describe('secret events', () => {
  it('hand out a secret bound to the model, also after a defer', async () => {
    const env = { JUJU_SECRET_ID: plan.secretId, JUJU_SECRET_LABEL: 'db' };
    await runHook(WriterCharm, 'hooks/secret-changed', { storage, backend, env });
    expect(backend.calls).toContain(`secret-get ${plan.secretId} --refresh`);
    expect(backend.calls).toContain('application-version-set zero');
    backend.secrets.get(plan.secretId.slice(-20))?.revisions.push({ password: 'next' });
    backend.calls.length = 0;
    await runHook(WriterCharm, 'hooks/update-status', { storage, backend });
    expect(backend.calls).toContain(`secret-get ${plan.secretId} --refresh`);
    expect(backend.calls).toContain('application-version-set next');
  });
});
