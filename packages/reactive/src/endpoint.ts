import { createHash } from 'node:crypto';
import {
  OpsObject,
  type Relation,
  RelationBrokenEvent,
  RelationDepartedEvent,
  RelationEvent,
  type RelationMeta,
  type Unit,
  UnknownEndpointError,
} from '@charmkit/ops';
import type { FlagConditions } from './conditions.js';
import { Conversation } from './conversation.js';
import { FlagNameError } from './errors.js';
import { checkFlagName } from './flag-name.js';
import type { HandlerOptions, ReactiveHandler } from './handler-spec.js';
import type { Reactive } from './reactive.js';

// Separates relation id, member and key in stored hash keys; none of them can contain it.
const SEP = '\u0000';

/**
 * One relation endpoint of the charm, with charms.reactive's automatic flags and helpers for the
 * conversation with the remote side. Subclass it per interface, once for each side (requires,
 * provides), and register the interface's handlers in the constructor:
 *
 * ```ts
 * class PgsqlRequires extends Endpoint {
 *   static override readonly handleKind = 'PgsqlRequires';
 *   constructor(reactive: Reactive, name: string) {
 *     super(reactive, name);
 *     this.when([this.flag('changed')], this.updateAvailable);
 *   }
 *   updateAvailable(): void {
 *     this.reactive.flags.toggle(`${this.name}.database.available`, this.received('host') !== undefined);
 *     this.clearChanged();
 *   }
 * }
 * ```
 *
 * Automatic flags, refreshed before the hook phase of every dispatch:
 * - `endpoint.<name>.joined`: some remote unit has joined (set or cleared every dispatch);
 * - `endpoint.<name>.changed` and `endpoint.<name>.changed.<key>`: in this endpoint's relation
 *   hooks, a remote unit's or application's value for `key` differs from the last one seen
 *   (hashes kept in storage). Never cleared automatically: the handler that consumes them does;
 * - `endpoint.<name>.departed`: a remote unit departed; {@link Endpoint.departedUnits} says which.
 *   Never cleared automatically either ({@link Endpoint.clearDeparted}), so no handler can miss it.
 */
export class Endpoint extends OpsObject {
  static override readonly handleKind: string = 'Endpoint';

  /** The endpoint name from metadata. */
  readonly name: string;
  /** Its metadata: role, interface, limit. */
  readonly meta: RelationMeta;
  /** The reactive layer it belongs to. */
  readonly reactive: Reactive;

  readonly #stored: { data: Record<string, string>; departed: string[] };

