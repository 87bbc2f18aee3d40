import { Endpoint, type Reactive } from '@charmkit/reactive';

/** The fields a pgsql provider publishes. */
const FIELDS = ['host', 'port', 'user', 'password'] as const;

/**
 * The seed's relation stub, requires side of the `pgsql` interface: asks for a database when the
 * first provider unit joins, and raises `<name>.database.available` while the provider has
 * published everything a connection needs (`<name>.database.available` is the flag the charm
 * reacts to; `endpoint.<name>.*` are the automatic ones it reacts to itself).
 */
export class PgsqlRequires extends Endpoint {
  static override readonly handleKind = 'PgsqlRequires';

  constructor(
    reactive: Reactive,
    name: string,
    /** The database to ask for. */
    readonly database: string,
  ) {
    super(reactive, name);
    this.when([this.flag('joined')], this.requestDatabase, { whenNone: this.#requested });
    this.when([this.flag('changed')], this.updateAvailable);
    this.whenNot([this.flag('joined')], this.forget, { whenAny: [this.#requested, this.#available] });
  }

  get #requested(): string {
    return `${this.name}.database.requested`;
  }

  get #available(): string {
    return `${this.name}.database.available`;
  }

  /** Joined: tell the provider which database we want. */
  requestDatabase(): void {
    this.publish({ database: this.database });
    this.reactive.flags.set(this.#requested);
  }

  /** The provider's data changed: available when it is complete. Consumes the changed flags. */
  updateAvailable(): void {
    this.reactive.flags.toggle(
      this.#available,
      FIELDS.every((f) => this.received(f) !== undefined),
    );
    this.clearChanged();
  }

  /** Every provider unit left: start over. */
  forget(): void {
    this.reactive.flags.clear(this.#requested);
    this.reactive.flags.clear(this.#available);
  }

  /** `postgresql://user:password@host:port/database`, or null while not available. */
  connectionString(): string | null {
    const [host, port, user, password] = FIELDS.map((f) => this.received(f));
    if (!host || !port || !user || !password) return null;
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${this.database}`;
  }
}
