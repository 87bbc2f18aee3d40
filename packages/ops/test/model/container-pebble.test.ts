import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HookTools } from '../../src/hook-tools/hook-tools.js';
import {
  CharmBase,
  type Framework,
  type PebbleCheckFailedEvent,
  type PebbleCustomNoticeEvent,
} from '../../src/index.js';
import { HookToolsBackend, MemoryStorage } from '../../src/internal/index.js';
import { Container } from '../../src/model/container.js';
import { type CheckInfo, type Notice, PEBBLE_SOCKET_DIR_ENV, PebbleClient } from '../../src/pebble/index.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { runHook } from '../helpers/run-hook.js';
import { FakePebbleServer } from '../pebble/fake-pebble-server.js';

let fake: FakePebbleServer;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
});

afterEach(async () => {
  await fake.close();
});

describe('Container over the fake Pebble server', () => {
  it('runs the ops workflow: layer, replan, service, check, files, exec', { timeout: 20_000 }, async () => {
    const container = new Container(
      'redis',
      new PebbleClient({ socketPath: fake.socketPath, timeout: 5000 }),
    );
    expect(await container.canConnect()).toBe(true);
    await container.addLayer(
      'redis',
      {
        services: { redis: { override: 'replace', command: 'redis-server', startup: 'enabled' } },
        checks: { alive: { override: 'replace', level: 'alive', tcp: { port: 6379 } } },
      },
      { combine: true },
    );
    await container.replan();
    expect((await container.getService('redis')).current).toBe('active');
    await container.stop('redis');
    expect((await container.getService('redis')).current).toBe('inactive');
    expect((await container.getCheck('alive')).status).toBe('up');
    await container.push('/etc/redis/redis.conf', 'port 6379\n', { makeDirs: true });
    expect(await container.pull('/etc/redis/redis.conf')).toBe('port 6379\n');
    expect(await container.isDir('/etc/redis')).toBe(true);
    const { stdout } = await (await container.exec(['echo', 'hi'])).waitOutput();
    expect(stdout).toBe('hi\n');
  });

  it('canConnect is false once Pebble is gone', async () => {
    const container = new Container('redis', new PebbleClient({ socketPath: fake.socketPath }));
    await fake.close();
    expect(await container.canConnect()).toBe(false);
    fake = await FakePebbleServer.start(); // for afterEach
  });
});

describe('the hook backend', () => {
  const tools = {} as HookTools;

  it('uses /charm/containers/<name>/pebble.socket by default', () => {
    const pebble = new HookToolsBackend(tools, { env: {} }).pebble('redis');
    expect(pebble).toBeInstanceOf(PebbleClient);
    expect((pebble as PebbleClient).socketPath).toBe('/charm/containers/redis/pebble.socket');
  });

  it(`reaches the socket under $${PEBBLE_SOCKET_DIR_ENV} when it is set`, async () => {
    const dir = join(fake.dir, 'containers');
    mkdirSync(join(dir, 'redis'), { recursive: true });
    symlinkSync(fake.socketPath, join(dir, 'redis', 'pebble.socket'));
    const pebble = new HookToolsBackend(tools, { env: { [PEBBLE_SOCKET_DIR_ENV]: `${dir}/` } }).pebble(
      'redis',
    );
    expect((pebble as PebbleClient).socketPath).toBe(join(dir, 'redis', 'pebble.socket'));
    expect((await pebble.systemInfo()).version).toBe('1.19.0-fake');
  });
});

/** What the charm saw, per test. */
const seen: { infos: CheckInfo[]; notices: Notice[]; defer: boolean } = {
  infos: [],
  notices: [],
  defer: false,
};

class CheckCharm extends CharmBase {
  static override readonly handleKind = 'CheckCharm';

  constructor(framework: Framework) {
    super(framework);
    const redis = this.on.container('redis');
    framework.observe(redis.pebbleCheckFailed, this.onCheckFailed);
    framework.observe(redis.pebbleCustomNotice, this.onNotice);
  }

  async onCheckFailed(event: PebbleCheckFailedEvent): Promise<void> {
    seen.infos.push(await event.info());
    seen.infos.push(await event.info());
    if (seen.defer) event.defer();
  }

  async onNotice(event: PebbleCustomNoticeEvent): Promise<void> {
    seen.notices.push(await event.notice.fetch());
    seen.notices.push(await event.notice.fetch());
  }
}

describe('lazy check info and notices on events', () => {
  let backend: FakeBackend;

  beforeEach(async () => {
    seen.infos = [];
    seen.notices = [];
    seen.defer = false;
    backend = new FakeBackend();
    backend.pebbles.set('redis', new PebbleClient({ socketPath: fake.socketPath }));
    await new PebbleClient({ socketPath: fake.socketPath }).addLayer('l', {
      checks: { alive: { override: 'replace', level: 'alive', tcp: { port: 1 }, threshold: 3 } },
    });
    fake.checkStatus.set('alive', { status: 'down', failures: 3 });
  });

  const checkFailed = {
    JUJU_WORKLOAD_NAME: 'redis',
    JUJU_PEBBLE_CHECK_NAME: 'alive',
  };

  it('fetches the check info once per event object', async () => {
    const storage = new MemoryStorage();
    fake.requests.length = 0;
    await runHook(CheckCharm, 'hooks/redis-pebble-check-failed', { storage, backend, env: checkFailed });
    expect(seen.infos).toHaveLength(2);
    expect(seen.infos[0]).toMatchObject({ name: 'alive', status: 'down', failures: 3, threshold: 3 });
    expect(seen.infos[1]).toBe(seen.infos[0]);
    expect(fake.requests.filter((r) => r.path === '/v1/checks')).toHaveLength(1);
  });

  it('fetches fresh info for a deferred event re-emitted in a later hook', async () => {
    const storage = new MemoryStorage();
    seen.defer = true;
    await runHook(CheckCharm, 'hooks/redis-pebble-check-failed', { storage, backend, env: checkFailed });
    fake.checkStatus.set('alive', { status: 'up', failures: 0 });
    seen.defer = false;
    seen.infos = [];
    await runHook(CheckCharm, 'hooks/update-status', { storage, backend });
    expect(seen.infos.map((info) => [info.name, info.status])).toEqual([
      ['alive', 'up'],
      ['alive', 'up'],
    ]);
  });

  it('fetches a custom notice once per event object', async () => {
    const id = fake.addNotice('custom', 'example.com/reload', { reason: 'config' });
    fake.requests.length = 0;
    await runHook(CheckCharm, 'hooks/redis-pebble-custom-notice', {
      storage: new MemoryStorage(),
      backend,
      env: {
        JUJU_WORKLOAD_NAME: 'redis',
        JUJU_NOTICE_ID: id,
        JUJU_NOTICE_TYPE: 'custom',
        JUJU_NOTICE_KEY: 'example.com/reload',
      },
    });
    expect(seen.notices).toHaveLength(2);
    expect(seen.notices[0]).toMatchObject({ id, key: 'example.com/reload', lastData: { reason: 'config' } });
    expect(fake.requests.filter((r) => r.path === `/v1/notices/${id}`)).toHaveLength(1);
  });
});
