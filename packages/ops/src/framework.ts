import { EventEmitter } from 'eventemitter3';
import { BoundEvent, type ObservableEvent } from './bound-event.js';
import type { CharmClass } from './charm-base.js';
import type { CharmMeta } from './charm-meta.js';
import { validateBreakpointName } from './debug/breakpoint-name.js';
import type { DebugStopper, DebugStopRequest } from './debug/debug-stopper.js';
import { DispatchLifecycle, type DispatchResult, type DispatchRunOptions } from './dispatch-lifecycle.js';
import type { DispatchParticipant } from './dispatch-participant.js';
import type { DispatchView } from './dispatch-view.js';
import { EmitFrame, EmitTask } from './emit-task.js';
import { DuplicateHandleError, InvalidObserverError, InvalidSnapshotError } from './errors.js';
import type { AnyEventType, EventBase } from './event-base.js';
import { ActionEvent } from './events/action-event.js';
import { HookEvent } from './events/hook-events.js';
import { Handle } from './handle.js';
import { HookAbort } from './hook-abort.js';
import { canonicalJson, isPlainObject, type JsonObject, jsonProblem } from './json.js';
import { FrameworkEvents, LifecycleEvent } from './lifecycle-events.js';
import type { Logger } from './logger.js';
import type { Model } from './model/model.js';
import { ObjectEvents } from './object-events.js';
import { OpsObject } from './ops-object.js';
import {
  decodeFrameworkState,
  encodeFrameworkState,
  FRAMEWORK_STATE_PATH,
} from './storage/snapshot-paths.js';
import type { Storage, StoredNotice } from './storage/storage.js';

/** Something whose in-memory state must be undone with a failed deferred handler. */
export interface Checkpointable {
  /** Captures the current state; calling the returned function puts it back. */
  checkpoint(): () => void;
}

export type { DispatchParticipant } from './dispatch-participant.js';

/**
 * What the framework reports on its in-process bus (tracing, test capture). Never persisted, and
 * never for logic: libraries take part in a dispatch as a {@link DispatchParticipant}.
 */
export interface FrameworkBusEvents {
  /** An event was handed to its observers (path, kind, whether it was a re-emission). */
  emitted: [event: EventBase, reemitted: boolean];
  /** An observer deferred an event. */
  deferred: [event: EventBase, observerPath: string, methodName: string];
  /** An event equal to a queued deferred one was collapsed into it. */
  collapsed: [eventPath: string, observerPath: string, methodName: string];
  /** A queued notice was dropped (its observer, method or event type is gone). */
  dropped: [notice: StoredNotice, reason: string];
  /** A deferred handler threw during re-emission; its effects were undone. */
  failed: [notice: StoredNotice, error: unknown];
  /** A notice failed too often and was parked. */
  parked: [notice: StoredNotice];
  /** The dispatch is about to commit. */
  committing: [];
}

/** @internal See {@link Framework.dispatchProfile}. */
export interface DispatchProfile {
  /** Event kinds observed on the charm's `on`, sorted. */
  readonly observedKinds: readonly string[];
  /** Why every hook must run (empty when no reason). */
  readonly everyHook: readonly string[];
}

/** Options for {@link Framework}. */
export interface FrameworkOptions {
  readonly storage: Storage;
  readonly meta: CharmMeta;
  readonly model: Model;
  readonly logger: Logger;
  /**
   * How many dispatches in a row a deferred handler may throw before its notice is parked
   * (taken out of the queue and kept for inspection). Default 5; `Infinity` never parks.
   */
  readonly deferredFailureLimit?: number;
  /** Clock for queue ages (ms since the epoch). */
  readonly now?: () => number;
  /** The charm's directory (where its metadata and `charmkit.yaml` live), when known. */
  readonly charmDir?: string;
  /** See {@link Framework.charmkitConfig}. */
  readonly charmkitConfig?: unknown;
  /** The breakpoints `JUJU_DEBUG_AT` names (`juju debug-code`); empty or absent: never stop. */
  readonly debugAt?: ReadonlySet<string>;
  /**
   * What stops the hook under a debugger when a breakpoint is due; the default opens Node's
   * inspector in the terminal (`debug/breakpoint.ts`, loaded only then). Tests pass their own.
   */
  readonly debugStopper?: DebugStopper;
}

