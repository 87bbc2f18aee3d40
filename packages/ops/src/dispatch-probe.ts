import type { CharmBase, CharmClass } from './charm-base.js';
import type { CharmMeta } from './charm-meta.js';
import type { DispatchManifest } from './dispatch-manifest.js';
import { Framework } from './framework.js';
import { MemoryLogger } from './logger.js';
import { Model } from './model/model.js';
import type { ModelBackend } from './model/model-backend.js';
import { MemoryStorage } from './storage/memory-storage.js';
import type { StoredNotice } from './storage/storage.js';

// The build's probe of a charm, for its dispatch manifest. Loaded only when a build runs the
// bundle with CHARMKIT_DISPATCH_MANIFEST set, never in a hook.

/** MemoryStorage that counts writes, to see whether constructing the charm changed stored state. */
class ProbeStorage extends MemoryStorage {
  writes = 0;
  override saveSnapshot(handlePath: string, json: string): void {
    this.writes++;
    super.saveSnapshot(handlePath, json);
  }
  override saveNotice(notice: StoredNotice): void {
    this.writes++;
    super.saveNotice(notice);
  }
}

/**
 * Constructs the charm once, outside any hook, and reports what a hook it does not observe would
 * do. Skipping is allowed only when that is provably nothing the charm can tell apart from a
 * no-op: so it is refused when the constructor cannot run without a hook's context (it calls a
 * hook tool, reads `JUJU_*` variables, or throws), when it changes stored state, and when
 * something runs in every dispatch (participants such as leadership or lock handling,
 * collect-status observers, commit observers, listeners on the framework's bus).
 *
 * What this cannot see: a constructor that decides what to observe from files or stored state.
 * `main()` compares the manifest with the charm it constructs in every hook that does run, and
 * turns skipping off for good on the unit when they differ.
 */
export function probeDispatchManifest(
  charmClass: CharmClass,
  meta: CharmMeta,
  charmDir: string,
  charmkitConfig?: unknown,
): DispatchManifest {
  const reasons: string[] = [];
  const toolCalls = new Set<string>();
  const backend = new Proxy({} as ModelBackend, {
    get: (_target, name) => () => {
      toolCalls.add(String(name));
      throw new Error(`the charm's constructor asked the model for ${String(name)} outside a hook`);
    },
  });
  const storage = new ProbeStorage();
  storage.begin();
  const model = new Model(meta, backend, { unitName: `${meta.name}/0`, modelName: 'charmkit-build' });
  const framework = new Framework({
    storage,
    meta,
    model,
    logger: new MemoryLogger(),
    charmDir,
    ...(charmkitConfig === undefined ? {} : { charmkitConfig }),
  });
  framework.registerCheckpointable(model);

  const envReads = new Set<string>();
  const realEnv = process.env;
  const watch = (key: string | symbol): void => {
    if (typeof key === 'string' && key.startsWith('JUJU_')) envReads.add(key);
  };
  process.env = new Proxy(realEnv, {
    get: (target, key, receiver) => {
      watch(key);
      return Reflect.get(target, key, receiver);
    },
    has: (target, key) => {
      watch(key);
      return Reflect.has(target, key);
    },
  });
  let charm: CharmBase | null = null;
  try {
    charm = new charmClass(framework);
  } catch (error) {
    if (toolCalls.size === 0) {
      reasons.push(
        `the charm's constructor fails outside a hook: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } finally {
    process.env = realEnv;
  }
  if (toolCalls.size > 0)
    reasons.push(`the charm's constructor calls hook tools (${[...toolCalls].join(', ')})`);
  if (envReads.size > 0) reasons.push(`the charm's constructor reads ${[...envReads].join(', ')}`);
  if (charm === null) return { format: 'charmkit-dispatch/1', skippable: false, reasons, observed: [] };

  const profile = framework.dispatchProfile(charm.on);
  reasons.push(...profile.everyHook);
  const before = storage.writes;
  framework.saveStoredState();
  if (storage.writes > before) reasons.push(`the charm's constructor changes stored state`);
  return {
    format: 'charmkit-dispatch/1',
    skippable: reasons.length === 0,
    reasons,
    observed: profile.observedKinds,
  };
}
