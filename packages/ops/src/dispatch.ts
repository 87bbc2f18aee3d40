import type { BoundEvent } from './bound-event.js';
import type { CharmBase, CharmClass } from './charm-base.js';
import { kindPrefix } from './charm-events.js';
import type { CharmMeta } from './charm-meta.js';
import type { DebugStopper } from './debug/debug-stopper.js';
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
import type { CollectStatusEvent } from './lifecycle-events.js';
import type { Logger } from './logger.js';
import { Model } from './model/model.js';
import type { ModelBackend } from './model/model-backend.js';
import { ActionParamsError } from './model/model-errors.js';
import type { Relation } from './model/relation.js';
import { Secret } from './model/secret.js';
import type { StatusBase } from './model/status.js';
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

/**
 * Hooks Juju runs in a restricted context, where most hook tools (`is-leader`, `relation-*`,
 * `config-get`, `leader-get`…) are unavailable. As in ops, they only get their own event and the
 * commit: no deferred events, no status collection, and only the participants that ask to run
 * there (`DispatchParticipant.inRestrictedHooks`).
 */
export const RESTRICTED_KINDS: ReadonlySet<string> = new Set(['collect_metrics', 'meter_status_changed']);

/** What a dispatch did. */
export interface DispatchResult {
  /** The event kind from the dispatch path, e.g. `config_changed`. */
  readonly kind: string;
  /** False when the charm does not define the kind (deferred events and status still ran). */
  readonly emitted: boolean;
}

/**
 * Runs one hook, in this order: open the transaction; build the model, framework and charm;
 * dispatch participants' `start`; re-emit deferred events; emit this dispatch's event; the
 * participants' `end`; collect app status (leader) and unit status; `preCommit`, `commit`; flush
 * the model's buffered writes; commit storage. Anything thrown rolls the storage back and is
 * rethrown; the caller turns it into a failed hook. In the restricted hooks
 * ({@link RESTRICTED_KINDS}) deferred events and status collection are skipped.
 */
export async function dispatch(charmClass: CharmClass, options: DispatchOptions): Promise<DispatchResult> {
  const { context, meta, storage, backend, logger } = options;
  const kind = eventKindFromDispatchPath(context.dispatchPath);
  storage.begin();
  try {
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
    framework.dispatchKind = kind;
    // Registered before the charm exists, so anything listening later already sees it set.
    const noteDispatchEvent = (event: EventBase, reemitted: boolean): void => {
      if (reemitted || framework.dispatchEvent !== null || event.handle.kind !== kind) return;
      if (event.handle.parent?.path === charm.on.handle.path) framework.dispatchEvent = event;
    };
    framework.bus.on('emitted', noteDispatchEvent);
    framework.busListenersBeforeCharm = framework.bus
      .eventNames()
      .reduce((n, name) => n + framework.bus.listenerCount(name), 0);
    const charm = new charmClass(framework);
    options.onCharm?.(charm, framework);

    const restricted = RESTRICTED_KINDS.has(kind);
    await framework.startDispatch(restricted);
    if (restricted) {
      logger.debug(`${kind} runs in a restricted context: no deferred events and no status collection.`);
    } else {
      await framework.reemit();
    }
    const bound = kind ? charm.on.byKind(kind) : undefined;
    if (bound) {
      logger.debug(`Emitting Juju event ${kind}.`);
      await bound.emit(...(eventArgs(bound, context, model) as never[]));
    } else {
      logger.debug(
        `The charm defines no event ${JSON.stringify(kind)}; re-emitted deferred events and collected status only.`,
      );
    }
    await framework.endDispatch(restricted);
    if (!restricted) await evaluateStatus(charm, model);
    await framework.commit();
    return { kind, emitted: bound !== undefined };
  } catch (error) {
    storage.rollback();
    // loadConfig / loadParams already reported (blocked status, action-fail): end cleanly, exit 0.
    if (error instanceof HookAbort) {
      logger.warning(`Ended the hook early, rolling back its changes: ${error.message}`);
      return { kind, emitted: true };
    }
    throw error;
  }
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

/**
 * Emits collect-status events and sets the winning status once. The leader check (a hook-tool
 * call) only happens when something observes `collectAppStatus`.
 */
async function evaluateStatus(charm: CharmBase, model: Model): Promise<void> {
  const framework = charm.framework;
  if (framework.hasObservers(charm.on.collectAppStatus) && model.unit.isLeader()) {
    const status = await collect(charm.on.collectAppStatus);
    if (status) model.app.status = status as never;
  }
  if (framework.hasObservers(charm.on.collectUnitStatus)) {
    const status = await collect(charm.on.collectUnitStatus);
    if (status) model.unit.status = status as never;
  }
}

async function collect(bound: BoundEvent<CollectStatusEvent, []>): Promise<StatusBase | null> {
  const framework = bound.emitter.framework;
  let emitted: CollectStatusEvent | null = null;
  const capture = (event: EventBase): void => {
    if (event.handle.parent?.path === bound.emitter.handle.path && event.handle.kind === bound.kind) {
      emitted = event as CollectStatusEvent;
    }
  };
  framework.bus.on('emitted', capture);
  try {
    await bound.emit();
  } finally {
    framework.bus.off('emitted', capture);
  }
  let best: StatusBase | null = null;
  // Collect-status events are not deferrable, so every observer saw this one instance.
  for (const status of (emitted as CollectStatusEvent | null)?.statuses ?? []) {
    if (!best || status.priority > best.priority) best = status;
  }
  return best;
}
