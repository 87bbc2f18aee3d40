import { Endpoint, type Reactive } from '../../src/index.js';

/**
 * The requires side of a small pgsql interface: asks for a database on join, raises
 * `<name>.database.available` once the provider answered with a host and credentials.
 */
export class PgsqlRequires extends Endpoint {
  static override readonly handleKind = 'PgsqlRequires';

  constructor(reactive: Reactive, name: string) {
    super(reactive, name);
    this.when([this.flag('joined')], this.requestDatabase, { whenNone: `${name}.database.requested` });
    this.when([this.flag('changed')], this.updateAvailable);
    this.whenNot([this.flag('joined')], this.reset, {
      whenAny: [`${name}.database.requested`, `${name}.database.available`],
    });
  }

  requestDatabase(): void {
    this.publish({ database: 'app' });
    this.reactive.flags.set(`${this.name}.database.requested`);
  }

  updateAvailable(): void {
    const complete = ['host', 'port', 'user', 'password'].every((k) => this.received(k) !== undefined);
    this.reactive.flags.toggle(`${this.name}.database.available`, complete);
    this.clearChanged();
  }

  reset(): void {
    this.reactive.flags.clear(`${this.name}.database.requested`);
    this.reactive.flags.clear(`${this.name}.database.available`);
  }

  /** `postgresql://user:password@host:port/app`, or null while not available. */
  connectionString(): string | null {
    const [host, port, user, password] = ['host', 'port', 'user', 'password'].map((k) => this.received(k));
    if (!host || !port || !user || !password) return null;
    return `postgresql://${user}:${password}@${host}:${port}/app`;
  }
}

/** The provides side: answers every relation that asked for a database. */
export class PgsqlProvides extends Endpoint {
  static override readonly handleKind = 'PgsqlProvides';
  readonly answered: string[] = [];

  constructor(reactive: Reactive, name: string) {
    super(reactive, name);
    this.when([this.flag('changed.database')], this.answer);
  }

  answer(): void {
    for (const conversation of this.conversations()) {
      const database = conversation.received('database');
      if (database === undefined) continue;
      conversation.publish({
        host: '10.0.0.9',
        port: '5432',
        user: `u${conversation.relation.id}`,
        password: 'pw',
      });
      this.answered.push(`${conversation.relation.id}:${database}`);
    }
    this.reactive.flags.clear(this.flag('changed.database'));
  }
}
