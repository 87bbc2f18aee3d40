import type { ZodMiniType } from 'zod/mini';
import type { CharmMeta } from '../charm-meta.js';
import type { CharmTypes, UntypedCharm } from '../charm-types.js';
import { UnknownEndpointError } from '../errors.js';
import { NotLeaderError } from '../hook-tools/errors.js';
import { describe, ENDPOINT_NAME } from '../hook-tools/validate.js';
import { unknownNameMessage } from '../internal/closest-name.js';
import { actionParamsSchema, validateActionParams } from './action-params.js';
import { Application } from './application.js';
import { validateConfig } from './config-schema.js';
import { Container } from './container.js';
import type { CloudSpec, ConfigValue, GoalState, ModelBackend, SecretOwner } from './model-backend.js';
import {
  InvalidStatusError,
  ModelError,
  SecretValidationError,
  TooManyRelatedAppsError,
} from './model-errors.js';
import { Binding } from './network.js';
import { PortWrites } from './port.js';
import { Relation } from './relation.js';
import { RelationDataBag } from './relation-data-bag.js';
import { Resources } from './resources.js';
import { Secret } from './secret.js';
import {
  canonicalSecretId,
  checkSecretContent,
  type SecretContent,
  type SecretMetadata,
  secretMetadataArgs,
} from './secret-rules.js';
import { SecretWrites } from './secret-writes.js';
import { type SettableStatus, StatusBase } from './status.js';
import { StorageInstance } from './storage-instance.js';
import type { ActionNameArg, ModelActionParams, ModelConfig, RelationOf } from './typed-names.js';
import { Unit } from './unit.js';

/** Which secret `model.getSecret()` looks up: by id, by label, or by id assigning a label. */
export type SecretLookup =
  | { readonly id: string; readonly label?: string }
  | { readonly id?: string; readonly label: string };

/** What the model knows about the hook it runs in, from the `JUJU_*` environment. */
export interface ModelContext {
  readonly unitName: string;
  readonly modelName?: string;
  readonly modelUuid?: string;
  /** The relation of this hook, if it is a relation hook. */
  readonly relationId?: number | null;
  /** In relation-broken: the relation that is going away. It is hidden from {@link Model.relations}. */
  readonly brokenRelationId?: number | null;
  /** In relation-departed/broken: the remote unit, added to the relation's units so its data stays readable. */
  readonly remoteUnitName?: string | null;
  /** `JUJU_REMOTE_APP` of a relation hook. */
  readonly remoteAppName?: string | null;
  /** In an action: its name (some tools, e.g. `juju-reboot`, are refused there). */
  readonly actionName?: string | null;
  /** `JUJU_VERSION`; decides Juju-version defaults such as actions' `additionalProperties`. */
  readonly jujuVersion?: string;
}

/**
 * The charm's view of Juju for one hook: its unit and application, relations and their data,
 * config and status, secrets, ports, network bindings, storage, resources and goal state.
 * Everything is read lazily and cached for the hook; writes are checked at once and, where Juju
 * only applies them when the hook succeeds, buffered until {@link Model.flush} at commit.
 *
 * @typeParam T - The charm's {@link CharmTypes}, as `charmkit typegen` writes them: a charm's
 * `this.model` is a `Model<T>` of its `CharmBase<T>`, so relation endpoints, container, storage
 * and action names must be declared ones and action parameters and config are typed. The default,
 * {@link UntypedCharm}, takes any name (still checked against the metadata at run time).
 */
export class Model<T extends CharmTypes = UntypedCharm> {
  readonly unitName: string;
  readonly appName: string;
  readonly name: string;
  readonly uuid: string;
  /** The own unit. */
  readonly unit: Unit<T>;
  /** The own application. */
  readonly app: Application;
  /** The charm's resources (`resources.fetch(name)`). */
  readonly resources: Resources;
  /** @internal Buffered secret writes. */
  readonly secretWrites = new SecretWrites();
  /** @internal Buffered port changes. */
  readonly ports = new PortWrites();