interface Observer {
  readonly object: OpsObject;
  readonly path: string;
  readonly method: string;
}

const QUEUE_WARN_LENGTH = 100;
const QUEUE_WARN_AGE_MS = 60 * 60 * 1000;

/** The object at the root of the framework's own handles (`Framework/on/commit[…]`). */
class FrameworkRoot extends OpsObject {
  static override readonly handleKind = 'Framework';
}

/**
 * The framework: it knows every persistent object, delivers events to observers in order,
 * keeps the deferred-event queue, and commits or rolls back the dispatch as one transaction.
 */
export class Framework {
  readonly storage: Storage;
  readonly meta: CharmMeta;
  readonly model: Model;
  readonly log: Logger;
  /** The charm's directory, when known (not in every test). */
  readonly charmDir: string | null;
  /**
   * The parsed `charmkit.yaml` of the charm directory (null when there is none), when the caller
   * read it — `main()` does, from the build's JSON — or undefined: read the file yourself then. It
   * spares libraries that read their options from it (the coordinator) a YAML parser at start-up.
   */
  readonly charmkitConfig: unknown;
  /** The breakpoints `JUJU_DEBUG_AT` names: `all`, `hook` and/or names given to {@link Framework.breakpoint}. */
  readonly debugAt: ReadonlySet<string>;
  /**
   * In-process notifications for tracing and tests. Not persisted, and not for logic: nothing in
   * charmkit's packages listens to it but the testing package's capture of emitted events.
   */
  readonly bus = new EventEmitter<FrameworkBusEvents>();
  /** The framework's own lifecycle events: `preCommit` and `commit`. */
  readonly on: FrameworkEvents;

  // Strong references: the framework lives for one dispatch, and so do its objects. (WeakRefs kept
  // every object alive until the event loop turned, which an in-process test loop never does.)
  readonly #objects = new Map<string, OpsObject>();
  readonly #types = new Map<string, AnyEventType>();
  readonly #observers = new Map<string, Observer[]>();
  readonly #checkpointables = new Set<Checkpointable>();
  readonly #debugStopper: DebugStopper | null;
  readonly #storedStates = new Set<string>();
  readonly #committers: (() => void)[] = [];
  readonly #participants: DispatchParticipant[] = [];
  /** The dispatch this framework runs, once {@link Framework.runDispatch} started it. */
  #dispatch: DispatchLifecycle | null = null;
  /** One frame per running handler (the root one for the dispatch itself). */
  readonly #frames: EmitFrame[] = [new EmitFrame()];
  readonly #failureLimit: number;
  readonly #now: () => number;

  /** `observer\0method\0event kind path\0snapshot` of every queued notice: the collapse index. */
  #queuedKeys: Map<string, number> | null = null;
  /** Reverse of the collapse index: notice sequence → its key. */
  #keyBySequence = new Map<number, string>();
  /** Read from storage on first use, inside the dispatch's transaction (null: not read yet). */
  #eventCount: number | null = null;
  #eventCountPersisted = 0;
  #nextSequence: number | null = null;

  constructor(options: FrameworkOptions) {
    this.storage = options.storage;
    this.meta = options.meta;
    this.model = options.model;
    this.log = options.logger;
    this.#failureLimit = options.deferredFailureLimit ?? 5;
    this.#now = options.now ?? Date.now;
    this.charmDir = options.charmDir ?? null;
    this.charmkitConfig = options.charmkitConfig;
    this.debugAt = options.debugAt ?? new Set();
    this.#debugStopper = options.debugStopper ?? null;
    this.on = new FrameworkEvents(new FrameworkRoot(this));
  }