  constructor(reactive: Reactive, name: string) {
    super(reactive, name);
    const meta = reactive.framework.meta.relations.get(name);
    if (!meta) {
      const known = [...reactive.framework.meta.relations.keys()];
      throw new UnknownEndpointError(
        `no relation endpoint ${JSON.stringify(name)} in the charm's metadata (known: ${known.join(', ') || 'none'})`,
      );
    }
    this.name = name;
    this.meta = meta;
    this.reactive = reactive;
    this.#stored = this.storedState('endpoint', {
      data: {} as Record<string, string>,
      departed: [] as string[],
    });
    reactive.registerEndpoint(this);
  }

  /** `endpoint.<name>.<suffix>`: `this.flag('joined')`. */
  flag(suffix: string): string {
    return checkFlagName(`endpoint.${this.name}.${suffix}`);
  }

  /** Whether `endpoint.<name>.<suffix>` is set. */
  isSet(suffix: string): boolean {
    return this.reactive.flags.isSet(this.flag(suffix));
  }

  /** The live relations on this endpoint. */
  get relations(): readonly Relation[] {
    return this.framework.model.relations(this.name);
  }

  /** One conversation per live relation. */
  conversations(): Conversation[] {
    const departing = this.#departingUnit();
    return this.relations.map(
      (relation) =>
        new Conversation(
          relation,
          [...relation.units].filter((u) => u.name !== departing).sort((a, b) => (a.name < b.name ? -1 : 1)),
        ),
    );
  }

  /** Every remote unit that has joined, over all relations (a departing one left out). */
  joinedUnits(): Unit[] {
    return this.conversations().flatMap((c) => [...c.units]);
  }

  /** The first value published for `key` (remote application first, then units by name), over all relations. */
  received(key: string): string | undefined {
    for (const conversation of this.conversations()) {
      const value = conversation.received(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Writes this unit's databag in every relation of the endpoint; sent at commit. */
  publish(values: Readonly<Record<string, string | null | undefined>>): void {
    for (const conversation of this.conversations()) conversation.publish(values);
  }

  /** Writes this application's databag in every relation (leader only); sent at commit. */
  publishApp(values: Readonly<Record<string, string | null | undefined>>): void {
    for (const conversation of this.conversations()) conversation.publishApp(values);
  }

  /** Units that departed since {@link Endpoint.clearDeparted} was last called. */
  departedUnits(): string[] {
    return [...this.#stored.departed];
  }

  /** Forgets the departed units and clears `endpoint.<name>.departed`. */
  clearDeparted(): void {
    this.#stored.departed = [];
    this.reactive.flags.clear(this.flag('departed'));
  }

  /** Clears `endpoint.<name>.changed` and every `endpoint.<name>.changed.<key>`. */
  clearChanged(): void {
    const prefix = `${this.flag('changed')}.`;
    for (const flag of this.reactive.flags.stored()) {
      if (flag.startsWith(prefix)) this.reactive.flags.clear(flag);
    }
    this.reactive.flags.clear(this.flag('changed'));
  }

  // ---- handler registration, owned by this endpoint ----------------------------------------

  /** Like {@link Reactive.when}, with `this` bound to the endpoint and the name prefixed `<name>.`. */
  protected when(conditions: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.reactive.when(conditions, handler, this.#own(handler, options));
  }

  /** Like {@link Reactive.whenNot}, owned by this endpoint. */
  protected whenNot(flags: FlagConditions, handler: ReactiveHandler, options: HandlerOptions = {}): void {
    this.reactive.whenNot(flags, handler, this.#own(handler, options));
  }

  /** Like {@link Reactive.whenAny}, owned by this endpoint. */
  protected whenAny(
    conditions: FlagConditions,
    handler: ReactiveHandler,
    options: HandlerOptions = {},
  ): void {
    this.reactive.whenAny(conditions, handler, this.#own(handler, options));
  }

  /** Like {@link Reactive.register}, owned by this endpoint. */
  protected register(options: HandlerOptions, handler: ReactiveHandler): void {
    this.reactive.register(this.#own(handler, options), handler);
  }

  #own(handler: ReactiveHandler, options: HandlerOptions): HandlerOptions {
    return { ...options, owner: options.owner ?? this, name: `${this.name}.${options.name ?? handler.name}` };
  }

  // ---- automatic flags ----------------------------------------------------------------------

  /** @internal Called by the loop before the hook phase. */
  refreshFlags(): void {
    const flags = this.reactive.flags;
    const event = this.reactive.hookEvent;
    const own = event instanceof RelationEvent && event.relation.name === this.name ? event : null;
    flags.toggle(this.flag('joined'), this.joinedUnits().length > 0);
    if (own === null) return;
    const departing = this.#departingUnit();
    if (
      own instanceof RelationDepartedEvent &&
      departing !== null &&
      departing !== this.framework.model.unitName
    ) {
      if (!this.#stored.departed.includes(departing))
        this.#stored.departed = [...this.#stored.departed, departing];
      this.#forget(own.relation.id, departing);
      flags.set(this.flag('departed'));
    }
    if (own instanceof RelationBrokenEvent) {
      this.#forget(own.relation.id, null);
      return;
    }
    const changed = this.#diff(own.relation);
    if (changed.length === 0) return;
    flags.set(this.flag('changed'));
    for (const key of changed) {
      try {
        flags.set(this.flag(`changed.${key}`));
      } catch (error) {
        // A key that cannot be a flag name still counts in `changed`.
        if (!(error instanceof FlagNameError)) throw error;
      }
    }
  }

  /** Keys whose values differ from the stored hashes, over the relation's remote members. */
  #diff(relation: Relation): string[] {
    const conversation = this.conversations().find((c) => c.relation.id === relation.id);
    if (!conversation) return [];
    const members: { name: string; bag: Map<string, string> }[] = conversation.units.map((unit) => ({
      name: unit.name,
      bag: new Map(relation.data(unit).entries()),
    }));
    const app = relation.app;
    if (app && !relation.isPeer) members.push({ name: app.name, bag: new Map(relation.data(app).entries()) });
    const data = { ...this.#stored.data };
    const changed = new Set<string>();
    for (const { name, bag } of members) {
      const prefix = `${relation.id}${SEP}${name}${SEP}`;
      for (const [key, value] of bag) {
        // A hash, not the value: databags carry passwords, which the unit state must not.
        const hash = createHash('sha256').update(value).digest('hex').slice(0, 32);
        if (data[prefix + key] !== hash) {
          data[prefix + key] = hash;
          changed.add(key);
        }
      }
      for (const stored of Object.keys(data)) {
        if (stored.startsWith(prefix) && !bag.has(stored.slice(prefix.length))) {
          delete data[stored];
          changed.add(stored.slice(prefix.length));
        }
      }
    }
    if (changed.size > 0) this.#stored.data = data;
    return [...changed].sort();
  }

  /** Drops stored hashes of one member (or of the whole relation). */
  #forget(relationId: number, member: string | null): void {
    const prefix = member === null ? `${relationId}${SEP}` : `${relationId}${SEP}${member}${SEP}`;
    const data = Object.fromEntries(Object.entries(this.#stored.data).filter(([k]) => !k.startsWith(prefix)));
    if (Object.keys(data).length !== Object.keys(this.#stored.data).length) this.#stored.data = data;
  }

  #departingUnit(): string | null {
    const event = this.reactive.hookEvent;
    if (!(event instanceof RelationDepartedEvent) || event.relation.name !== this.name) return null;
    return (event.departingUnit ?? event.unit)?.name ?? null;
  }
}