  readonly #units = new Map<string, Unit<T>>();
  readonly #apps = new Map<string, Application>();
  readonly #relations = new Map<string, Relation[]>();
  readonly #relationsById = new Map<number, Relation>();
  readonly #bags = new Map<string, RelationDataBag>();
  readonly #containers = new Map<string, Container>();
  #leader: boolean | null = null;
  #config: Readonly<Record<string, ConfigValue>> | null = null;
  #pendingStatus: { unit: SettableStatus | null; app: SettableStatus | null } = { unit: null, app: null };
  readonly #knownStatus: { unit: StatusBase | null; app: StatusBase | null } = { unit: null, app: null };
  readonly #bindings = new Map<string, Binding>();
  readonly #storages = new Map<string, readonly StorageInstance[]>();
  readonly #storageLocations = new Map<string, string>();
  #storageRequests = new Map<string, number>();
  #reboot = false;
  #goalState: GoalState | null = null;
  #cloudSpec: CloudSpec | null = null;
  readonly #actionSchemas = new Map<string, ZodMiniType<Record<string, unknown>>>();
  readonly #actionParams = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(
    readonly meta: CharmMeta,
    readonly backend: ModelBackend,
    readonly context: ModelContext,
  ) {
    this.unitName = context.unitName;
    this.appName = context.unitName.split('/')[0] as string;
    this.name = context.modelName ?? '';
    this.uuid = context.modelUuid ?? '';
    this.app = this.getApp(this.appName);
    this.unit = this.getUnit(this.unitName);
    this.resources = new Resources(meta, backend);
  }

  /**
   * This model as the untyped `Model` its parts (relations, applications, secrets) hold. A
   * `Model<T>` is one (callers can assign it), but inside its own class TypeScript compares it
   * member by member and cannot tell.
   */
  get #untyped(): Model {
    return this as unknown as Model;
  }

  /** The unit called `name` (same object for the same name within a hook). */
  getUnit(name: string): Unit<T> {
    let unit = this.#units.get(name);
    if (!unit) {
      unit = new Unit<T>(this, name, this.getApp(name.split('/')[0] as string));
      this.#units.set(name, unit);
    }
    return unit;
  }

  /** The application called `name`. */
  getApp(name: string): Application {
    let app = this.#apps.get(name);
    if (!app) {
      app = new Application(this.#untyped, name);
      this.#apps.set(name, app);
    }
    return app;
  }

  /** The own unit's workload container `name` (same object within a hook). */
  container(name: T['containers']): Container {
    let container = this.#containers.get(name);
    if (!container) {
      if (!this.meta.containers.has(name)) {
        const known = [...this.meta.containers.keys()];
        throw new UnknownEndpointError(
          `no container ${JSON.stringify(name)} in metadata (known: ${known.length ? known.join(', ') : 'none'})`,
        );
      }
      container = new Container(name, this.backend.pebble(name));
      this.#containers.set(name, container);
    }
    return container;
  }

  /** @internal Whether the own unit leads; one `is-leader` per hook. */
  isLeader(): boolean {
    this.#leader ??= this.backend.isLeader();
    return this.#leader;
  }

  /**
   * The charm's configuration (one `config-get` on first read), checked against the options
   * declared in config.yaml, with their defaults filled in.
   *
   * @throws {ConfigError} a value does not match its declared type.
   */
  get config(): ModelConfig<T> {
    this.#config ??= Object.freeze(validateConfig(this.meta.config, this.backend.configGet()));
    return this.#config as ModelConfig<T>;
  }

  /** The live relations on `endpoint` (in relation-broken, without the broken one). */
  relations<E extends T['relations']>(endpoint: E): readonly RelationOf<T, E>[] {
    this.#checkEndpoint(endpoint);
    let list = this.#relations.get(endpoint);
    if (!list) {
      list = this.backend
        .relationIds(endpoint)
        .filter((id) => id !== this.context.brokenRelationId)
        .map((id) => this.#relationFor(endpoint, id, true));
      this.#relations.set(endpoint, list);
    }
    return list as readonly Relation[] as readonly RelationOf<T, E>[];
  }

  /**
   * The relation on `endpoint`: with `id`, that one (an inactive {@link Relation} when Juju no
   * longer lists it, so data of a broken relation can still be reached); without, the only one,
   * or null when there is none.
   */
  getRelation<E extends T['relations']>(endpoint: E, id?: number): RelationOf<T, E> | null {
    this.#checkEndpoint(endpoint);
    if (id !== undefined) {
      // A known id comes back as it is, even one on another endpoint (then its `name` is not `E`).
      const known = this.#relationsById.get(id);
      if (known) return known as RelationOf<T, E>;
      const live = this.relations(endpoint).find((r) => r.id === id);
      if (live) return live;
      // Not listed: gone, or the broken relation of this hook (whose data Juju still lets us
      // read). Either way inactive, as in ops.
      return this.#relationFor(endpoint, id, false) as RelationOf<T, E>;
    }
    const all = this.relations(endpoint);
    if (all.length > 1) {
      throw new TooManyRelatedAppsError(
        `${all.length} relations on ${endpoint} (${all.join(', ')}); pass the id`,
      );
    }
    return all[0] ?? null;
  }

  #relationFor(endpoint: string, id: number, active: boolean): Relation {
    let relation = this.#relationsById.get(id);
    if (!relation) {
      relation = new Relation(this.#untyped, endpoint, id, active);
      this.#relationsById.set(id, relation);
    }
    return relation;
  }

  #checkEndpoint(endpoint: string): void {
    if (!this.meta.relations.has(endpoint)) {
      const known = [...this.meta.relations.keys()];
      throw new UnknownEndpointError(
        `no relation endpoint ${JSON.stringify(endpoint)} in metadata (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
  }

  /**
   * The secret with this id and/or label, its content read at once (`secret-get`) so that a
   * missing or inaccessible secret fails here (`SecretNotFoundError`), not later. With both, Juju
   * (re)assigns the label to the secret.
   */
  getSecret(lookup: SecretLookup): Secret {
    const { id, label } = (lookup ?? {}) as { id?: unknown; label?: unknown };
    if (id === undefined && label === undefined) {
      throw new SecretValidationError('getSecret() needs an id, a label, or both');
    }
    const canonical = id === undefined ? undefined : canonicalSecretId(id, this.uuid);
    if (label !== undefined && (typeof label !== 'string' || label.trim() === '')) {
      throw new SecretValidationError(`a secret label must be a non-empty string, got ${describe(label)}`);
    }
    const content = this.backend.secretGet({
      ...(canonical === undefined ? {} : { id: canonical }),
      ...(label === undefined ? {} : { label: label as string }),
    });
    return new Secret(canonical ?? null, (label as string | undefined) ?? null, this.#untyped, content);
  }

  /** @internal `unit.addSecret()` / `app.addSecret()`. */
  addSecret(owner: SecretOwner, content: SecretContent, options: SecretMetadata): Secret {
    const checked = checkSecretContent(content);
    const args = secretMetadataArgs(options, Date.now());
    if (owner === 'application' && !this.isLeader()) {
      throw new NotLeaderError(
        `secret-add: ${this.unitName} is not the leader; only the leader can add application-owned secrets (use unit.addSecret() for a unit-owned one)`,
        { tool: 'secret-add', args: [], exitCode: null, stderr: '' },
      );
    }
    // Not buffered, unlike other secret writes: the charm needs the URI now, and Juju drops the
    // secret itself if the hook fails (see SecretWrites).
    const uri = this.backend.secretAdd(checked, { ...args, owner });
    const id = canonicalSecretId(uri.trim(), this.uuid);
    this.secretWrites.owners.set(id, owner);
    return new Secret(id, args.label ?? null, this.#untyped, checked);
  }

  /**
   * The network binding of an endpoint (or extra-binding) name, or of a relation (whose addresses
   * may differ, e.g. across models). Its `network` is read lazily with `network-get`.
   */
  getBinding(endpointOrRelation: string | Relation): Binding {
    const isRelation = endpointOrRelation instanceof Relation;
    const name = isRelation ? endpointOrRelation.name : endpointOrRelation;
    if (typeof name !== 'string' || !ENDPOINT_NAME.test(name)) {
      throw new ModelError(`getBinding() needs an endpoint name or a Relation, got ${describe(name)}`);
    }
    const relationId = isRelation ? endpointOrRelation.id : null;
    const key = `${name}\0${relationId ?? ''}`;
    let binding = this.#bindings.get(key);
    if (!binding) {
      binding = new Binding(this.backend, name, relationId);
      this.#bindings.set(key, binding);
    }
    return binding;
  }

  #checkStorage(name: string): void {
    if (!this.meta.storages.has(name)) {
      throw new UnknownEndpointError(unknownNameMessage('storage', name, [...this.meta.storages.keys()]));
    }
  }

  /** The attached instances of storage `name` (`storage-list`, once per hook); locations read lazily. */
  storages(name: T['storages']): readonly StorageInstance[] {
    this.#checkStorage(name);
    let list = this.#storages.get(name);
    if (!list) {
      list = this.backend.storageList(name).map((id) => {
        const index = Number(id.slice(id.lastIndexOf('/') + 1));
        return new StorageInstance(name, index, null, (storageId) => this.#storageLocation(storageId));
      });
      this.#storages.set(name, list);
    }
    return list;
  }

  #storageLocation(id: string): string {
    let location = this.#storageLocations.get(id);
    if (location === undefined) {
      location = this.backend.storageGet(id).location;
      this.#storageLocations.set(id, location);
    }
    return location;
  }

  /**
   * Asks for `count` more instances of storage `name` (`storage-add`, buffered: Juju adds storage
   * only when the hook succeeds; each then gets `<name>-storage-attached`).
   */
  requestStorage(name: T['storages'], count = 1): void {
    this.#checkStorage(name);
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
      throw new ModelError(
        `requestStorage(${JSON.stringify(name)}) needs a positive integer count, got ${describe(count)}`,
      );
    }
    this.#storageRequests.set(name, (this.#storageRequests.get(name) ?? 0) + count);
  }

  /** Where this application and its relations are heading (`goal-state`, once per hook). */
  goalState(): GoalState {
    this.#goalState ??= this.backend.goalState();
    return this.#goalState;
  }

  /** The cloud the model runs on, with its credential (`credential-get`; needs `juju trust`). */
  cloudSpec(): CloudSpec {
    this.#cloudSpec ??= this.backend.credentialGet();
    return this.#cloudSpec;
  }

  /**
   * The parameters of action `actionName` (`action-get`, once per hook), checked against its
   * schema in actions.yaml, with defaults applied.
   *
   * @throws {ActionParamsError} a parameter does not match, naming it.
   */
  actionParams<N extends string>(actionName: ActionNameArg<T, N>): ModelActionParams<T, N> {
    const action = this.meta.actions.get(actionName);
    if (!action) {
      throw new UnknownEndpointError(unknownNameMessage('action', actionName, [...this.meta.actions.keys()]));
    }
    let params = this.#actionParams.get(actionName);
    if (!params) {
      let schema = this.#actionSchemas.get(actionName);
      if (!schema) {
        schema = actionParamsSchema(action, this.context.jujuVersion);
        this.#actionSchemas.set(actionName, schema);
      }
      params = Object.freeze(validateActionParams(action, this.backend.actionGet(), schema));
      this.#actionParams.set(actionName, params);
    }
    // The schema from actions.yaml checked them: they are what the generated types promise.
    return params as ModelActionParams<T, N>;
  }

  /** @internal `unit.reboot()`. */
  requestReboot(now: boolean): void {
    if (this.context.actionName) {
      throw new ModelError(`juju-reboot is not allowed in actions (running ${this.context.actionName})`);
    }
    // With `now`, Juju kills the hook at once, so there is nothing to buffer for.
    if (now) this.backend.reboot(true);
    else this.#reboot = true;
  }

  /** @internal The remote app of a relation, when Juju can tell. */
  remoteAppFor(relationId: number): string | null {
    if (relationId === this.context.relationId && this.context.remoteAppName)
      return this.context.remoteAppName;
    return this.backend.relationRemoteApp(relationId);
  }

  /** @internal The departing unit to add to the hook's relation's units. */
  extraUnitFor(relationId: number): string | null {
    return relationId === this.context.relationId ? (this.context.remoteUnitName ?? null) : null;
  }

  /** @internal The databag of `member` in `relation`, with Juju's access rules. */
  bagFor(relation: Relation, member: Unit | Application): RelationDataBag {
    const isApp = member instanceof Application;
    const key = `${relation.id}\0${isApp ? 'app' : 'unit'}\0${member.name}`;
    let bag = this.#bags.get(key);
    if (!bag) {
      const where = `relation ${relation}`;
      bag = new RelationDataBag(this.backend, relation.id, member.name, isApp, {
        readDenied: () =>
          isApp && member.isOwn && !relation.isPeer && !this.isLeader()
            ? `${this.unitName} is not the leader and cannot read its own application's data in ${where} (only peer relations allow that)`
            : null,
        writeDenied: () => {
          if (!member.isOwn)
            return `cannot write the data of remote ${isApp ? 'application' : 'unit'} ${member.name} in ${where}`;
          if (isApp && !this.isLeader())
            return `${this.unitName} is not the leader and cannot write application data in ${where}`;
          return null;
        },
      });
      this.#bags.set(key, bag);
    }
    return bag;
  }

  /** @internal The status to report for the unit or app (pending writes first). */
  statusOf(isApp: boolean): StatusBase {
    const which = isApp ? 'app' : 'unit';
    const pending = this.#pendingStatus[which];
    if (pending) return pending;
    let known = this.#knownStatus[which];
    if (!known) {
      const { status, message } = this.backend.statusGet(isApp);
      known = StatusBase.fromName(status, message);
      this.#knownStatus[which] = known;
    }
    return known;
  }

  /** @internal Buffers a status write. */
  setStatus(isApp: boolean, status: SettableStatus): void {
    if (isApp && !this.isLeader())
      throw new InvalidStatusError(`only the leader can set the application status`);
    this.#pendingStatus = { ...this.#pendingStatus, [isApp ? 'app' : 'unit']: status };
  }

  /**
   * Sends every buffered write: port changes, one `storage-add`, secret writes, one
   * `relation-set` per changed databag, a `juju-reboot`, then at most one `status-set` for the
   * unit and one for the application (last, as Juju does not roll status back if a write before
   * it fails). Called by the framework at commit; never when the hook fails, when Juju would
   * discard these writes anyway.
   */
  flush(): void {
    this.ports.flush(this.backend);
    if (this.#storageRequests.size > 0) {
      const requests = Object.fromEntries(this.#storageRequests);
      this.#storageRequests = new Map();
      this.backend.storageAdd(requests);
    }
    this.secretWrites.flush(this.backend);
    for (const bag of this.#bags.values()) {
      const changes = bag.pendingChanges();
      if (changes) this.backend.relationSet(bag.relationId, changes, bag.isApp);
      bag.markFlushed();
    }
    if (this.#reboot) {
      this.#reboot = false;
      this.backend.reboot(false);
    }
    const { unit, app } = this.#pendingStatus;
    if (unit) this.backend.statusSet(unit.name, unit.message, false);
    if (app) this.backend.statusSet(app.name, app.message, true);
    this.#pendingStatus = { unit: null, app: null };
  }

  /** Captures the buffered writes; the returned function puts them back (failed deferred handlers). */
  checkpoint(): () => void {
    const bags = [...this.#bags.values()].map((bag) => bag.checkpoint());
    const known = new Set(this.#bags.values());
    const status = this.#pendingStatus;
    const secrets = this.secretWrites.checkpoint();
    const ports = this.ports.checkpoint();
    const storageRequests = new Map(this.#storageRequests);
    const reboot = this.#reboot;
    return () => {
      secrets();
      ports();
      this.#storageRequests = new Map(storageRequests);
      this.#reboot = reboot;
      for (const undo of bags) undo();
      // Bags first touched after the checkpoint lose their writes too.
      for (const [key, bag] of this.#bags) if (!known.has(bag)) this.#bags.delete(key);
      this.#pendingStatus = status;
    };
  }
}