  /**
   * The framework's event counter (it keys persisted events), read from storage the first time it
   * is needed: a dispatch reads it right after opening the transaction, where the constructor
   * used to, so the framework can be built before the transaction opens.
   */
  #loadEventCount(): number {
    if (this.#eventCount === null) {
      this.#eventCount = decodeFrameworkState(this.storage.loadSnapshot(FRAMEWORK_STATE_PATH));
      this.#eventCountPersisted = this.#eventCount;
    }
    return this.#eventCount;
  }

  // ---- objects and types -------------------------------------------------------------------

  /** @internal Records a live object; two live objects may not share a path. */
  registerObject(object: OpsObject): void {
    const path = object.handle.path;
    const existing = this.#objects.get(path);
    if (existing && existing !== object) {
      // `override readonly on = new MyEvents(this)` replaces the base class's `on`: allowed when the
      // new collection extends the old one's class, since it declares a superset of its events.
      const replacesEvents = existing instanceof ObjectEvents && object instanceof existing.constructor;
      if (!replacesEvents) {
        throw new DuplicateHandleError(
          `two objects claim the handle path ${path} (${existing.constructor.name} and ${object.constructor.name}); create each object once, or give it a distinct key`,
        );
      }
    }
    this.#objects.set(path, object);
  }

  /** The live object at `path`, if any. */
  objectAt(path: string): OpsObject | undefined {
    return this.#objects.get(path);
  }

  /** @internal Records which class restores events of `kind` emitted by the collection at `emitterPath`. */
  registerType(emitterPath: string, kind: string, type: AnyEventType): void {
    this.#types.set(`${emitterPath}\0${kind}`, type);
  }

  /** @internal Reserves a stored-state path; false when it is taken. */
  claimStoredState(path: string): boolean {
    if (this.#storedStates.has(path)) return false;
    this.#storedStates.add(path);
    return true;
  }

  /** @internal Registers in-memory state to undo when a deferred handler fails. */
  registerCheckpointable(target: Checkpointable): void {
    this.#checkpointables.add(target);
  }

  /** @internal Registers a function that writes pending state to storage at commit. */
  onCommitSave(save: () => void): void {
    this.#committers.push(save);
  }

  /**
   * Registers a participant: a library that runs at fixed points of every dispatch (its `start`,
   * `onHookEvent` and `end`). Register it in the constructor.
   */
  addParticipant(participant: DispatchParticipant): void {
    this.#participants.push(participant);
  }

  /**
   * The dispatch this framework is running, read-only: its event kind, the hook's own event once
   * emitted, whether the hook is restricted, and its phase. Null for a framework that runs no
   * dispatch (the build's probe, a framework a test builds by hand).
   */
  get currentDispatch(): DispatchView | null {
    return this.#dispatch?.view ?? null;
  }

  // ---- observe ------------------------------------------------------------------------------

  /**
   * Calls `handler` with every event of this kind. The handler must be a named method of an
   * object (`this.onConfigChanged`), because the deferred queue records the observer's handle
   * path and the method's name, and finds them again in the next dispatch. It may be async;
   * handlers run one at a time, in the order they were observed.
   */
  observe<E extends EventBase>(event: ObservableEvent<E>, handler: (event: NoInfer<E>) => unknown): void;
  observe<E extends EventBase, O extends OpsObject>(
    event: ObservableEvent<E>,
    observer: O,
    handler: (event: NoInfer<E>) => unknown,
  ): void;
  observe(
    event: ObservableEvent<EventBase>,
    observerOrHandler: OpsObject | ((event: never) => unknown),
    maybeHandler?: (event: never) => unknown,
  ): void {
    if (!(event instanceof BoundEvent)) {
      throw new InvalidObserverError(
        `observe() needs a bound event such as this.on.configChanged, got ${String(event)}`,
      );
    }
    const handler = maybeHandler ?? observerOrHandler;
    if (typeof handler !== 'function') {
      throw new InvalidObserverError(`observe(${event}) needs a handler method, got ${typeof handler}`);
    }
    const name = handler.name;
    if (!name || name.startsWith('bound ') || name === 'anonymous') {
      throw new InvalidObserverError(
        `observe(${event}) needs a named method of an object (e.g. this.onStart), not an arrow function or a bound function: the deferred queue records the method by name`,
      );
    }
    const observer =
      observerOrHandler instanceof OpsObject ? observerOrHandler : this.#findObserver(handler, event);
    if ((observer as unknown as Record<string, unknown>)[name] !== handler) {
      throw new InvalidObserverError(
        `observe(${event}): ${name} is not a method of ${observer.handle.path}; pass a method of the observer (e.g. this.${name})`,
      );
    }
    const key = `${event.emitter.handle.path}\0${event.kind}`;
    const list = this.#observers.get(key) ?? [];
    list.push({ object: observer, path: observer.handle.path, method: name });
    this.#observers.set(key, list);
  }

  /**
   * @internal What the build's dispatch manifest needs (`dispatch-manifest.ts`): the event kinds
   * observed on `charmEvents` (the charm's `on`), and what runs in every dispatch whatever its
   * hook, which rules out skipping any hook.
   */
  dispatchProfile(charmEvents: OpsObject): DispatchProfile {
    const prefix = `${charmEvents.handle.path}\0`;
    const observedKinds: string[] = [];
    for (const [key, list] of this.#observers) {
      if (key.startsWith(prefix) && list.length > 0) observedKinds.push(key.slice(prefix.length));
    }
    const everyHook: string[] = [];
    if (this.#participants.length > 0) {
      everyHook.push(`dispatch participants (${this.#participants.map((p) => p.name).join(', ')})`);
    }
    for (const kind of ['collect_unit_status', 'collect_app_status']) {
      if (observedKinds.includes(kind)) everyHook.push(`observers of ${kind}`);
    }
    if (this.hasObservers(this.on.preCommit) || this.hasObservers(this.on.commit)) {
      everyHook.push('observers of the framework commit events');
    }
    // The framework attaches no listener of its own, so every one was attached by the charm or a
    // library it built: tracing that would miss hooks skipped by the `dispatch` script.
    const busEvents = this.bus.eventNames();
    if (busEvents.some((name) => this.bus.listenerCount(name) > 0)) {
      everyHook.push(`listeners on the framework bus (${busEvents.join(', ')})`);
    }
    return { observedKinds: observedKinds.sort(), everyHook };
  }

  /** The current time, from the framework's clock (ms since the epoch). */
  now(): number {
    return this.#now();
  }

  /** True when anything observes `event`. */
  hasObservers(event: ObservableEvent<EventBase>): boolean {
    return (this.#observers.get(`${event.emitter.handle.path}\0${event.kind}`)?.length ?? 0) > 0;
  }

  #findObserver(handler: (event: never) => unknown, event: BoundEvent<EventBase, never[]>): OpsObject {
    const matches: OpsObject[] = [];
    for (const object of this.#objects.values()) {
      if ((object as unknown as Record<string, unknown>)[handler.name] === handler) matches.push(object);
    }
    if (matches.length === 1) return matches[0] as OpsObject;
    throw new InvalidObserverError(
      matches.length === 0
        ? `observe(${event}): no object has the method ${handler.name}; call observe(event, observer, handler) or this.observe(event, handler)`
        : `observe(${event}): ${matches.length} objects (${matches.map((m) => m.handle.path).join(', ')}) share the method ${handler.name}; say which with observe(event, observer, handler) or this.observe(event, handler)`,
    );
  }

  // ---- emit ---------------------------------------------------------------------------------

  /** @internal Use `boundEvent.emit(...)`. */
  emit<A extends unknown[]>(bound: BoundEvent<EventBase, A>, args: A): Promise<void> {
    return this.#task(bound as unknown as BoundEvent<EventBase, unknown[]>, args, null);
  }

  /**
   * An emit as a task of the running handler. `created` (the dispatch lifecycle's) gets the event
   * as soon as it exists, before the bus and any observer.
   */
  #task(
    bound: BoundEvent<EventBase, unknown[]>,
    args: unknown[],
    created: ((event: EventBase) => void) | null,
  ): EmitTask {
    const frame = this.#frames[this.#frames.length - 1] as EmitFrame;
    const task = new EmitTask(frame, () => this.#emit(bound, args, created));
    frame.tasks.push(task);
    return task;
  }

  async #emit(
    bound: BoundEvent<EventBase, unknown[]>,
    args: unknown[],
    created: ((event: EventBase) => void) | null,
  ): Promise<void> {
    const emitterPath = bound.emitter.handle.path;
    const observers = this.#observers.get(`${emitterPath}\0${bound.kind}`) ?? [];
    const count = this.#loadEventCount() + 1;
    this.#eventCount = count;
    const handle = bound.emitter.handle.nest(bound.kind, String(count));
    const event = new bound.type(handle, ...args);
    event.framework = this;
    if (observers.length === 0) {
      this.#announce(event, created);
      return;
    }
    if (!event.deferrable) {
      this.#announce(event, created);
      this.#logCustomEmit(event);
      for (const observer of observers) {
        event.deferred = false;
        await this.#call(observer, event);
      }
      return;
    }
    const json = this.#snapshotOf(event);
    const kindPath = `${emitterPath}/${bound.kind}`;
    // Sequences are reserved up front, so a notice deferred later in this dispatch still sorts
    // by when its event was emitted, not by when its handler happened to finish.
    const sequences = observers.map(() => this.#reserveSequence());
    this.#announce(event, created);
    this.#logCustomEmit(event);
    for (const [i, observer] of observers.entries()) {
      const dupKey = `${observer.path}\0${observer.method}\0${kindPath}\0${json}`;
      if (this.#queueIndex().has(dupKey)) {
        this.log.debug(
          `Collapsed ${handle.path} into an identical deferred event for ${observer.path}.${observer.method}.`,
        );
        this.bus.emit('collapsed', handle.path, observer.path, observer.method);
        continue;
      }
      const copy = this.#restoreEvent(bound.type, handle, json);
      await this.#call(observer, copy);
      if (copy.deferred) {
        this.#persistDeferred(handle.path, json, {
          sequence: sequences[i] as number,
          eventPath: handle.path,
          observerPath: observer.path,
          methodName: observer.method,
          deferredAt: this.#now(),
          failures: 0,
          lastError: null,
        });
        this.#queueIndex().set(dupKey, sequences[i] as number);
        this.#keyBySequence.set(sequences[i] as number, dupKey);
        this.bus.emit('deferred', copy, observer.path, observer.method);
      }
    }
  }

  /** A new event is about to go to its observers: tell its creator, then the bus (tracing). */
  #announce(event: EventBase, created: ((event: EventBase) => void) | null): void {
    created?.(event);
    this.bus.emit('emitted', event, false);
  }

  /**
   * Logs an event a charm or library emitted itself, as ops does (once per emit, where ops logs
   * once per observer). The dispatch's own event is logged by the dispatch lifecycle (which notes
   * it in `#announce`, so call this after that), re-emissions by `reemit()`, and lifecycle events
   * are not interesting.
   */
  #logCustomEmit(event: EventBase): void {
    if (event === this.#dispatch?.view.event || event instanceof LifecycleEvent) return;
    this.log.debug(`Emitting custom event ${event.handle.path}.`);
  }

  async #call(observer: Observer, event: EventBase): Promise<void> {
    const method = (observer.object as unknown as Record<string, (event: EventBase) => unknown>)[
      observer.method
    ];
    if (typeof method !== 'function') {
      throw new InvalidObserverError(`${observer.path} has no method ${observer.method}`);
    }
    // `juju debug-code`: `all` or `hook` stops before each observer of a Juju event or action.
    const stopHere =
      (this.debugAt.has('all') || this.debugAt.has('hook')) &&
      (event instanceof HookEvent || event instanceof ActionEvent);
    const engaged =
      stopHere &&
      (await this.#stop({
        reason: 'hook',
        name: null,
        where: `${observer.path}.${observer.method}(${event.handle.path})`,
      }));
    await this.#inFrame(async () => {
      // With a debugger attached this pauses on the line before the handler: `step` enters it.
      // biome-ignore lint/suspicious/noDebugger: the point of `juju debug-code`.
      if (engaged) debugger;
      const result = method.call(observer.object, event);
      if (
        result !== null &&
        typeof result === 'object' &&
        typeof (result as Promise<unknown>).then === 'function'
      ) {
        await result;
      }
    });
  }

  /** Runs `body` as a handler: emits it makes but does not await run when it returns. */
  async #inFrame(body: () => void | Promise<void>): Promise<void> {
    const frame = new EmitFrame();
    this.#frames.push(frame);
    try {
      await body();
      await frame.settle();
    } finally {
      this.#frames.pop();
    }
  }

  #snapshotOf(event: EventBase): string {
    const snapshot = event.snapshot();
    const problem = isPlainObject(snapshot)
      ? jsonProblem(snapshot, 'snapshot')
      : 'snapshot() did not return a plain object';
    if (problem) {
      throw new InvalidSnapshotError(
        `${event.constructor.name}.snapshot() for ${event.handle.path}: ${problem}`,
      );
    }
    return canonicalJson(snapshot);
  }

  #restoreEvent(type: AnyEventType, handle: Handle, json: string): EventBase {
    const event = Object.create(type.prototype) as EventBase;
    event.handle = handle;
    event.framework = this;
    event.deferred = false;
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (cause) {
      throw new InvalidSnapshotError(`the stored snapshot of ${handle.path} is not valid JSON`, { cause });
    }
    if (!isPlainObject(data))
      throw new InvalidSnapshotError(`the stored snapshot of ${handle.path} is not a JSON object`);
    event.restore(data as JsonObject);
    return event;
  }

  #reserveSequence(): number {
    if (this.#nextSequence === null) this.#nextSequence = this.storage.maxSequence() + 1;
    return this.#nextSequence++;
  }

  #persistDeferred(eventPath: string, json: string, notice: StoredNotice): void {
    if (this.storage.loadSnapshot(eventPath) === null) this.storage.saveSnapshot(eventPath, json);
    this.storage.saveNotice(notice);
    const eventCount = this.#loadEventCount();
    if (eventCount !== this.#eventCountPersisted) {
      // Only persisted events need unique keys across dispatches, so the counter is saved only then.
      this.storage.saveSnapshot(FRAMEWORK_STATE_PATH, encodeFrameworkState(eventCount));
      this.#eventCountPersisted = eventCount;
    }
    this.log.debug(`Deferring ${eventPath} for ${notice.observerPath}.${notice.methodName}.`);
  }

  // ---- debugging ----------------------------------------------------------------------------

  /**
   * A breakpoint for `juju debug-code` (the equivalent of ops' `framework.breakpoint()`): when
   * `JUJU_DEBUG_AT` is `all` or lists `name`, the hook stops here under Node's debugger in the
   * terminal Juju opened (type `out` to step back into the caller, `cont` to go on). Otherwise it
   * does nothing, cheaply. Await it: the debugger is loaded on first use.
   *
   * @param name - Lowercase letters, digits and inner dashes (`foo`, `foo-bar`); `all` and `hook`
   *   are reserved.
   * @throws {InvalidBreakpointNameError} the name is malformed or reserved.
   */
  async breakpoint(name?: string): Promise<void> {
    if (name !== undefined) validateBreakpointName(name);
    if (this.debugAt.size === 0) return;
    if (!this.debugAt.has('all') && (name === undefined || !this.debugAt.has(name))) {
      this.log.warning(
        `Breakpoint ${name === undefined ? '(unnamed)' : JSON.stringify(name)} skipped: JUJU_DEBUG_AT names ${[...this.debugAt].join(', ')}.`,
      );
      return;
    }
    const engaged = await this.#stop({
      reason: 'breakpoint',
      name: name ?? null,
      where: 'framework.breakpoint()',
    });
    // biome-ignore lint/suspicious/noDebugger: the point of `framework.breakpoint()`.
    if (engaged) debugger;
  }

  /** Hands over to the stopper (loaded on first use); true when a debugger is now attached. */
  async #stop(request: DebugStopRequest): Promise<boolean> {
    const stopper = this.#debugStopper ?? (await import('./debug/breakpoint.js')).stopUnderInspector;
    return stopper(request, this.log);
  }

  // ---- dispatch -----------------------------------------------------------------------------

  /**
   * @internal Runs one dispatch of event `kind` with this framework, start to end: opens the
   * storage transaction, constructs the charm, and goes through the phases of
   * {@link DispatchLifecycle.run}. `dispatch()` is the public entry; a framework runs one dispatch.
   */
  async runDispatch(
    charmClass: CharmClass,
    kind: string,
    options: DispatchRunOptions,
  ): Promise<DispatchResult> {
    if (this.#dispatch !== null) {
      // Only dispatch() calls this, once per framework it builds.
      throw new Error('internal error: a Framework runs one dispatch only');
    }
    this.#dispatch = new DispatchLifecycle(kind, {
      framework: this,
      participants: () => this.#participants,
      inFrame: (body) => this.#inFrame(body),
      emit: (bound, args, created) =>
        this.#task(
          bound as unknown as BoundEvent<EventBase, unknown[]>,
          args,
          created as (event: EventBase) => void,
        ),
      loadState: () => void this.#loadEventCount(),
    });
    return this.#dispatch.run(charmClass, options);
  }

  /** The deferred queue, in order. */
  queuedNotices(): StoredNotice[] {
    return this.storage.notices();
  }

  /**
   * Re-emits every deferred event, in the order first deferred, each to the observer that
   * deferred it. An event deferred again keeps its place.
   *
   * A handler that throws here does not fail the dispatch: its effects (storage writes, stored
   * state, buffered model writes) are rolled back, the error is logged at ERROR, and its failure
   * count grows. After `deferredFailureLimit` failures in a row the notice is parked: taken out of
   * the queue and kept, with its last error, for `charmkit state` to show. So one bad notice can
   * neither wedge the unit nor vanish silently.
   */
  async reemit(): Promise<void> {
    const notices = this.storage.notices();
    const snapshots = this.#indexQueue(notices);
    if (notices.length === 0) {
      this.log.debug('Deferred queue: empty.');
      return;
    }
    const oldest = notices.reduce((a, b) => (a.deferredAt <= b.deferredAt ? a : b));
    const age = this.#now() - oldest.deferredAt;
    const summary = `Deferred queue: ${notices.length} notice(s), oldest ${formatAge(age)} (${oldest.eventPath} for ${oldest.observerPath}.${oldest.methodName}).`;
    if (notices.length >= QUEUE_WARN_LENGTH || age >= QUEUE_WARN_AGE_MS) this.log.warning(summary);
    else this.log.debug(summary);

    const parkedPaths = new Set(this.storage.parkedNotices().map((p) => p.eventPath));
    const remaining = new Map<string, number>();
    for (const notice of notices) remaining.set(notice.eventPath, (remaining.get(notice.eventPath) ?? 0) + 1);
    const release = (eventPath: string): void => {
      const left = (remaining.get(eventPath) ?? 1) - 1;
      remaining.set(eventPath, left);
      if (left === 0 && !parkedPaths.has(eventPath)) this.storage.dropSnapshot(eventPath);
    };

    for (const [index, notice] of notices.entries()) {
      const handle = Handle.fromPath(notice.eventPath);
      const emitterPath = handle.parent?.path ?? '';
      const type = this.#types.get(`${emitterPath}\0${handle.kind}`);
      const observer = this.#observers
        .get(`${emitterPath}\0${handle.kind}`)
        ?.find((o) => o.path === notice.observerPath && o.method === notice.methodName);
      const json = snapshots.get(notice.eventPath) ?? null;
      const reason = !type
        ? `no event type ${handle.kind} is declared on ${emitterPath} any more`
        : !this.objectAt(notice.observerPath)
          ? `the observer ${notice.observerPath} no longer exists`
          : !observer
            ? `${notice.observerPath}.${notice.methodName} no longer observes ${handle.kind}`
            : json === null
              ? 'its event snapshot is missing'
              : null;
      if (reason || !type || !observer || json === null) {
        this.log.warning(
          `Dropping deferred ${notice.eventPath} for ${notice.observerPath}.${notice.methodName}: ${reason}.`,
        );
        this.#dropNotice(notice);
        release(notice.eventPath);
        this.bus.emit('dropped', notice, reason ?? '');
        continue;
      }
      this.log.debug(`Re-emitting deferred ${notice.eventPath} (${index + 1} of ${notices.length}).`);
      const undo = this.#checkpoint();
      let event: EventBase;
      try {
        event = this.#restoreEvent(type, handle, json);
        this.bus.emit('emitted', event, true);
        await this.#call(observer, event);
      } catch (error) {
        // loadConfig / loadParams ended the hook on purpose: the whole dispatch rolls back.
        if (error instanceof HookAbort) throw error;
        undo();
        if (this.#recordFailure(notice, error)) parkedPaths.add(notice.eventPath);
        continue;
      }
      this.storage.releaseSavepoint();
      if (event.deferred) {
        if (notice.failures > 0) this.storage.setNoticeFailures(notice.sequence, 0, null);
        this.log.debug(
          `Deferring ${notice.eventPath} for ${notice.observerPath}.${notice.methodName} again.`,
        );
        this.bus.emit('deferred', event, notice.observerPath, notice.methodName);
      } else {
        this.#dropNotice(notice);
        release(notice.eventPath);
      }
    }
  }

  #checkpoint(): () => void {
    this.storage.savepoint();
    const restores = [...this.#checkpointables].map((c) => c.checkpoint());
    const eventCount = this.#loadEventCount();
    const persisted = this.#eventCountPersisted;
    return () => {
      this.storage.rollbackSavepoint();
      for (const restore of restores) restore();
      this.#eventCount = eventCount;
      this.#eventCountPersisted = persisted;
      this.#indexQueue(this.storage.notices());
    };
  }

  /** Returns true when the notice was parked. */
  #recordFailure(notice: StoredNotice, error: unknown): boolean {
    const failures = notice.failures + 1;
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.bus.emit('failed', notice, error);
    if (failures >= this.#failureLimit) {
      this.storage.setNoticeFailures(notice.sequence, failures, text);
      this.storage.parkNotice(notice.sequence, this.#now());
      this.#unindex(notice);
      this.log.error(
        `Parked deferred ${notice.eventPath} for ${notice.observerPath}.${notice.methodName} after ${failures} failed re-emissions; it will not run again unless requeued (charmkit state). Last error: ${text}`,
      );
      this.bus.emit('parked', notice);
      return true;
    }
    this.storage.setNoticeFailures(notice.sequence, failures, text);
    this.log.error(
      `Deferred ${notice.eventPath} for ${notice.observerPath}.${notice.methodName} failed (${failures} of ${this.#failureLimit} before it is parked); its changes were rolled back and it stays queued: ${text}`,
    );
    return false;
  }

  /** Rebuilds the collapse index from `notices`; returns the snapshots it read, by event path. */
  #indexQueue(notices: readonly StoredNotice[]): Map<string, string | null> {
    const index = new Map<string, number>();
    this.#keyBySequence = new Map();
    // One read for all of them when the storage can; else one per event path.
    const bulk: Map<string, string | null> | undefined =
      notices.length > 1 ? this.storage.noticeSnapshots?.() : undefined;
    const snapshots = new Map<string, string | null>();
    for (const notice of notices) {
      let json = snapshots.get(notice.eventPath);
      if (json === undefined) {
        json = bulk ? (bulk.get(notice.eventPath) ?? null) : this.storage.loadSnapshot(notice.eventPath);
        snapshots.set(notice.eventPath, json);
      }
      if (json === null) continue;
      const kindPath = notice.eventPath.slice(0, notice.eventPath.lastIndexOf('['));
      const key = `${notice.observerPath}\0${notice.methodName}\0${kindPath}\0${json}`;
      index.set(key, notice.sequence);
      this.#keyBySequence.set(notice.sequence, key);
    }
    this.#queuedKeys = index;
    return snapshots;
  }

  #queueIndex(): Map<string, number> {
    if (this.#queuedKeys === null) this.#indexQueue(this.storage.notices());
    return this.#queuedKeys as Map<string, number>;
  }

  #unindex(notice: StoredNotice): void {
    const key = this.#keyBySequence.get(notice.sequence);
    if (key === undefined) return;
    this.#keyBySequence.delete(notice.sequence);
    if (this.#queuedKeys?.get(key) === notice.sequence) this.#queuedKeys.delete(key);
  }

  #dropNotice(notice: StoredNotice): void {
    this.storage.dropNotice(notice.sequence);
    this.#unindex(notice);
  }

  /**
   * Ends the dispatch successfully: emits `preCommit` and `commit`, saves changed stored state,
   * flushes the model's buffered writes (one `relation-set` per changed databag, one
   * `status-set` each for unit and app), then commits storage.
   */
  async commit(): Promise<void> {
    this.bus.emit('committing');
    await this.on.preCommit.emit();
    await this.on.commit.emit();
    this.saveStoredState();
    this.model.flush();
    this.storage.commit();
  }

  /** @internal Writes changed stored state to storage (done at commit). */
  saveStoredState(): void {
    for (const save of this.#committers) save();
  }
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}
