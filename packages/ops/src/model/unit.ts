import type { CharmTypes, UntypedCharm } from '../charm-types.js';
import type { Application } from './application.js';
import type { Container } from './container.js';
import type { Model } from './model.js';
import { InvalidStatusError, ModelError } from './model-errors.js';
import {
  makePort,
  normalisePort,
  type Port,
  type PortNumberOrRange,
  type PortProtocol,
  portKey,
} from './port.js';
import type { Secret } from './secret.js';
import type { SecretContent, SecretMetadata } from './secret-rules.js';
import { SETTABLE, type SettableStatus, StatusBase, UnknownStatus } from './status.js';

/**
 * A unit: this charm's own unit, a peer, or a unit of a related application.
 *
 * @typeParam T - The charm's {@link CharmTypes}: with generated types, {@link Unit.container}
 * takes only declared container names. The default takes any name.
 */
export class Unit<T extends CharmTypes = UntypedCharm> {
  constructor(
    private readonly model: Model<T>,
    /** e.g. `redis/0`. */
    readonly name: string,
    /** The unit's application. */
    readonly app: Application,
  ) {}

  /** True for the unit this hook runs on. */
  get isOwn(): boolean {
    return this.name === this.model.unitName;
  }

  /** Whether this (own) unit is the leader. Asked once per hook (`is-leader`), then cached. */
  isLeader(): boolean {
    if (!this.isOwn) throw new ModelError(`isLeader() is only known for the own unit, not ${this.name}`);
    return this.model.isLeader();
  }

  /**
   * The unit's status. Setting it is buffered: one `status-set` is sent at commit, however many
   * times it is set. Other units' statuses read as unknown.
   */
  get status(): StatusBase {
    if (!this.isOwn) return new UnknownStatus();
    return this.model.statusOf(false);
  }

  set status(status: SettableStatus) {
    if (!this.isOwn)
      throw new InvalidStatusError(`cannot set the status of ${this.name}: only the own unit's`);
    if (!(status instanceof StatusBase) || !SETTABLE.has((status as StatusBase).name)) {
      throw new InvalidStatusError(
        `a unit status must be Active, Blocked, Maintenance or Waiting, got ${String(status)}`,
      );
    }
    this.model.setStatus(false, status);
  }

  /** The workload container `name` of this (own) unit, checked against metadata. */
  container(name: T['containers']): Container {
    if (!this.isOwn) throw new ModelError(`containers are only reachable on the own unit, not ${this.name}`);
    return this.model.container(name);
  }

  /** Sets the workload version shown by `juju status` (`application-version-set`). */
  setWorkloadVersion(version: string): void {
    if (!this.isOwn) throw new ModelError(`cannot set the workload version of ${this.name}`);
    this.model.backend.applicationVersionSet(version);
  }

  #requireOwn(what: string): void {
    if (!this.isOwn) throw new ModelError(`${what} is only possible for the own unit, not ${this.name}`);
  }

  /**
   * Creates a secret owned by this unit (`secret-add --owner unit`), readable at once. Content and
   * metadata are checked before anything runs.
   */
  addSecret(content: SecretContent, options: SecretMetadata = {}): Secret {
    this.#requireOwn('addSecret()');
    return this.model.addSecret('unit', content, options);
  }

  /**
   * Opens a port, a range (`[from, to]`) or ICMP when the hook commits (buffered, as Juju applies
   * port changes only then).
   */
  openPort(protocol: 'icmp'): void;
  openPort(protocol: 'tcp' | 'udp', port: PortNumberOrRange): void;
  openPort(protocol: PortProtocol, port?: PortNumberOrRange): void {
    const spec = makePort(protocol, port);
    this.#requireOwn('openPort()');
    this.model.ports.change(spec, true);
  }

  /** Closes a port, range or ICMP when the hook commits (buffered). */
  closePort(protocol: 'icmp'): void;
  closePort(protocol: 'tcp' | 'udp', port: PortNumberOrRange): void;
  closePort(protocol: PortProtocol, port?: PortNumberOrRange): void {
    const spec = makePort(protocol, port);
    this.#requireOwn('closePort()');
    this.model.ports.change(spec, false);
  }

  /**
   * The ports open once this hook commits: what committed hooks opened (`opened-ports`, once per
   * hook) with this hook's pending changes applied. Sorted tcp, udp, icmp.
   */
  openedPorts(): Port[] {
    this.#requireOwn('openedPorts()');
    return this.model.ports.view(this.model.backend);
  }

  /**
   * Makes exactly `ports` open (a number means TCP): opens the missing ones and closes the others,
   * as a diff against {@link Unit.openedPorts}.
   */
  setPorts(...ports: readonly (number | Port)[]): void {
    const wanted = ports.map(normalisePort);
    this.#requireOwn('setPorts()');
    const wantedKeys = new Set(wanted.map(portKey));
    const current = this.openedPorts();
    const currentKeys = new Set(current.map(portKey));
    for (const port of current) if (!wantedKeys.has(portKey(port))) this.model.ports.change(port, false);
    for (const port of wanted) if (!currentKeys.has(portKey(port))) this.model.ports.change(port, true);
  }

  /**
   * Asks Juju to reboot the machine (`juju-reboot`): after this hook commits (buffered), or with
   * `now` at once: Juju then stops this hook and runs it again after the reboot, so in a real hook
   * the call does not return and nothing buffered is sent. Not allowed in actions.
   */
  reboot(options: { readonly now?: boolean } = {}): void {
    this.#requireOwn('reboot()');
    this.model.requestReboot(options.now === true);
  }

  toString(): string {
    return this.name;
  }
}
