/** A reference to a Juju secret, by id (canonical `secret://<model>/<xid>` or `secret:<xid>`) and/or label. */
export class Secret {
  constructor(
    readonly id: string | null,
    readonly label: string | null,
  ) {}

  toString(): string {
    return this.id ?? `label:${this.label}`;
  }
}
