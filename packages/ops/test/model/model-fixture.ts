import { type CharmMeta, Model, parseCharmMeta } from '../../src/index.js';
import type { ModelContext } from '../../src/internal/index.js';
import { FakeBackend } from '../helpers/fake-backend.js';

/** Metadata for model tests: relations of every role, storage, resources, typed config, actions. */
export const modelMeta: CharmMeta = parseCharmMeta({
  metadata: {
    name: 'web',
    peers: { cluster: { interface: 'cluster' } },
    requires: { db: { interface: 'pgsql' } },
    provides: { website: { interface: 'http' } },
    storage: { data: { type: 'filesystem', location: '/data' }, cache: { type: 'filesystem' } },
    resources: { bin: { type: 'file', filename: 'app.tar.gz' } },
  },
  config: {
    options: {
      port: { type: 'int', default: 8080 },
      ratio: { type: 'float', default: 0.5 },
      debug: { type: 'boolean', default: false },
      name: { type: 'string' },
      token: { type: 'secret' },
    },
  },
  actions: {
    backup: {
      params: {
        target: { type: 'string', minLength: 1 },
        compress: { type: 'boolean', default: true },
        level: { type: 'integer', minimum: 1, maximum: 9, default: 6 },
      },
      required: ['target'],
      additionalProperties: false,
    },
  },
});

/** A model over a fresh FakeBackend, unit `web/0`. */
export function makeModel(
  options: {
    leader?: boolean;
    context?: Partial<ModelContext>;
    backend?: FakeBackend;
    meta?: CharmMeta;
  } = {},
): { model: Model; backend: FakeBackend } {
  const backend = options.backend ?? new FakeBackend();
  backend.leader = options.leader ?? backend.leader;
  const unitName = options.context?.unitName ?? 'web/0';
  backend.unitName ??= unitName;
  const model = new Model(options.meta ?? modelMeta, backend, {
    unitName,
    modelName: 'prod',
    modelUuid: backend.modelUuid,
    ...options.context,
  });
  return { model, backend };
}

/** Adds relation `id` on `endpoint` with `app` and its units to the fake. */
export function addRelation(
  backend: FakeBackend,
  endpoint: string,
  id: number,
  app: string,
  units: string[],
): void {
  backend.relations.set(id, { endpoint, units, app });
}
