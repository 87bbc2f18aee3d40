import { type CharmClass, type CharmMeta, parseCharmMeta } from '../../src/index.js';
import {
  type DispatchResult,
  dispatch,
  MemoryLogger,
  parseJujuContext,
  type Storage,
} from '../../src/internal/index.js';
import { FakeBackend } from './fake-backend.js';

/** Metadata most framework tests use: one peer relation, one requirer, one action, one container, one storage. */
export const testMeta: CharmMeta = parseCharmMeta({
  metadata: {
    name: 'test-charm',
    peers: { cluster: { interface: 'cluster' } },
    requires: { db: { interface: 'pgsql' } },
    containers: { redis: { resource: 'redis-image' } },
    storage: { data: { type: 'filesystem', location: '/data' } },
  },
  config: {
    options: { port: { type: 'int', default: 6379 }, 'log-level': { type: 'string', default: 'info' } },
  },
  actions: { 'seed-deferred': { params: { count: { type: 'integer' } } } },
});

export interface HookRun {
  readonly storage: Storage;
  readonly backend?: FakeBackend;
  readonly logger?: MemoryLogger;
  readonly env?: Record<string, string>;
  readonly meta?: CharmMeta;
  readonly deferredFailureLimit?: number;
  readonly now?: () => number;
}

/** Runs one dispatch of `hook` (e.g. `hooks/config-changed`) in process. */
export async function runHook(
  charmClass: CharmClass,
  hook: string,
  run: HookRun,
): Promise<DispatchResult & { logger: MemoryLogger; backend: FakeBackend }> {
  const backend = run.backend ?? new FakeBackend();
  backend.unitName ??= run.env?.JUJU_UNIT_NAME ?? 'test-charm/0';
  const logger = run.logger ?? new MemoryLogger();
  const context = parseJujuContext({
    JUJU_UNIT_NAME: 'test-charm/0',
    JUJU_DISPATCH_PATH: hook,
    JUJU_MODEL_NAME: 'm',
    ...run.env,
  });
  const result = await dispatch(charmClass, {
    context,
    meta: run.meta ?? testMeta,
    storage: run.storage,
    backend,
    logger,
    ...(run.deferredFailureLimit === undefined ? {} : { deferredFailureLimit: run.deferredFailureLimit }),
    ...(run.now ? { now: run.now } : {}),
  });
  return { ...result, logger, backend };
}
