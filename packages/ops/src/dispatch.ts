import type { BoundEvent } from './bound-event.js';
import type { CharmBase, CharmClass } from './charm-base.js';
import { kindPrefix } from './charm-events.js';
import type { CharmMeta } from './charm-meta.js';
import type { DebugStopper } from './debug/debug-stopper.js';
import type { DispatchResult } from './dispatch-lifecycle.js';
import { JujuContextError } from './errors.js';
import type { EventBase } from './event-base.js';
import { ActionEvent } from './events/action-event.js';
import { RelationBrokenEvent, RelationDepartedEvent, RelationEvent } from './events/relation-events.js';
import { SecretEvent, SecretRevisionEvent } from './events/secret-events.js';
import { StorageEvent } from './events/storage-events.js';
import { PebbleCheckEvent, PebbleCustomNoticeEvent, WorkloadEvent } from './events/workload-events.js';
import { Framework } from './framework.js';
import { HookAbort } from './hook-abort.js';
import { eventKindFromDispatchPath, type JujuContext } from './juju-context.js';
import type { Logger } from './logger.js';
import { Model } from './model/model.js';
import type { ModelBackend } from './model/model-backend.js';
import { ActionParamsError } from './model/model-errors.js';
import type { Relation } from './model/relation.js';
import { Secret } from './model/secret.js';
import { StorageInstance } from './model/storage-instance.js';
import type { Storage } from './storage/storage.js';

/** Everything one dispatch needs; `main()` builds it from the real environment, tests build their own. */
export interface DispatchOptions {
  readonly context: JujuContext;
  readonly meta: CharmMeta;
  readonly storage: Storage;
  readonly backend: ModelBackend;
  readonly logger: Logger;
  /** See {@link FrameworkOptions.deferredFailureLimit}. */
  readonly deferredFailureLimit?: number;
  readonly now?: () => number;
  /** The parsed `charmkit.yaml` (null: none), when known; see {@link Framework.charmkitConfig}. */
  readonly charmkitConfig?: unknown;
  /** Called with the framework and charm once the charm is constructed (for tests and tools). */
  readonly onCharm?: (charm: CharmBase, framework: Framework) => void;
  /** See {@link FrameworkOptions.debugStopper}; the breakpoints come from `context.debugAt`. */
  readonly debugStopper?: DebugStopper;
}

export type { DispatchResult } from './dispatch-lifecycle.js';
export { RESTRICTED_KINDS } from './dispatch-view.js';

/**
 * Runs one hook: builds the model from the hook's context, and the framework, and hands over to
 * the framework ({@link Framework.runDispatch}), which owns the dispatch from there, in this
 * order: open the transaction; construct the charm; dispatch participants' `start`; re-emit
 * deferred events; emit this dispatch's event; the participants' `end`; collect app status
 * (leader) and unit status; `preCommit`, `commit`; flush the model's buffered writes; commit
 * storage. Anything thrown rolls the storage back and is rethrown; the caller turns it into a
 * failed hook. A {@link HookAbort} ends the hook early and successfully. In the restricted hooks
 * ({@link RESTRICTED_KINDS}) deferred events and status collection are skipped.
 */
export async function dispatch(charmClass: CharmClass, options: DispatchOptions): Promise<DispatchResult> {
  const { context, meta, storage, backend, logger } = options;
  const kind = eventKindFromDispatchPath(context.dispatchPath);
  // Neither calls a hook tool nor reads storage, so both exist before the transaction opens.
  const model = new Model(meta, backend, {
    unitName: context.unitName,
    modelName: context.modelName,
    modelUuid: context.modelUuid,
    relationId: context.relationId,
    brokenRelationId: kind.endsWith('_relation_broken') ? context.relationId : null,
    remoteUnitName:
      kind.endsWith('_relation_departed') || kind.endsWith('_relation_broken') ? context.remoteUnit : null,
    remoteAppName: context.remoteApp,
    actionName: context.actionName,
    jujuVersion: context.version,
  });
  const framework = new Framework({
    storage,
    meta,
    model,
    logger,
    charmDir: context.charmDir,
    ...(options.charmkitConfig === undefined ? {} : { charmkitConfig: options.charmkitConfig }),
    ...(options.deferredFailureLimit === undefined
      ? {}
      : { deferredFailureLimit: options.deferredFailureLimit }),
    ...(options.now ? { now: options.now } : {}),
    debugAt: context.debugAt,
    ...(options.debugStopper ? { debugStopper: options.debugStopper } : {}),
  });
  framework.registerCheckpointable(model);
  return framework.runDispatch(charmClass, kind, {
    eventArgs: (bound) => eventArgs(bound, context, model),
    ...(options.onCharm ? { onCharm: options.onCharm } : {}),
  });
}

/** Builds the constructor arguments of the dispatch's event from the hook context. */
function eventArgs(bound: BoundEvent<EventBase, never[]>, ctx: JujuContext, model: Model): unknown[] {
  const type = bound.type as unknown as abstract new (...args: never[]) => EventBase;
  // `X.prototype instanceof X` is false, so the class itself is checked too.
  const is = (base: abstract new (...args: never[]) => EventBase): boolean =>
    type === base || type.prototype instanceof base;
  if (is(RelationEvent)) {
    if (ctx.relationName === null || ctx.relationId === null) {
      throw new JujuContextError(`${bound.kind} needs JUJU_RELATION and JUJU_RELATION_ID`);
    }
    const relation = model.getRelation(ctx.relationName, ctx.relationId) as Relation;
    if (is(RelationBrokenEvent)) {
      // Juju no longer lists a broken relation, so its remote app is only what the environment
      // says; a peer relation has no remote app (as in ops). The unit is always null.
      const app = !relation.isPeer && ctx.remoteApp ? model.getApp(ctx.remoteApp) : null;
      return [relation, app, null];
    }
    const app = ctx.remoteApp ? model.getApp(ctx.remoteApp) : relation.app;
    const unit = ctx.remoteUnit ? model.getUnit(ctx.remoteUnit) : null;
    if (is(RelationDepartedEvent)) {
      return [relation, app, unit, ctx.departingUnit ? model.getUnit(ctx.departingUnit) : null];
    }
    return [relation, app, unit];
  }
  if (is(StorageEvent)) {
    if (ctx.storageName === null || ctx.storageIndex === null)
      throw new JujuContextError(`${bound.kind} needs JUJU_STORAGE_ID`);
    return [new StorageInstance(ctx.storageName, ctx.storageIndex, ctx.storageLocation)];
  }
  if (is(WorkloadEvent)) {
    if (ctx.workloadName === null) throw new JujuContextError(`${bound.kind} needs JUJU_WORKLOAD_NAME`);
    const container = model.container(ctx.workloadName);
    if (is(PebbleCustomNoticeEvent)) {
      return [container, { id: ctx.noticeId ?? '', type: ctx.noticeType ?? '', key: ctx.noticeKey ?? '' }];
    }
    if (is(PebbleCheckEvent)) return [container, ctx.pebbleCheckName ?? ''];
    return [container];
  }
  if (is(SecretEvent)) {
    const secret = new Secret(ctx.secretId, ctx.secretLabel);
    if (is(SecretRevisionEvent)) {
      if (ctx.secretRevision === null) throw new JujuContextError(`${bound.kind} needs JUJU_SECRET_REVISION`);
      return [secret, ctx.secretRevision];
    }
    return [secret];
  }
  if (is(ActionEvent)) {
    const name = [...model.meta.actions.keys()].find(
      (action) => `${kindPrefix(action)}_action` === bound.kind,
    );
    if (name === undefined) return [ctx.actionUuid ?? '', model.backend.actionGet()];
    try {
      return [ctx.actionUuid ?? '', model.actionParams(name)];
    } catch (error) {
      // Params that do not match actions.yaml fail the action, not the hook (Juju checks them
      // first, so this is mostly defaults, Juju 4's unknown-param rule and the testing package).
      if (!(error instanceof ActionParamsError)) throw error;
      model.backend.actionFail(error.message);
      throw new HookAbort(`action ${name} failed: its parameters do not match actions.yaml`);
    }
  }
  return [];
}
